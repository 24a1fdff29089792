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
    #[serde(default)]
    pub libraries: Vec<String>,
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
    /// an unknown key, the known one it is closest to.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        toml::from_str(text).map_err(|e| {
            let message = e.message().trim_end();
            let mut d = Diagnostic::error("config", format!("invalid config: {message}"));
            let file = path.display().to_string();
            if let Some(span) = e.span() {
                d = d.at(Location::at(&file, text, span));
            } else {
                d = d.note(format!("in {file}"));
            }
            if let Some(hint) = unknown_key_hint(message) {
                d = d.hint(hint);
            }
            Error::Data(Box::new(d))
        })
    }

    /// The config's library folders, relative ones taken from the config file's folder.
    pub fn library_dirs(&self, env: &Env) -> Vec<PathBuf> {
        let base = self.path.as_deref().and_then(Path::parent);
        self.libraries
            .iter()
            .map(|l| {
                let p = env.expand(l);
                match base {
                    Some(b) if p.is_relative() => b.join(p),
                    _ => p,
                }
            })
            .collect()
    }
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
