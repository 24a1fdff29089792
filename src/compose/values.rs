//! Values and where they come from: flags, data (`--vars`, a batch record),
//! the environment, the config, the reply's defaults; each name takes the
//! highest source that gives a non-blank value.

use std::collections::BTreeMap;
use std::io::Read;

use serde::Serialize;

use crate::diag::{Error, Result};
pub use crate::library::valid_var_name;
use crate::library::{Reply, Value};

/// Where a variable's value came from, lowest precedence last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// `-c`, `-a`, `-b`, `-v KEY=VALUE`
    Flag,
    /// Typed at a prompt (only values nothing else gave are asked for).
    Prompt,
    /// `--vars FILE` or a batch record
    Data,
    /// `REPLY_AGENT`, `REPLY_VAR_*`…
    Env,
    /// The config file (`agent`, `brand`, `[vars]`).
    Config,
    /// The reply's `defaults`.
    Default,
    /// Set by `reply` itself: `platform`, `lang`, `today`.
    Builtin,
    /// No value: the template copes on its own (`default(...)`, `{% if %}`).
    Template,
}

/// A value with its origin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Given {
    pub value: Value,
    pub origin: Origin,
}

/// Values by name, each from the highest-precedence source that set it.
#[derive(Debug, Clone, Default)]
pub struct Values {
    map: BTreeMap<String, Given>,
}

/// An empty or all-whitespace text counts as missing: never "Hi ,".
fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

impl Values {
    /// Sets `name` unless a source of higher precedence already did.
    pub fn offer(&mut self, name: &str, value: Value, origin: Origin) {
        if is_blank(&value) {
            return;
        }
        match self.map.get(name) {
            Some(g) if g.origin <= origin => {}
            _ => {
                self.map.insert(name.to_string(), Given { value, origin });
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&Given> {
        self.map.get(name)
    }

    /// Sets `name` whatever was there (a checked or converted value).
    pub fn set(&mut self, name: &str, given: Given) {
        self.map.insert(name.to_string(), given);
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Given)> {
        self.map.iter()
    }
}

/// Values given on the command line, as plain data (the command layer fills
/// it from its flags).
#[derive(Debug, Clone, Default)]
pub struct ValueInputs {
    pub customer: Option<String>,
    pub agent: Option<String>,
    pub brand: Option<String>,
    /// `KEY=VALUE` assignments.
    pub vars: Vec<String>,
    /// `--vars FILE` (`-` for stdin).
    pub vars_file: Option<String>,
}

impl ValueInputs {
    /// These values over `below` (the environment's and the config's).
    pub fn over(&self, below: &Values) -> Result<Values> {
        let mut v = Values::default();
        let s = |x: &str| Value::String(x.to_string());
        for (name, flag) in [
            ("customer", &self.customer),
            ("agent", &self.agent),
            ("brand", &self.brand),
        ] {
            if let Some(x) = flag {
                v.offer(name, s(x), Origin::Flag);
            }
        }
        for a in &self.vars {
            let (k, x) = parse_assignment(a)?;
            v.offer(k, s(x), Origin::Flag);
        }
        if let Some(path) = &self.vars_file {
            for (k, x) in read_vars_file(path)? {
                v.offer(&k, x, Origin::Data);
            }
        }
        for (k, g) in below.iter() {
            v.offer(k, g.value.clone(), g.origin);
        }
        Ok(v)
    }
}

/// Parses `KEY=VALUE`.
fn parse_assignment(s: &str) -> Result<(&str, &str)> {
    let Some((key, value)) = s.split_once('=') else {
        return Err(Error::usage(format!("`-v {s}` is not KEY=VALUE"))
            .hint("write it as `-v order=A-1042`"));
    };
    let key = key.trim();
    if !valid_var_name(key) {
        return Err(Error::usage(format!("`{key}` is not a variable name"))
            .hint("names use letters, digits and `_`; for nested values use --vars FILE"));
    }
    Ok((key, value))
}

/// The largest `--vars` input: far above any real set of values.
pub const MAX_VARS: u64 = 1 << 20;

/// Reads `--vars FILE`: a TOML or JSON object (`-` is stdin, and a named pipe
/// given by name is read as a stream), at most [`MAX_VARS`] bytes. JSON when
/// the name ends in `.json` or the text starts with `{`, TOML otherwise.
pub fn read_vars_file(path: &str) -> Result<serde_json::Map<String, Value>> {
    let name = if path == "-" { "stdin" } else { path };
    let cannot =
        |e: std::io::Error| Error::data(format!("cannot read the variables from {name}: {e}"));
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_VARS + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_VARS + 1).read_to_end(&mut bytes))
    };
    read.map_err(cannot)?;
    if bytes.len() as u64 > MAX_VARS {
        return Err(Error::data(format!(
            "{name} holds more than {} MB of variables",
            MAX_VARS >> 20
        ))
        .hint("--vars takes one small TOML or JSON object; for many records use --each"));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| Error::data(format!("{name} is not UTF-8 text")))?;
    let name = name.to_string();
    let json = path.ends_with(".json") || text.trim_start().starts_with('{');
    let value: Value = if json {
        serde_json::from_str(&text).map_err(|e| {
            Error::data(format!(
                "{name}:{}:{}: invalid JSON: {e}",
                e.line(),
                e.column()
            ))
            .hint("--vars takes one JSON object such as {\"customer\": \"Ana\"}")
        })?
    } else {
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            Error::data(format!(
                "invalid TOML in the variables file {name}\n{}",
                e.to_string().trim_end()
            ))
        })?;
        serde_json::to_value(table).map_err(|e| Error::data(format!("{name}: {e}")))?
    };
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Error::data(format!(
            "{name} holds {}, not an object of variables",
            match other {
                Value::Array(_) => "a list",
                Value::String(_) => "a string",
                _ => "a single value",
            }
        ))
        .hint("write {\"customer\": \"Ana\", \"order\": \"A-1042\"}")),
    }
}

