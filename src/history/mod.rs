//! What `reply` remembers between runs, in `$XDG_STATE_HOME/reply/`: the
//! answers recently typed at a prompt (never a private one: the caller
//! decides which may be kept).

pub mod recent;

pub use recent::Recent;
