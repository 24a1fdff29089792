//! `reply`: find, personalise and send saved replies. The layers, each using
//! only those below it (see docs/ARCHITECTURE.md):
//!
//! - `commands`: one file per subcommand; parses, builds settings, writes output
//! - `cli`: the clap types, completions, the man page
//! - `settings`: flags, environment and config, resolved once
//! - `lint`: the rules of `reply check`
//! - `compose`: values, variants, templates, platform limits: the render pipeline
//! - `find`: from what a person typed to a reply
//! - `records`: the CSV and JSON Lines records of `--each`
//! - `library`: layers, the scan, parsing, the catalog and its cache
//! - `deliver`: stdout, stderr, colour, the clipboard
//! - `diag`: diagnostics and the typed errors
//! - `util`: text folding and escaping, files, parallel maps

pub mod cli;
pub mod commands;
pub mod compose;
pub mod deliver;
pub mod diag;
pub mod find;
pub mod library;
pub mod lint;
pub mod records;
pub mod settings;
pub mod util;
