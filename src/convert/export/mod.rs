//! The exporters: a library's replies (as [`Item`]s) to the text of each
//! format, with a warning for whatever the format cannot hold. Pure: the
//! command decides where the text goes.

pub mod csv;
pub mod espanso;
pub mod json;
pub mod markdown;

use serde::Serialize;

use super::{Format, Item};
use crate::library::Value;

/// What an export made: each file's name (relative to `--out`; empty for
/// the one file of a single-file format) and text, and the warnings.
#[derive(Debug, Default)]
pub struct Exported {
    pub files: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Whether a format writes a folder rather than one file.
pub fn writes_folder(format: Format) -> bool {
    format == Format::Markdown
}

/// Exports `items`; `None` for a format that is only ever imported.
pub fn export(format: Format, items: &[Item], json_version: u32) -> Option<Exported> {
    Some(match format {
        Format::Json => Exported {
            files: vec![(String::new(), json::export(items, json_version))],
            warnings: Vec::new(),
        },
        Format::Csv => csv::export(items),
        Format::Markdown => markdown::export(items),
        Format::Espanso => espanso::export(items),
        Format::Pet => return None,
    })
}

/// The ids of the items `f` holds for.
fn ids_where(items: &[Item], f: fn(&Item) -> bool) -> Vec<&str> {
    items
        .iter()
        .filter(|i| f(i))
        .map(|i| i.id.as_str())
        .collect()
}

/// The warning for what a format leaves out of some replies.
fn lost(what: &str, ids: &[&str], format: &str) -> Option<String> {
    if ids.is_empty() {
        return None;
    }
    let shown: Vec<String> = ids.iter().take(5).map(|i| format!("`{i}`")).collect();
    let more = if ids.len() > 5 {
        format!(" and {} more", ids.len() - 5)
    } else {
        String::new()
    };
    Some(format!(
        "{format} has no place for {what}: left out of {}{more} (`reply export json` keeps everything)",
        shown.join(", ")
    ))
}

/// A variable's value for YAML: serde_json's numbers would not serialize
/// as numbers outside JSON (its exact-precision form), so each is plain.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Plain {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Plain>),
    Map(std::collections::BTreeMap<String, Plain>),
}

impl Plain {
    pub fn of(v: &Value) -> Option<Plain> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(b) => Plain::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Plain::Int(i),
                (None, Some(f)) => Plain::Float(f),
                _ => Plain::Str(n.to_string()),
            },
            Value::String(s) => Plain::Str(s.clone()),
            Value::Array(a) => Plain::List(a.iter().filter_map(Plain::of).collect()),
            Value::Object(o) => Plain::Map(
                o.iter()
                    .filter_map(|(k, v)| Plain::of(v).map(|v| (k.clone(), v)))
                    .collect(),
            ),
        })
    }
}

/// YAML as people read and edit it: block scalars for multi-line texts,
/// never folded lines.
pub fn yaml<T: Serialize>(value: &T) -> Result<String, String> {
    let options = serde_saphyr::ser_options! {
        min_fold_chars: usize::MAX,
        folded_wrap_chars: usize::MAX,
    };
    serde_saphyr::to_string_with_options(value, options).map_err(|e| e.to_string())
}
