//! `reply`: find, personalise and send saved replies. The binary is a thin
//! wrapper around [`run`]; each subcommand lives in `commands/`.

pub mod batch;
pub mod cli;
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
pub mod personal;
pub mod platform;
pub mod render;
pub mod search;

use crate::cli::{Cli, Command};
use crate::config::{Config, Env};
use crate::error::{Error, Result};
use crate::library::Library;
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

    /// Loads every library in use. Problems in files are reported on stderr
    /// (`full`: every diagnostic; otherwise a one-line summary) and never hide
    /// the good replies.
    pub fn library(&mut self, full: bool) -> Result<Library> {
        let lang = self
            .config
            .lang
            .clone()
            .map(|l| l.to_ascii_lowercase())
            .unwrap_or_else(|| "en".into());
        let lib = Library::load(self.layers(), &lang)?;
        let problems: Vec<_> = lib.diagnostics.iter().filter(|d| d.is_error()).collect();
        if full {
            for d in &problems {
                self.out.error(&d.to_string());
            }
        } else if !problems.is_empty() {
            let files: std::collections::BTreeSet<_> = problems
                .iter()
                .filter_map(|d| d.location.as_ref().map(|l| l.file.as_str()))
                .collect();
            self.out.warn(&format!(
                "warning: {} problem{} in {} library file{}: run `reply check` for details",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                files.len().max(1),
                if files.len() > 1 { "s" } else { "" }
            ));
        }
        Ok(lib)
    }
}

/// Runs a parsed command line. Errors carry their exit code; `main` prints them.
pub fn run(cli: Cli, env: Env) -> Result<()> {
    let out = Out::stdio(cli.global.color, &env, cli.global.quiet);
    let mut app = App::new(&cli, env, out)?;
    let result = match &cli.command {
        Some(Command::List(a)) => commands::list::run(&mut app, a),
        Some(Command::Search(a)) => commands::search::run(&mut app, a),
        Some(Command::Show(a)) => commands::show::run(&mut app, a),
        Some(Command::Render(a)) => commands::render::run(&mut app, a),
        Some(Command::Vars(a)) => commands::vars::run(&mut app, a),
        Some(Command::Check(a)) => commands::check::run(&mut app, a),
        Some(Command::Init) => commands::init::run(&mut app),
        Some(Command::Paths(a)) => commands::paths::run(&mut app, a),
        Some(Command::Completions(a)) => commands::completions::run(&mut app, a),
        Some(Command::Man) => commands::completions::man(&mut app),
        Some(Command::CompleteIds(a)) => commands::completions::ids(&mut app, a),
        None => commands::render::run(&mut app, &cli.render),
    };
    // Flush before deciding the exit status: a closed pipe shows up here.
    let flushed = app.out.flush().map_err(Error::from);
    result.and(flushed)
}
