//! The config file: what it may hold, and reading it. Unknown keys are an
//! error, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Env;
pub use crate::compose::platform::PlatformSpec;
use crate::diag::{Error, Result};

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
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            Error::data(format!(
                "invalid config file {}\n{}",
                path.display(),
                e.to_string().trim_end()
            ))
        })?;
        config.path = Some(path);
        Ok(config)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_rejects_unknown_keys() {
        let err = toml::from_str::<Config>("agnet = 'Sam'").unwrap_err();
        assert!(err.to_string().contains("agnet"), "{err}");
    }
}
