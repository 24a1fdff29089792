//! Settings: one plain struct built once from the global flags, the
//! environment and the config file. Nothing below this layer reads an
//! environment variable or sees a clap type: it gets what it needs from here.

pub mod config;
pub mod edit;
pub mod env;

use std::path::PathBuf;

pub use config::{Config, PlatformSpec};
pub use env::Env;

use crate::compose::platform::{self, Platform};
use crate::compose::{Clock, Origin, RenderLimits, Runtime, Value, Values};
use crate::deliver::OutputMode;
use crate::deliver::clipboard::{ClipboardEnv, CopyOptions};
use crate::diag::{Error, Result};
use crate::library::{Layer, LayerKind};

/// The global flags, as plain values: the command layer fills it from clap.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--library DIR`, highest first.
    pub libraries: Vec<PathBuf>,
    /// `--now TIME`.
    pub now: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub config: Config,
    /// Every library layer, highest first, the starter library last.
    pub layers: Vec<Layer>,
    /// The language replies that name none are read in.
    pub library_lang: String,
    /// The language to render when no `--lang` is given (`REPLY_LANG`, config).
    pub lang: Option<String>,
    /// The platform to render for when no `--platform` is given.
    pub platform: Option<String>,
    /// The built-in platform profiles with the config's added or overriding.
    pub platforms: Vec<Platform>,
    pub clock: Clock,
    pub limits: RenderLimits,
    /// Where the catalog cache lives; `None` with `REPLY_NO_CACHE`.
    pub cache: Option<PathBuf>,
    /// Where the cache would live, for `reply paths`.
    pub cache_home: Option<PathBuf>,
    pub user_library: Option<PathBuf>,
    /// `$XDG_STATE_HOME/reply`: recent answers, drafts, the usage log.
    pub state_dir: Option<PathBuf>,
    /// Where drafts of `new` and `edit` are kept (`STATE_DIR/drafts`).
    pub drafts: Option<PathBuf>,
    /// The usage log (`STATE_DIR/usage.jsonl`), read by `history` and
    /// `stats` whether or not recording is on.
    pub usage_log: Option<PathBuf>,
    /// Record deliveries in the usage log and rank by it; `Err` says what
    /// turned it off (the config's `history = false`, `REPLY_NO_HISTORY`).
    pub history: std::result::Result<(), &'static str>,
    /// The editor the person chose (`$VISUAL`, else `$EDITOR`), as typed.
    pub editor: Option<String>,
    pub config_file: Option<PathBuf>,
    /// `$HOME`, to show paths with `~`.
    pub home: Option<PathBuf>,
    /// Values from the environment and the config (flags and data go above them).
    pub values: Values,
    pub clipboard: ClipboardEnv,
    /// The config's libraries (named and folders), in layer order.
    pub libraries: Vec<crate::team::Spec>,
    /// What the team commands need: where clones go, sync state, auto sync.
    pub team: crate::team::Team,
}

impl Settings {
    pub fn load(flags: &Flags, env: &Env) -> Result<Settings> {
        if let Some(marker) = env.get("REPLY_TEST_PAUSE_BEFORE_RENAME") {
            crate::util::test_hooks::set_pause_before_rename(PathBuf::from(marker));
        }
        if env.get("REPLY_TEST_PANIC_IN_PICKER").is_some() {
            crate::util::test_hooks::set_panic_in_picker();
        }
        if let Some(log) = env.get("REPLY_TEST_CATALOG_PARSES") {
            crate::util::test_hooks::set_parse_log(PathBuf::from(log));
        }
        Settings::with_config(flags, env, Config::load(env)?)
    }

