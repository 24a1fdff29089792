//! The bottom layer: small tools every other layer may use, depending on nothing
//! else in the crate (text folding and escaping, "did you mean", parallel maps,
//! file reads and atomic writes).

pub mod budget;
pub mod escape;
pub mod fold;
pub mod fs;
pub mod lock;
pub mod parallel;
pub mod suggest;
pub mod test_hooks;
pub mod units;
