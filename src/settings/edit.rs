//! Editing the config file: one key at a time (`reply config set`), or the
//! agent and brand a person typed at a prompt. Through toml_edit, so comments,
//! order and formatting stay as they were; the result is checked as a whole
//! config before it replaces the file, under a lock, and never when the file
//! changed since it was read; an unreadable or invalid config is never
//! overwritten.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml_edit::{DocumentMut, Item, Table};

use super::config::Config;
use crate::diag::{Error, Result};
use crate::util::{fs, lock, suggest, units};

/// What a key's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// A list of texts (`libraries`).
    List,
    Number,
    Bool,
    Duration,
    Size,
}

/// The keys `reply config` sets, and their kinds. `vars.NAME` (text) and
/// `platforms.NAME.FIELD` are patterns (see [`kind`]).
const KEYS: &[(&str, Kind)] = &[
    ("agent", Kind::Text),
    ("brand", Kind::Text),
    ("lang", Kind::Text),
    ("platform", Kind::Text),
    ("output", Kind::Text),
    ("copy_command", Kind::Text),
    ("libraries", Kind::List),
    ("history", Kind::Bool),
    ("limits.render_time", Kind::Duration),
    ("limits.render_output", Kind::Size),
];

const PLATFORM_FIELDS: &[(&str, Kind)] = &[
    ("max_chars", Kind::Number),
    ("max_bytes", Kind::Number),
    ("sms", Kind::Bool),
    ("max_segments", Kind::Number),
];

/// Every spelling people may look for, for "did you mean".
fn known() -> Vec<String> {
    let mut all: Vec<String> = KEYS.iter().map(|(k, _)| k.to_string()).collect();
    all.push("vars.NAME".into());
    all.extend(
        PLATFORM_FIELDS
            .iter()
            .map(|(f, _)| format!("platforms.NAME.{f}")),
    );
    all
}

/// The kind of `key`, and its path in the document; or an error that says
/// which keys exist.
fn kind(key: &str) -> Result<(Kind, Vec<String>)> {
    let path: Vec<String> = key.split('.').map(str::to_string).collect();
    if let Some((_, k)) = KEYS.iter().find(|(name, _)| *name == key) {
        return Ok((*k, path));
    }
    match path.as_slice() {
        [vars, name] if vars == "vars" && crate::library::valid_var_name(name) => {
            return Ok((Kind::Text, path));
        }
        [platforms, name, field] if platforms == "platforms" && !name.is_empty() => {
            if let Some((_, k)) = PLATFORM_FIELDS.iter().find(|(f, _)| f == field) {
                return Ok((*k, path));
            }
        }
        _ => {}
    }
    let all = known();
    let mut e = Error::usage(format!("`{key}` is not a config key"));
    e = match suggest::closest(key, all.iter().map(String::as_str)) {
        Some(close) => e.hint(format!("did you mean `{close}`?")),
        None => e.hint(format!("the keys are: {}", all.join(", "))),
    };
    Err(e)
}

/// The config file, open for editing.
pub struct ConfigFile {
    pub path: PathBuf,
    doc: DocumentMut,
    /// The file as it was read (`None`: there was none), to notice a change
    /// made by someone else before saving.
    read: Option<Vec<u8>>,
}

