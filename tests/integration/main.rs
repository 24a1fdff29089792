//! Integration tests: the real `reply` binary against temporary libraries,
//! configs and XDG folders. One test binary (see Cargo.toml), one module per area.

mod authoring;
mod batch;
mod bench_smoke;
mod cache;
mod check;
mod clipboard;
mod completions;
mod errors;
mod foundations;
mod hostile;
mod hostile_cache;
mod hostile_records;
mod init;
mod json;
mod languages;
mod layers;
mod library;
mod list;
mod output;
mod own_tests;
mod personal;
mod picker;
mod platforms;
mod public;
mod readme;
mod render;
mod search;
mod smoke;
mod suggest;
mod suggest_eval;
mod support;
mod team;
mod vars_file;
