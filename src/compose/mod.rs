//! Composing a message: the values and where each comes from, the language
//! variant and text chosen, the Tera rendering with our template helpers, and
//! the platform limits. Render, batch, vars, show and lint all use this one
//! pipeline, through [`Job`].

pub mod declared;
pub mod helpers;
pub mod job;
pub mod platform;
pub mod reply_tests;
pub mod template;
pub mod values;

pub use helpers::Clock;
pub use job::{Choice, Job, Message, Runtime};
pub use template::{RenderError, RenderLimits, Rendered, UsedVar};
pub use values::{
    Given, Origin, ValueInputs, Values, for_reply, read_vars_file, record_values, valid_var_name,
};

pub use crate::library::Value;
