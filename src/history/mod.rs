//! What `reply` remembers between runs, in `$XDG_STATE_HOME/reply/`: the
//! answers recently typed at a prompt (never a private one: the caller
//! decides which may be kept), and the usage log of the replies sent, with
//! what is read from it: each reply's frecency, for ranking, and the
//! statistics of `reply stats`.

pub mod frecency;
pub mod recent;
pub mod stats;
pub mod usage;

pub use frecency::Frecency;
pub use recent::Recent;
