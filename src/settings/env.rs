//! The process environment, captured once in `main` so that no module below
//! the settings reads a global, and tests can inject their own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The process environment, captured once so that logic never reads globals
/// and tests can inject their own.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value; an empty value counts as unset, as most tools treat it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Variables with a prefix, the prefix stripped (`REPLY_VAR_order` → `order`).
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.vars
            .iter()
            .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
            .filter(|(k, _)| !k.is_empty())
    }

    pub fn home(&self) -> Option<PathBuf> {
        self.get("HOME").map(PathBuf::from)
    }

    fn xdg(&self, var: &str, fallback: &str) -> Option<PathBuf> {
        match self.get(var) {
            // The XDG spec says relative values are invalid and must be ignored.
            Some(dir) if Path::new(dir).is_absolute() => Some(PathBuf::from(dir)),
            _ => self.home().map(|h| h.join(fallback)),
        }
    }

    /// The config file: `REPLY_CONFIG`, else `$XDG_CONFIG_HOME/reply/config.toml`.
    pub fn config_file(&self) -> Option<PathBuf> {
        if let Some(file) = self.get("REPLY_CONFIG") {
            return Some(self.expand(file));
        }
        self.xdg("XDG_CONFIG_HOME", ".config")
            .map(|d| d.join("reply").join("config.toml"))
    }

    /// The user's own library: `$XDG_DATA_HOME/reply/replies`.
    pub fn user_library(&self) -> Option<PathBuf> {
        self.xdg("XDG_DATA_HOME", ".local/share")
            .map(|d| d.join("reply").join("replies"))
    }

    /// Where `reply library add` clones team libraries: `$XDG_DATA_HOME/reply/libraries`.
    pub fn libraries_dir(&self) -> Option<PathBuf> {
        self.xdg("XDG_DATA_HOME", ".local/share")
            .map(|d| d.join("reply").join("libraries"))
    }

    /// Where `reply` keeps what it remembers between runs (recent answers,
    /// drafts, the usage log): `$XDG_STATE_HOME/reply`. State, not cache: a
    /// draft is someone's work, never deleted to save space.
    pub fn state_dir(&self) -> Option<PathBuf> {
        self.xdg("XDG_STATE_HOME", ".local/state")
            .map(|d| d.join("reply"))
    }

    /// The editor the person chose: `$VISUAL`, else `$EDITOR` (as git and
    /// crontab read them); `None` when neither is set.
    pub fn editor(&self) -> Option<String> {
        self.get("VISUAL")
            .or_else(|| self.get("EDITOR"))
            .map(str::to_string)
    }

    /// Where the parsed-library cache lives: `$XDG_CACHE_HOME/reply`.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        self.xdg("XDG_CACHE_HOME", ".cache")
            .map(|d| d.join("reply"))
    }

    /// Expands a leading `~/` the way a shell would, since config values are
    /// typed by people who expect it to work.
    pub fn expand(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/"), self.home()) {
            (Some(rest), Some(home)) => home.join(rest),
            _ if path == "~" => self.home().unwrap_or_else(|| PathBuf::from(path)),
            _ => PathBuf::from(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_paths_fall_back_to_home() {
        let env = Env::from_pairs([("HOME", "/h")]);
        assert_eq!(
            env.config_file().unwrap(),
            PathBuf::from("/h/.config/reply/config.toml")
        );
        assert_eq!(
            env.user_library().unwrap(),
            PathBuf::from("/h/.local/share/reply/replies")
        );
    }

    #[test]
    fn state_lives_in_its_xdg_folder_and_visual_wins() {
        let env = Env::from_pairs([("HOME", "/h"), ("EDITOR", "nano")]);
        assert_eq!(
            env.state_dir().unwrap(),
            PathBuf::from("/h/.local/state/reply")
        );
        assert_eq!(env.editor().as_deref(), Some("nano"));
        let env = Env::from_pairs([
            ("XDG_STATE_HOME", "/s"),
            ("VISUAL", "code --wait"),
            ("EDITOR", "nano"),
        ]);
        assert_eq!(env.state_dir().unwrap(), PathBuf::from("/s/reply"));
        assert_eq!(env.editor().as_deref(), Some("code --wait"));
    }

    #[test]
    fn relative_xdg_values_are_ignored() {
        let env = Env::from_pairs([("HOME", "/h"), ("XDG_DATA_HOME", "rel")]);
        assert_eq!(
            env.user_library().unwrap(),
            PathBuf::from("/h/.local/share/reply/replies")
        );
    }

    #[test]
    fn reply_config_wins_and_expands_tilde() {
        let env = Env::from_pairs([("HOME", "/h"), ("REPLY_CONFIG", "~/c.toml")]);
        assert_eq!(env.config_file().unwrap(), PathBuf::from("/h/c.toml"));
    }

    #[test]
    fn empty_env_values_count_as_unset() {
        let env = Env::from_pairs([("REPLY_AGENT", "")]);
        assert_eq!(env.get("REPLY_AGENT"), None);
    }
}
