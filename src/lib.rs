//! `reply`: find, personalise and send saved replies. The binary is a thin
//! wrapper around [`run`]; each subcommand lives in `commands/`.

pub mod batch;
pub mod catalog;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod completion;
pub mod compose;
pub mod config;
pub mod diag;
pub mod error;
pub mod fold;
pub mod library;
pub mod lint;
pub mod man;
pub mod output;
pub mod parallel;
pub mod personal;
pub mod platform;
pub mod render;
pub mod search;

use crate::catalog::Catalog;
use crate::cli::{Cli, Command};
use crate::config::{Config, Env};
use crate::error::{Error, Result};
use crate::output::Out;
use crate::personal::Clock;

/// What every command works with: the environment, the config, the output.
pub struct App {
    pub env: Env,
    pub config: Config,
    pub out: Out,
    pub libraries: Vec<std::path::PathBuf>,
    pub clock: Clock,
}

impl App {
    pub fn new(cli: &Cli, env: Env, out: Out) -> Result<App> {
        let config = Config::load(&env)?;
        let now = cli
            .global
            .now
            .clone()
            .or_else(|| env.get("REPLY_NOW").map(str::to_string));
        let clock = match now {
            Some(s) => Clock::parse(&s).ok_or_else(|| {
                data_err!(
                    "error: `{s}` is not a time (from --now or REPLY_NOW)\n  = hint: write it as 2026-11-25T09:30 (local time) or 2026-11-25"
                )
            })?,
            None => Clock::local(),
        };
        Ok(App {
            env,
            config,
            out,
            libraries: cli.global.libraries.clone(),
            clock,
        })
    }

    /// The config's (or `REPLY_LANG`'s) language: the default for replies
    /// that name none, and the variant to render when none is asked for.
    pub fn default_lang(&self) -> Option<String> {
        self.env
            .get("REPLY_LANG")
            .map(str::to_string)
            .or_else(|| self.config.lang.clone())
            .map(|l| l.to_ascii_lowercase())
    }

    pub fn layers(&self) -> Vec<library::Layer> {
        library::layers(&self.libraries, &self.env, &self.config)
    }

    /// The language replies that name none are read in.
    pub fn library_lang(&self) -> String {
        self.config
            .lang
            .clone()
            .map(|l| l.to_ascii_lowercase())
            .unwrap_or_else(|| "en".into())
    }

    /// The catalog of every reply in use, from the cache when it is fresh
    /// (`REPLY_NO_CACHE` reads every file instead). Problems in files are
    /// reported on stderr (`full`: every one; otherwise a one-line summary)
    /// and never hide the good replies.
    pub fn catalog(&mut self, full: bool) -> Result<Catalog> {
        let cache = match self.env.get("REPLY_NO_CACHE") {
            Some(_) => None,
            None => self.env.cache_dir(),
        };
        let cat = Catalog::load(self.layers(), &self.library_lang(), cache.as_deref())?;
        let problems: Vec<_> = cat.problems.iter().filter(|p| p.error).collect();
        if full {
            for p in &problems {
                self.out.error(&p.text);
            }
        } else if !problems.is_empty() {
            let files: std::collections::BTreeSet<_> =
                problems.iter().filter_map(|p| p.file.as_deref()).collect();
            self.out.warn(&format!(
                "warning: {} problem{} in {} library file{}: run `reply check` for details",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                files.len().max(1),
                if files.len() > 1 { "s" } else { "" }
            ));
        }
        Ok(cat)
    }
}

/// Runs a parsed command line. Errors carry their exit code; `main` prints them.
pub fn run(cli: Cli, env: Env) -> Result<()> {
    let out = Out::stdio(cli.global.color, &env, cli.global.quiet);
    let mut app = App::new(&cli, env, out)?;
    let result = match &cli.command {
        Command::List(a) => commands::list::run(&mut app, a),
        Command::Search(a) => commands::search::run(&mut app, a),
        Command::Show(a) => commands::show::run(&mut app, a),
        Command::Render(a) => commands::render::run(&mut app, a),
        Command::Vars(a) => commands::vars::run(&mut app, a),
        Command::Check(a) => commands::check::run(&mut app, a),
        Command::Init => commands::init::run(&mut app),
        Command::Paths(a) => commands::paths::run(&mut app, a),
        Command::Completions(a) => commands::completions::run(&mut app, a),
        Command::Man => commands::completions::man(&mut app),
        Command::CompleteIds(a) => commands::completions::ids(&mut app, a),
    };
    // Flush before deciding the exit status: a closed pipe shows up here.
    let flushed = app.out.flush().map_err(Error::from);
    result.and(flushed)
}