/// `base` with the reply's defaults below everything else: its `defaults`
/// table and the `default` of its declared variables.
pub fn for_reply(base: &Values, reply: &Reply) -> Values {
    let mut v = base.clone();
    for (k, x) in &reply.defaults {
        v.offer(k, x.clone(), Origin::Default);
    }
    for spec in &reply.vars {
        if let Some(x) = &spec.default {
            v.offer(&spec.name, x.clone(), Origin::Default);
        }
    }
    v
}

/// The values one record renders with. A record ranks below the command
/// line's flags (they apply to every record and win) but above everything
/// else, `--vars` included: the row is more specific than any shared source.
/// An empty field is a missing value, so the reply's defaults still apply.
pub fn record_values(base: &Values, record: Vec<(String, Value)>) -> Values {
    let mut v = Values::default();
    for (k, g) in base.iter().filter(|(_, g)| g.origin == Origin::Flag) {
        v.offer(k, g.value.clone(), Origin::Flag);
    }
    for (k, x) in record {
        v.offer(&k, x, Origin::Data);
    }
    // Same-origin values already present (flags) are kept: `offer` never
    // replaces a value of equal or higher precedence.
    for (k, g) in base.iter() {
        v.offer(k, g.value.clone(), g.origin);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_keeps_the_highest_source() {
        let mut v = Values::default();
        v.offer("agent", Value::from("Config"), Origin::Config);
        v.offer("agent", Value::from("Flag"), Origin::Flag);
        v.offer("agent", Value::from("Default"), Origin::Default);
        assert_eq!(v.get("agent").unwrap().value, Value::from("Flag"));
    }

    #[test]
    fn records_rank_between_flags_and_the_rest() {
        let mut base = Values::default();
        base.offer("agent", Value::from("Flag"), Origin::Flag);
        base.offer("brand", Value::from("Env"), Origin::Env);
        base.offer("order", Value::from("File"), Origin::Data);
        base.offer("eta", Value::from("Cfg"), Origin::Config);
        let v = record_values(
            &base,
            vec![
                ("agent".into(), Value::from("Row")),
                ("brand".into(), Value::from("Row")),
                ("order".into(), Value::from("Row")),
                ("eta".into(), Value::from("")),
            ],
        );
        assert_eq!(v.get("agent").unwrap().value, "Flag");
        assert_eq!(v.get("brand").unwrap().value, "Row");
        assert_eq!(v.get("order").unwrap().value, "Row");
        assert_eq!(v.get("eta").unwrap().value, "Cfg");
    }

    #[test]
    fn bad_assignments_are_explained() {
        assert!(parse_assignment("order").is_err());
        assert!(parse_assignment("bad key=x").is_err());
        assert_eq!(parse_assignment("note=a=b").unwrap(), ("note", "a=b"));
    }
}
