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
    ("sync_every", Kind::Duration),
    ("auto_sync", Kind::Bool),
];

/// The fields of `[library.NAME]` that `reply config` sets (`url` and
/// `path` belong to `reply library add`).
const LIBRARY_FIELDS: &[(&str, Kind)] = &[("sync_every", Kind::Duration), ("branch", Kind::Text)];

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
    all.extend(
        LIBRARY_FIELDS
            .iter()
            .map(|(f, _)| format!("library.NAME.{f}")),
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
        [library, name, field] if library == "library" && !name.is_empty() => {
            if let Some((_, k)) = LIBRARY_FIELDS.iter().find(|(f, _)| f == field) {
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

    /// Adds the library `lib` to `libraries` (directly above your own
    /// library, or directly below it) and its `[library.NAME]` table. The
    /// list keeps its layout and comments.
    pub fn add_library(&mut self, lib: &NewLibrary<'_>, place: Place) -> Result<()> {
        let list = self.libraries_mut()?;
        let own = list
            .iter()
            .position(|v| v.as_str().is_some_and(super::config::is_own));
        match (place, own) {
            (Place::AboveOwn, Some(i)) => insert_keeping_layout(list, i, lib.name),
            (Place::AboveOwn, None) => insert_keeping_layout(list, list.len(), lib.name),
            (Place::BelowOwn, Some(i)) => insert_keeping_layout(list, i + 1, lib.name),
            (Place::BelowOwn, None) => {
                insert_keeping_layout(list, list.len(), "user");
                insert_keeping_layout(list, list.len(), lib.name);
            }
        }
        let tables = self.doc.as_table_mut();
        let library = tables.entry("library").or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        let library = library.as_table_mut().ok_or_else(|| {
            Error::usage("`library` in the config is not a table, so a library cannot be added")
                .hint("fix it with `reply config edit`")
        })?;
        let mut t = Table::new();
        for (key, value) in [("url", lib.url), ("branch", lib.branch), ("path", lib.path)] {
            if let Some(v) = value {
                t.insert(key, toml_edit::value(v));
            }
        }
        // A blank line before the new table, as people write them.
        t.decor_mut().set_prefix("\n");
        library.insert(lib.name, Item::Table(t));
        Ok(())
    }

    /// Removes `entry` from `libraries`, and the `[library.NAME]` table of
    /// that name; whether there was anything to remove.
    pub fn remove_library(&mut self, entry: &str) -> Result<bool> {
        let mut removed = false;
        if self.doc.get("libraries").is_some() {
            let list = self.libraries_mut()?;
            loop {
                let at = list.iter().position(|v| v.as_str() == Some(entry));
                let Some(i) = at else { break };
                remove_keeping_layout(list, i);
                removed = true;
            }
        }
        let tables = self.doc.as_table_mut();
        if let Some(library) = tables.get_mut("library").and_then(Item::as_table_mut) {
            removed |= library.remove(entry).is_some();
            if library.is_empty() {
                tables.remove("library");
            }
        }
        Ok(removed)
    }

    fn libraries_mut(&mut self) -> Result<&mut toml_edit::Array> {
        let item = self
            .doc
            .as_table_mut()
            .entry("libraries")
            .or_insert_with(|| toml_edit::value(toml_edit::Array::new()));
        item.as_array_mut().ok_or_else(|| {
            Error::usage("`libraries` in the config is not a list, so it cannot be changed")
                .hint("fix it with `reply config edit`")
        })
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

/// A library to write into the config.
#[derive(Debug, Clone, Copy)]
pub struct NewLibrary<'a> {
    pub name: &'a str,
    pub url: Option<&'a str>,
    pub branch: Option<&'a str>,
    /// Its folder, when not the default clone folder.
    pub path: Option<&'a str>,
}

/// Where a new library goes in `libraries`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    AboveOwn,
    BelowOwn,
}

/// The whitespace (and comments) before a value, as a text.
fn prefix_of(v: &toml_edit::Value) -> Option<String> {
    v.decor()
        .prefix()
        .and_then(|p| p.as_str())
        .map(str::to_string)
}

/// Splits decor at its last line break: what stays on the line above, and
/// the line break with the indentation after it.
fn split_at_last_newline(text: &str) -> (&str, &str) {
    match text.rfind('\n') {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    }
}

/// Inserts `value` at `index`, laid out as its neighbours are: on a line of
/// its own in a list written one entry a line, and a comment that ended the
/// line before stays there.
fn insert_keeping_layout(list: &mut toml_edit::Array, index: usize, value: &str) {
    let multiline = list.iter().filter_map(prefix_of).any(|p| p.contains('\n'));
    let mut new = toml_edit::Value::from(value);
    if multiline {
        let indent = list
            .iter()
            .filter_map(prefix_of)
            .find_map(|p| split_at_last_newline(&p).1.get(1..).map(str::to_string))
            .unwrap_or_else(|| "    ".into());
        if let Some(next) = list.get_mut(index) {
            let old = prefix_of(next).unwrap_or_default();
            new.decor_mut().set_prefix(old);
            next.decor_mut().set_prefix(format!("\n{indent}"));
        } else {
            let trailing = list.trailing().as_str().unwrap_or("").to_string();
            let (above, rest) = split_at_last_newline(&trailing);
            new.decor_mut().set_prefix(format!("{above}\n{indent}"));
            let rest = if rest.is_empty() { "\n" } else { rest };
            list.set_trailing(rest.to_string());
            list.set_trailing_comma(true);
        }
        list.insert_formatted(index, new);
    } else {
        list.insert(index, new);
        list.fmt();
    }
}

/// Removes the value at `index`; a comment on the line before it stays.
fn remove_keeping_layout(list: &mut toml_edit::Array, index: usize) {
    let old = list.get(index).and_then(prefix_of).unwrap_or_default();
    list.remove(index);
    if !old.contains('\n') {
        list.fmt();
        return;
    }
    if index < list.len() {
        if let Some(next) = list.get_mut(index) {
            next.decor_mut().set_prefix(old);
        }
    } else {
        let (above, _) = split_at_last_newline(&old);
        let trailing = list.trailing().as_str().unwrap_or("").to_string();
        let (_, rest) = split_at_last_newline(&trailing);
        list.set_trailing(format!(
            "{above}{}",
            if rest.is_empty() { "\n" } else { rest }
        ));
    }
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
    fn libraries_are_added_and_removed_with_comments_and_layout_kept() {
        let before = "# mine\nlibraries = [\n    \"~/brand\",  # the brand's\n    \"user\",\n    \"~/old\",  # old ones\n]\n\n[vars]\nx = \"1\"  # keep\n";
        let acme = NewLibrary {
            name: "acme",
            url: Some("https://h/acme.git"),
            branch: Some("main"),
            path: None,
        };
        let after = edited(before, |c| c.add_library(&acme, Place::AboveOwn).unwrap());
        assert!(
            after.starts_with("# mine\nlibraries = [\n    \"~/brand\",  # the brand's\n    \"acme\",\n    \"user\",\n    \"~/old\",  # old ones\n]\n\n[vars]\nx = \"1\"  # keep\n"),
            "{after}"
        );
        assert!(
            after.ends_with("\n[library.acme]\nurl = \"https://h/acme.git\"\nbranch = \"main\"\n"),
            "{after}"
        );
        let below = NewLibrary {
            name: "b",
            url: None,
            branch: None,
            path: Some("~/b"),
        };
        let after = edited(&after, |c| c.add_library(&below, Place::BelowOwn).unwrap());
        assert!(
            after.contains("    \"user\",\n    \"b\",\n    \"~/old\",  # old ones\n]"),
            "{after}"
        );
        let after = edited(&after, |c| {
            assert!(c.remove_library("acme").unwrap());
            assert!(c.remove_library("b").unwrap());
            assert!(c.remove_library("~/old").unwrap());
            assert!(!c.remove_library("nothing").unwrap());
        });
        assert_eq!(
            after,
            // The comment on the line of `~/old` went with it.
            "# mine\nlibraries = [\n    \"~/brand\",  # the brand's\n    \"user\",\n]\n\n[vars]\nx = \"1\"  # keep\n"
        );
    }

    #[test]
    fn a_first_library_makes_the_list_and_one_line_lists_stay_on_one_line() {
        let lib = NewLibrary {
            name: "acme",
            url: Some("u"),
            branch: None,
            path: None,
        };
        let after = edited("agent = \"Sam\"\n", |c| {
            c.add_library(&lib, Place::BelowOwn).unwrap()
        });
        assert_eq!(
            after,
            "agent = \"Sam\"\nlibraries = [\"user\", \"acme\"]\n\n[library.acme]\nurl = \"u\"\n"
        );
        let after = edited("libraries = [\"~/x\"]\n", |c| {
            c.add_library(&lib, Place::AboveOwn).unwrap()
        });
        assert!(
            after.starts_with("libraries = [\"~/x\", \"acme\"]\n"),
            "{after}"
        );
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
