//! The config file: what it may hold, and reading it. Unknown keys are an
//! error, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Env;
pub use crate::compose::platform::PlatformSpec;
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::util::suggest;

/// `[limits]`: how far a render may go before it is stopped (README, "Reliability").
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    /// A duration: `2s`, `500ms`.
    pub render_time: Option<String>,
    /// A size: `1MB`, `256KB`.
    pub render_output: Option<String>,
}

/// `[library.NAME]`: a library `libraries` names, kept in git (or a folder).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LibrarySpec {
    /// Where it is cloned from (by `reply library add`, or by `reply sync`
    /// when the clone is missing).
    pub url: Option<String>,
    /// The branch it follows.
    pub branch: Option<String>,
    /// Its folder, when not `$XDG_DATA_HOME/reply/libraries/NAME`.
    pub path: Option<String>,
    /// A duration (`1d`, `12h`): how old its last sync may be before
    /// `list`, `search` and `render` say so.
    pub sync_every: Option<String>,
}

/// The config file's contents. Every field is optional; unknown keys are an error
/// so that a typo (`agnet = "Sam"`) is caught instead of silently ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub agent: Option<String>,
    pub brand: Option<String>,
    pub lang: Option<String>,
    pub platform: Option<String>,
    pub output: Option<String>,
    pub copy_command: Option<String>,
    /// `false`: record nothing in the usage log, and rank without it.
    pub history: Option<bool>,
    /// Library folders and `[library.NAME]` names, highest first; `user`
    /// (or `own`) is where your own library goes among them.
    #[serde(default)]
    pub libraries: Vec<String>,
    #[serde(default)]
    pub library: BTreeMap<String, LibrarySpec>,
    /// How old a git library's last sync may be (for those with no `sync_every` of their own).
    pub sync_every: Option<String>,
    /// Sync git libraries that are due in the background.
    pub auto_sync: Option<bool>,
    #[serde(default)]
    pub vars: BTreeMap<String, toml::Value>,
    #[serde(default)]
    pub platforms: BTreeMap<String, PlatformSpec>,
    #[serde(default)]
    pub limits: LimitsSpec,
    /// Where the file was read from, for messages and for relative library paths.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Config {
    /// Reads the config file if there is one. A missing file is not an error
    /// (a new user has none); an unreadable or invalid one is.
    pub fn load(env: &Env) -> Result<Config> {
        let Some(path) = env.config_file() else {
            return Ok(Config::default());
        };
        let text = match crate::util::fs::read_text(&path) {
            Ok(text) => text,
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    && env.get("REPLY_CONFIG").is_none() =>
            {
                return Ok(Config::default());
            }
            Err(e) => {
                return Err(Error::data(format!(
                    "cannot read the config file {}: {e}",
                    path.display()
                ))
                .hint("check REPLY_CONFIG, or create the file (see `reply paths`)"));
            }
        };
        let mut config = Config::parse(&text, &path)?;
        config.path = Some(path);
        Ok(config)
    }

    /// Reads config text. An error names the file, line and column, and for
    /// an unknown key, the known one it is closest to; then the checks keys
    /// alone cannot make (see [`Config::check_libraries`]).
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let file = path.display().to_string();
        let config: Config = toml::from_str(text).map_err(|e| {
            let message = e.message().trim_end();
            let mut d = Diagnostic::error("config", format!("invalid config: {message}"));
            if let Some(span) = e.span() {
                d = d.at(Location::at(&file, text, span));
            } else {
                d = d.note(format!("in {file}"));
            }
            if let Some(hint) = unknown_key_hint(message) {
                d = d.hint(hint);
            }
            Error::Data(Box::new(d))
        })?;
        config
            .check_libraries()
            .map_err(|e| e.note(format!("in the config file {file}")))?;
        Ok(config)
    }

    /// A folder as the config names it: `~` expanded, relative ones taken
    /// from the config file's folder.
    fn folder(&self, env: &Env, l: &str) -> PathBuf {
        let base = self.path.as_deref().and_then(Path::parent);
        let p = env.expand(l);
        match base {
            Some(b) if p.is_relative() => b.join(p),
            _ => p,
        }
    }

    /// The entries of `libraries`, resolved, highest first (see [`Listed`]).
    pub fn listed(&self, env: &Env) -> Vec<Listed> {
        let global = self.sync_every.as_deref().and_then(parse_every);
        self.libraries
            .iter()
            .map(|l| {
                if is_own(l) {
                    return Listed::Own;
                }
                match self.library.get(l.as_str()) {
                    Some(spec) => Listed::Library(crate::team::Spec {
                        name: l.clone(),
                        entry: l.clone(),
                        path: match &spec.path {
                            Some(p) => self.folder(env, p),
                            None => env
                                .libraries_dir()
                                .map_or_else(|| PathBuf::from(l), |d| d.join(l)),
                        },
                        url: spec.url.clone(),
                        branch: spec.branch.clone(),
                        sync_every: spec.sync_every.as_deref().and_then(parse_every).or(global),
                        declared: true,
                        layer: 0,
                    }),
                    None => {
                        let path = self.folder(env, l);
                        Listed::Library(crate::team::Spec {
                            name: crate::team::folder_name(&path),
                            entry: l.clone(),
                            path,
                            url: None,
                            branch: None,
                            sync_every: global,
                            declared: false,
                            layer: 0,
                        })
                    }
                }
            })
            .collect()
    }

    /// What loading checks beyond the keys: the libraries' names, that each
    /// `[library.NAME]` is in `libraries` once, the sync durations.
    pub fn check_libraries(&self) -> Result<()> {
        let bad = |m: String, h: &str| Err(Error::usage(m).hint(h.to_string()));
        let every = |key: &str, v: &Option<String>| match v {
            Some(t) if parse_every(t).is_none() => bad(
                format!("`{key} = \"{t}\"` in the config is not a duration"),
                "write it as `1d`, `12h` or `30m`",
            ),
            _ => Ok(()),
        };
        every("sync_every", &self.sync_every)?;
        if self.libraries.iter().filter(|l| is_own(l)).count() > 1 {
            return bad(
                "`libraries` names your own library (`user`) more than once".into(),
                "keep one `user` entry, where your own library goes in the order",
            );
        }
        for (name, spec) in &self.library {
            if !crate::team::valid_name(name) {
                return bad(
                    format!("`[library.{name}]` in the config: `{name}` cannot name a library"),
                    "use letters, digits, `-`, `_` and `.` (not first); `user` and `starter` are taken",
                );
            }
            every(&format!("library.{name}.sync_every"), &spec.sync_every)?;
            match self.libraries.iter().filter(|l| *l == name).count() {
                1 => {}
                0 => {
                    return bad(
                        format!(
                            "`[library.{name}]` is in the config, but `{name}` is not in `libraries`"
                        ),
                        "add it to `libraries` where it goes in the order, or remove the table (`reply library remove` does both)",
                    );
                }
                _ => {
                    return bad(
                        format!("`libraries` names `{name}` more than once"),
                        "keep one entry for it",
                    );
                }
            }
            if spec.url.as_deref().is_some_and(|u| u.starts_with('-'))
                || spec
                    .branch
                    .as_deref()
                    .is_some_and(|b| b.is_empty() || b.starts_with('-'))
            {
                return bad(
                    format!(
                        "`[library.{name}]` has a `url` or `branch` git would take for an option"
                    ),
                    "fix it with `reply config edit` or remove the library and add it again",
                );
            }
        }
        Ok(())
    }
}

