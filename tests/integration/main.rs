//! Integration tests: the real `reply` binary against temporary libraries,
//! configs and XDG folders. One test binary (see Cargo.toml), one module per area.

mod smoke;
mod util;