    /// The settings with `config` in place of the config file's: for the
    /// commands that must work while that file is broken (`reply config`).
    pub fn with_config(flags: &Flags, env: &Env, config: Config) -> Result<Settings> {
        let now = flags
            .now
            .clone()
            .or_else(|| env.get("REPLY_NOW").map(str::to_string));
        let clock = match now {
            Some(s) => Clock::parse(&s).ok_or_else(|| {
                Error::usage(format!("`{s}` is not a time (from --now or REPLY_NOW)"))
                    .hint("write it as 2026-11-25T09:30 (local time) or 2026-11-25")
            })?,
            None => Clock::local(),
        };
        let limits = limits(&config)?;
        let lower = |s: &str| s.to_ascii_lowercase();
        let (layers, libraries) = layers(flags, env, &config);
        let clipboard = clipboard_env(env);
        let team = crate::team::Team {
            clones: env.libraries_dir(),
            state: env.state_dir(),
            scratch: clipboard.temp_dir.clone(),
            auto_sync: config.auto_sync.unwrap_or(false),
            git_timeout: env
                .get("REPLY_TEST_GIT_TIMEOUT")
                .and_then(crate::util::units::parse_duration),
            pause: env.get("REPLY_TEST_PAUSE_SYNC").map(PathBuf::from),
        };
        Ok(Settings {
            limits,
            layers,
            libraries,
            team,
            library_lang: config.lang.as_deref().map_or_else(|| "en".into(), lower),
            lang: env.get("REPLY_LANG").or(config.lang.as_deref()).map(lower),
            platform: env
                .get("REPLY_PLATFORM")
                .map(str::to_string)
                .or_else(|| config.platform.clone()),
            platforms: platform::all(&config.platforms),
            clock,
            cache: match env.get("REPLY_NO_CACHE") {
                Some(_) => None,
                None => env.cache_dir(),
            },
            cache_home: env.cache_dir(),
            user_library: env.user_library(),
            state_dir: env.state_dir(),
            drafts: env.state_dir().map(|d| d.join("drafts")),
            usage_log: env.state_dir().map(|d| d.join(crate::history::usage::FILE)),
            history: if env.get("REPLY_NO_HISTORY").is_some() {
                Err("REPLY_NO_HISTORY is set")
            } else if config.history == Some(false) {
                Err("`history = false` in the config")
            } else {
                Ok(())
            },
            editor: env.editor(),
            config_file: env.config_file(),
            home: env.home(),
            values: values(env, &config),
            clipboard,
            config,
        })
    }

    /// The clock and the render limits, as every render gets them.
    pub fn runtime(&self) -> Runtime {
        Runtime {
            clock: self.clock,
            limits: self.limits,
        }
    }

    /// The platform in effect: `flag`, else the default, checked against the known ones.
    pub fn platform(&self, flag: Option<&str>) -> Result<Option<Platform>> {
        match flag.or(self.platform.as_deref()) {
            None => Ok(None),
            Some(name) => platform::named(&self.platforms, name).map(Some),
        }
    }

    /// Where rendered messages go when no flag says: the config's `output`, else auto.
    pub fn output(&self) -> Result<OutputMode> {
        match self.config.output.as_deref() {
            None => Ok(OutputMode::Auto),
            Some(s) => OutputMode::parse(s).ok_or_else(|| {
                Error::usage(format!(
                    "`output = \"{s}\"` in the config is not an output mode"
                ))
                .hint("use auto, copy, print or both")
            }),
        }
    }

    /// How to copy: the config's `copy_command` and what the environment says.
    pub fn copy_options(&self, force_osc52: bool) -> CopyOptions {
        CopyOptions {
            force_osc52,
            command: self.config.copy_command.clone(),
            env: self.clipboard.clone(),
        }
    }

    /// A path as typed on the command line: a leading `~/` is the home folder.
    pub fn expand_path(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/"), &self.home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(path),
        }
    }

    /// A path as people read it: under the home folder with `~`.
    pub fn show_path(&self, path: &std::path::Path) -> String {
        let shown = path.display().to_string();
        match &self.home {
            Some(home) => match path.strip_prefix(home) {
                Ok(rest) if !home.as_os_str().is_empty() => format!("~/{}", rest.display())
                    .trim_end_matches('/')
                    .to_string(),
                _ => shown,
            },
            None => shown,
        }
    }
}

/// The library folders in use, highest first: `--library`, `REPLY_LIBRARY`,
/// the config's `libraries` with the user's own library where `user` is
/// among them (else after them), and the starter library, which serves only
/// when none of the others exists. With them, the config's libraries.
fn layers(flags: &Flags, env: &Env, config: &Config) -> (Vec<Layer>, Vec<crate::team::Spec>) {
    let mut specs: Vec<(LayerKind, PathBuf)> = Vec::new();
    for dir in &flags.libraries {
        specs.push((LayerKind::Flag, dir.clone()));
    }
    if let Some(list) = env.get("REPLY_LIBRARY") {
        for dir in std::env::split_paths(list).filter(|p| !p.as_os_str().is_empty()) {
            specs.push((LayerKind::Env, env.expand(&dir.to_string_lossy())));
        }
    }
    let mut libraries = Vec::new();
    let mut own = false;
    for listed in config.listed(env) {
        match listed {
            config::Listed::Own => {
                if let Some(dir) = env.user_library().filter(|_| !own) {
                    specs.push((LayerKind::User, dir));
                }
                own = true;
            }
            config::Listed::Library(mut spec) => {
                spec.layer = specs.len();
                specs.push((LayerKind::Config, spec.path.clone()));
                libraries.push(spec);
            }
        }
    }
    if !own && let Some(dir) = env.user_library() {
        specs.push((LayerKind::User, dir));
    }
    (crate::library::layers(specs), libraries)
}