/// One entry of `libraries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// `user` (or `own`): your own library's place in the order.
    Own,
    /// A `[library.NAME]`, or a folder named as it is.
    Library(crate::team::Spec),
}

/// Whether a `libraries` entry stands for your own library.
pub fn is_own(entry: &str) -> bool {
    entry == "user" || entry == "own"
}

/// A sync interval: a positive duration.
pub fn parse_every(text: &str) -> Option<std::time::Duration> {
    crate::util::units::parse_duration(text).filter(|d| !d.is_zero())
}

/// For serde's "unknown field `agnet`, expected one of `agent`, …": the key
/// meant, or the keys there are.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field ")?;
    let quoted: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let (typo, known) = quoted.split_first()?;
    Some(match suggest::closest(typo, known.iter().copied()) {
        Some(k) => format!("did you mean `{k}`?"),
        None if known.is_empty() => "this table takes no keys".to_string(),
        None => format!("the keys here are {}", known.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_rejects_unknown_keys_with_the_key_meant() {
        let text = "# mine\nagnet = 'Sam'\n";
        let err = Config::parse(text, Path::new("/c/config.toml")).unwrap_err();
        let d = err.diagnostic().expect("a diagnostic");
        let at = d.location.as_ref().expect("a location");
        assert_eq!(
            (at.file.as_str(), at.line, at.column),
            ("/c/config.toml", 2, 1)
        );
        assert!(d.message.contains("agnet"), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("did you mean `agent`?"));
        let err = Config::parse("[limits]\nspeed = 1\n", Path::new("c")).unwrap_err();
        let d = err.diagnostic().expect("a diagnostic");
        assert_eq!(
            d.hint.as_deref(),
            Some("the keys here are render_time, render_output")
        );
    }
}

#[cfg(test)]
mod library_tests {
    use super::*;

    fn config(text: &str) -> Config {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn entries_are_own_named_or_folders() {
        let c = config(
            "libraries = [\"acme\", \"user\", \"~/old\"]\nsync_every = \"1d\"\n[library.acme]\nurl = \"https://h/acme.git\"\nsync_every = \"12h\"\n",
        );
        c.check_libraries().unwrap();
        let env = Env::from_pairs([("HOME", "/h")]);
        let listed = c.listed(&env);
        let Listed::Library(acme) = &listed[0] else {
            panic!()
        };
        assert_eq!(
            acme.path,
            PathBuf::from("/h/.local/share/reply/libraries/acme")
        );
        assert_eq!(
            acme.sync_every,
            Some(std::time::Duration::from_secs(12 * 3600))
        );
        assert!(acme.declared);
        assert_eq!(listed[1], Listed::Own);
        let Listed::Library(old) = &listed[2] else {
            panic!()
        };
        assert_eq!((old.name.as_str(), old.declared), ("old", false));
        assert_eq!(old.sync_every, Some(std::time::Duration::from_secs(86_400)));
    }

    #[test]
    fn inconsistent_library_tables_are_refused() {
        for (text, says) in [
            ("[library.acme]\nurl = \"x\"\n", "not in `libraries`"),
            (
                "libraries = [\"acme\", \"acme\"]\n[library.acme]\n",
                "more than once",
            ),
            ("libraries = [\"user\", \"own\"]\n", "more than once"),
            ("sync_every = \"soon\"\n", "not a duration"),
            (
                "libraries = [\"a\"]\n[library.a]\nsync_every = \"0s\"\n",
                "not a duration",
            ),
            (
                "libraries = [\"a\"]\n[library.a]\nurl = \"--upload-pack=x\"\n",
                "option",
            ),
        ] {
            let e = config(text).check_libraries().unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