impl ConfigFile {
    /// Opens the config at `path`; a missing file is an empty config. An
    /// unreadable or invalid one is an error: it is never overwritten.
    pub fn open(path: &Path) -> Result<ConfigFile> {
        let read = match fs::open_regular(path).and_then(|mut f| {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes).map(|_| bytes)
        }) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Error::data(format!(
                    "cannot read the config file {}: {e}",
                    path.display()
                ))
                .hint("nothing was changed; check the file's permissions"));
            }
        };
        let text = match &read {
            Some(_) => fs::read_text(path).map_err(|e| {
                Error::data(format!(
                    "cannot read the config file {}: {e}",
                    path.display()
                ))
            })?,
            None => String::new(),
        };
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            Error::data(format!(
                "the config file {} is not valid TOML, so it was left as it is\n{}",
                path.display(),
                e.to_string().trim_end()
            ))
            .hint("fix it with `reply config edit` (it checks the file before saving)")
        })?;
        Ok(ConfigFile {
            path: path.to_path_buf(),
            doc,
            read,
        })
    }

    /// The value of `key` as people write it: a text as is, a list one item a
    /// line, anything else as TOML.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        let (_, path) = kind(key)?;
        let mut item = self.doc.as_item();
        for p in &path {
            match item.get(p) {
                Some(i) => item = i,
                None => return Ok(None),
            }
        }
        Ok(match item {
            Item::Value(v) => Some(match v {
                toml_edit::Value::String(s) => s.value().clone(),
                toml_edit::Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join("\n"),
                other => other.to_string().trim().to_string(),
            }),
            Item::None => None,
            other => Some(other.to_string().trim().to_string()),
        })
    }

    /// Sets `key` to `value`, written as the key's kind wants it.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let (kind, path) = kind(key)?;
        let bad = |what: &str, example: &str| {
            Error::usage(format!("`{value}` is not {what} (for `{key}`)"))
                .hint(format!("for example: reply config set {key} {example}"))
        };
        let v: toml_edit::Value = match kind {
            Kind::Text => value.into(),
            Kind::List => match value.trim_start().starts_with('[') {
                true => value
                    .parse::<toml_edit::Value>()
                    .ok()
                    .filter(|v| v.as_array().is_some_and(|a| a.iter().all(|x| x.is_str())))
                    .ok_or_else(|| bad("a list of texts", "'[\"~/src/team-replies\"]'"))?,
                false => {
                    let mut a = toml_edit::Array::new();
                    a.push(value);
                    toml_edit::Value::Array(a)
                }
            },
            Kind::Number => value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(toml_edit::Value::from)
                .ok_or_else(|| bad("a positive whole number", "280"))?,
            Kind::Bool => match value.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => true.into(),
                "false" | "no" | "off" | "0" => false.into(),
                _ => return Err(bad("true or false", "true")),
            },
            Kind::Duration => units::parse_duration(value)
                .filter(|d| *d > Duration::ZERO)
                .map(|_| value.trim().into())
                .ok_or_else(|| bad("a duration", "2s"))?,
            Kind::Size => units::parse_size(value)
                .filter(|n| *n > 0)
                .map(|_| value.trim().into())
                .ok_or_else(|| bad("a size", "1MB"))?,
        };
        let (last, tables) = path
            .split_last()
            .ok_or_else(|| Error::usage("an empty key"))?;
        let mut table: &mut Table = self.doc.as_table_mut();
        for t in tables {
            let item = table.entry(t).or_insert_with(|| {
                let mut new = Table::new();
                // `[platforms.x]` rather than an empty `[platforms]` above it.
                new.set_implicit(true);
                Item::Table(new)
            });
            table = item.as_table_mut().ok_or_else(|| {
                Error::usage(format!(
                    "`{t}` in the config is not a table, so `{key}` cannot be set"
                ))
                .hint("fix it with `reply config edit`")
            })?;
        }
        match table.get_mut(last) {
            // Keep the comment and spacing around an existing value.
            Some(Item::Value(old)) => {
                let decor = old.decor().clone();
                *old = v;
                *old.decor_mut() = decor;
            }
            _ => {
                table.insert(last, Item::Value(v));
            }
        }
        Ok(())
    }

    /// Removes `key`; whether it was set.
    pub fn unset(&mut self, key: &str) -> Result<bool> {
        let (_, path) = kind(key)?;
        let Some((last, tables)) = path.split_last() else {
            return Ok(false);
        };
        let mut table: &mut Table = self.doc.as_table_mut();
        for t in tables {
            match table.get_mut(t).and_then(Item::as_table_mut) {
                Some(next) => table = next,
                None => return Ok(false),
            }
        }
        Ok(table.remove(last).is_some())
    }

    /// The file as it would be saved.
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// Checks the edited file is a valid config, then replaces the file with
    /// it, atomically, under a lock, unless it changed since it was read.
    pub fn save(&self) -> Result<()> {
        install(&self.path, self.read.as_deref(), &self.text())
    }
}