/// The render limits: the defaults, or the config's `[limits]`.
pub(crate) fn limits(config: &Config) -> Result<RenderLimits> {
    use crate::util::units::{parse_duration, parse_size};
    let mut limits = RenderLimits::default();
    if let Some(t) = &config.limits.render_time {
        limits.time = parse_duration(t).filter(|d| !d.is_zero()).ok_or_else(|| {
            Error::usage(format!(
                "`render_time = \"{t}\"` in the config is not a duration"
            ))
            .hint("write it as `2s` or `500ms`")
        })?;
    }
    if let Some(o) = &config.limits.render_output {
        limits.output = parse_size(o)
            .filter(|&n| n > 0)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                Error::usage(format!(
                    "`render_output = \"{o}\"` in the config is not a size"
                ))
                .hint("write it as `1MB` or `256KB`")
            })?;
    }
    Ok(limits)
}

/// Values that apply to every reply from the environment and the config.
fn values(env: &Env, config: &Config) -> Values {
    let mut v = Values::default();
    let s = |x: &str| Value::String(x.to_string());
    for (name, var) in [
        ("customer", "REPLY_CUSTOMER"),
        ("agent", "REPLY_AGENT"),
        ("brand", "REPLY_BRAND"),
    ] {
        if let Some(x) = env.get(var) {
            v.offer(name, s(x), Origin::Env);
        }
    }
    for (k, x) in env.with_prefix("REPLY_VAR_") {
        if crate::compose::valid_var_name(k) {
            v.offer(k, s(x), Origin::Env);
        }
    }
    if let Some(x) = &config.agent {
        v.offer("agent", s(x), Origin::Config);
    }
    if let Some(x) = &config.brand {
        v.offer("brand", s(x), Origin::Config);
    }
    for (k, x) in &config.vars {
        if let Ok(val) = serde_json::to_value(x) {
            v.offer(k, val, Origin::Config);
        }
    }
    v
}

/// What the clipboard needs to know of the environment.
pub fn clipboard_env(env: &Env) -> ClipboardEnv {
    ClipboardEnv {
        display: env.get("DISPLAY").map(str::to_string),
        wayland_display: env.get("WAYLAND_DISPLAY").map(str::to_string),
        ssh: env.get("SSH_TTY").is_some() || env.get("SSH_CONNECTION").is_some(),
        tmux: env.get("TMUX").is_some(),
        screen: env.get("STY").is_some()
            || env.get("TERM").is_some_and(|t| t.starts_with("screen")),
        runtime_dir: env
            .get("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute()),
        temp_dir: env
            .get("TMPDIR")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| PathBuf::from("/tmp")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_env_over_config() {
        let env = Env::from_pairs([
            ("REPLY_AGENT", "Env"),
            ("REPLY_VAR_order", "B2"),
            ("REPLY_VAR_bad name", "x"),
        ]);
        let config = Config {
            agent: Some("Cfg".into()),
            brand: Some("CfgBrand".into()),
            ..Default::default()
        };
        let v = values(&env, &config);
        assert_eq!(v.get("agent").unwrap().value, "Env");
        assert_eq!(v.get("brand").unwrap().value, "CfgBrand");
        assert_eq!(v.get("order").unwrap().origin, Origin::Env);
        assert!(v.get("bad name").is_none());
    }

    #[test]
    fn paths_show_home_as_tilde() {
        let s = Settings::load(
            &Flags::default(),
            &Env::from_pairs([("HOME", "/h"), ("REPLY_CONFIG", "/nonexistent/c.toml")]),
        );
        // A named config that does not exist is an error; the home rule needs none.
        assert!(s.is_err());
        let s = Settings::load(&Flags::default(), &Env::from_pairs([("HOME", "/h")])).unwrap();
        assert_eq!(s.show_path(std::path::Path::new("/h/lib")), "~/lib");
        assert_eq!(s.show_path(std::path::Path::new("/other")), "/other");
    }
}
