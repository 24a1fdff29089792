//! The starter library: this repository's `replies/`, built into the binary by
//! build.rs, so a new user has useful replies before setting anything up.

mod files {
    include!(concat!(env!("OUT_DIR"), "/starter.rs"));
}
pub use files::STARTER;

/// How a built-in file is named to people: `starter:orders.toml`.
pub fn name(file: &str) -> String {
    format!("starter:{file}")
}

/// The text of the built-in file named `name` (`starter:orders.toml`).
pub fn text(name: &str) -> Option<&'static str> {
    let file = name.strip_prefix("starter:")?;
    STARTER.iter().find(|(n, _)| *n == file).map(|(_, t)| *t)
}