/// Replaces the config at `path` with `text` once `text` is a valid config,
/// atomically and under a lock, unless the file is no longer `was` (what the
/// edit started from; `None`: there was no file).
pub fn install(path: &Path, was: Option<&[u8]>, text: &str) -> Result<()> {
    check(text, path).map_err(|e| e.note("nothing was saved"))?;
    let _lock = lock::Lock::exclusive(&lock::beside(path), Duration::from_secs(5))
        .map_err(|e| Error::data(format!("cannot lock the config file: {e}")))?;
    if fs::read_bytes(path).as_deref() != was {
        return Err(Error::data(format!(
            "the config file {} changed while reply was editing it: nothing was saved",
            path.display()
        ))
        .hint("run the command again"));
    }
    fs::replace(path, text.as_bytes()).map_err(|e| {
        Error::data(format!(
            "cannot write the config file {}: {e}",
            path.display()
        ))
        .hint("nothing was changed")
    })
}

/// Whether `text` is a config `reply` accepts: every key known, every value
/// of the right kind. The error says what is wrong, as loading would.
pub fn check(text: &str, path: &Path) -> Result<()> {
    let config = Config::parse(text, path)?;
    // The values read at start-up are checked at start-up too.
    super::limits(&config)?;
    if let Some(o) = &config.output
        && crate::deliver::OutputMode::parse(o).is_none()
    {
        return Err(Error::usage(format!(
            "`output = \"{o}\"` is not an output mode (in {})",
            path.display()
        ))
        .hint("use auto, copy, print or both"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(text: &str, f: impl FnOnce(&mut ConfigFile)) -> String {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, text).unwrap();
        let mut c = ConfigFile::open(&p).unwrap();
        f(&mut c);
        c.save().unwrap();
        std::fs::read_to_string(&p).unwrap()
    }

    #[test]
    fn set_keeps_comments_order_and_spacing() {
        let before = "# who I am\nagent = \"Sam\"   # shown to customers\n\n[vars]\nlink = \"x\"\n";
        let after = edited(before, |c| {
            c.set("agent", "Alex").unwrap();
            c.set("vars.help", "https://h").unwrap();
            c.set("platforms.x.max_chars", "280").unwrap();
        });
        assert!(after.starts_with("# who I am\nagent = \"Alex\"   # shown to customers\n\n[vars]\nlink = \"x\"\nhelp = \"https://h\"\n"), "{after}");
        assert!(
            after.contains("[platforms.x]\nmax_chars = 280\n"),
            "{after}"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = ConfigFile::open(&dir.path().join("none.toml")).unwrap();
        let e = c.set("agnet", "Sam").unwrap_err().to_string();
        assert!(e.contains("did you mean `agent`?"), "{e}");
        assert!(c.set("platforms.x.max_chars", "many").is_err());
        assert!(c.set("limits.render_time", "soon").is_err());
        assert!(c.set("platforms.x.sms", "yes").is_ok());
        assert_eq!(c.get("platforms.x.sms").unwrap().as_deref(), Some("true"));
    }

    #[test]
    fn an_invalid_config_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "agent = \"Sam\n").unwrap();
        assert!(ConfigFile::open(&p).is_err());
        std::fs::write(&p, "agnet = \"Sam\"\n").unwrap();
        let mut c = ConfigFile::open(&p).unwrap();
        c.set("brand", "Acme").unwrap();
        assert!(c.save().is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "agnet = \"Sam\"\n");
    }

    #[test]
    fn a_change_made_meanwhile_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "agent = \"Sam\"\n").unwrap();
        let mut c = ConfigFile::open(&p).unwrap();
        c.set("brand", "Acme").unwrap();
        std::fs::write(&p, "agent = \"Kim\"\n").unwrap();
        assert!(c.save().is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "agent = \"Kim\"\n");
    }

    #[test]
    fn lists_and_unset() {
        let after = edited("", |c| {
            c.set("libraries", "~/team").unwrap();
            c.set("agent", "Sam").unwrap();
            assert!(c.unset("agent").unwrap());
            assert!(!c.unset("brand").unwrap());
        });
        assert_eq!(after, "libraries = [\"~/team\"]\n");
    }
}
