//! The importers: one per format, each from the decoded files of a source to
//! [`Converted`] items. What they share: reading YAML safely (a budget on
//! anchors and nesting, never a panic), and the extensions each reads in a
//! folder.

pub mod csv;
pub mod espanso;
pub mod json;
pub mod markdown;
pub mod pet;

use super::source::SourceFile;
use super::{Converted, Format};

/// What an import is told besides its source.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--map COLUMN=FIELD` for CSV: a column's name (any case) → a field.
    pub map: Vec<(String, String)>,
}

/// The file extensions read from a folder, per format.
pub fn extensions(format: Format) -> &'static [&'static str] {
    match format {
        Format::Espanso => &["yml", "yaml"],
        Format::Csv => &["csv", "tsv", "txt"],
        Format::Markdown => &["md", "markdown", "ytag"],
        Format::Json => &["json"],
        Format::Pet => &["toml"],
    }
}

/// Converts the files of a source.
pub fn convert(format: Format, files: &[SourceFile], options: &Options) -> Converted {
    let mut out = Converted::default();
    for f in files {
        match format {
            Format::Espanso => espanso::convert(f, &mut out),
            Format::Csv => csv::convert(f, options, &mut out),
            Format::Markdown => markdown::convert(f, &mut out),
            Format::Json => json::convert(f, &mut out),
            Format::Pet => pet::convert(f, &mut out),
        }
    }
    out
}

/// Reads YAML into `T`, with serde-saphyr's budget against alias bombs and
/// deep nesting; the error as one line.
pub fn yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let s = e.to_string();
        let line = s
            .lines()
            .next()
            .unwrap_or("invalid YAML")
            .trim()
            .to_string();
        crate::util::escape::sanitize(&line, false)
    })
}

/// A YAML or JSON value as a string, when it is a scalar.
pub fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of strings, or one string split on `,` (tags written either way).
pub fn string_list(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(a) => a.iter().filter_map(scalar).collect(),
        serde_json::Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        other => scalar(other).into_iter().collect(),
    }
}
