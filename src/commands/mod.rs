//! The top layer: one thin file per subcommand, each an `impl Run` for its
//! clap arguments. A command turns its arguments into plain values, calls the
//! layers below, and writes what they return through `App::out`; this module
//! parses the command line, builds the settings, and maps the outcome to the
//! exit code, in one place.

mod ask;
mod author;
mod batch;
mod check;
mod complete_ids;
mod completions;
mod config;
mod cp;
mod edit;
mod editor;
mod export;
mod history;
mod import;
mod init;
mod library;
mod list;
mod man;
mod mv;
mod new;
mod paths;
mod pick;
mod render;
mod rm;
mod search;
mod show;
mod stats;
mod suggest;
mod sync;
mod test;
mod usage;
mod vars;

use std::ffi::OsString;

use clap::Parser;
use serde::Serialize;

use crate::cli::{Cli, Command, Normalized, Typo, ValueArgs, normalize_args};
use crate::compose::ValueInputs;
use crate::deliver::{ColorRules, ColorWhen, Out};
use crate::diag::{Diagnostic, Error, Result};
use crate::library::{Catalog, Entry, Layer};
use crate::settings::{Env, Flags, Settings};

/// The version of every `--json` shape; bumped only on incompatible changes.
pub const JSON_VERSION: u32 = 1;

/// What a command works with.
pub struct App<'a> {
    pub out: &'a mut Out,
    pub settings: Settings,
    /// The first word was taken for a query but looks like a mistyped
    /// subcommand: render refuses it unless it is an exact id.
    pub typo: Option<Typo>,
    /// A person is there to answer: stdin and stdout are terminals and
    /// `--no-input` was not given. Never true for a script, nor when stdout
    /// is captured (`msg=$(reply refund)` behaves as it always did).
    pub interactive: bool,
    /// `reply pick` may open: stdin and stdout or stderr are terminals, so
    /// `reply pick | wl-copy` picks on the terminal and pipes the message,
    /// as fzf does. Only the command that asks for the picker by name uses it.
    pub can_pick: bool,
    /// `--no-input`: nothing interactive at all, not even an editor.
    pub no_input: bool,
    /// `reply QUERY` (not `reply render QUERY`): on a terminal, a query that
    /// matches several replies opens the picker.
    pub bare: bool,
    /// The picker and prompts may use colour.
    pub tui_color: bool,
}

/// What `main` learns before the settings, for the commands.
struct Start {
    typo: Option<Typo>,
    bare: bool,
    interactive: bool,
    can_pick: bool,
    tui_color: bool,
}

/// A subcommand that works on the libraries and settings.
pub trait Run {
    fn run(&self, app: &mut App<'_>) -> Result<()>;
}

/// A subcommand that only prints what the command line itself defines
/// (completions, the man page): it runs even when the config is broken.
pub trait Emit {
    fn emit(&self, out: &mut Out) -> Result<()>;
}

/// Runs `reply` with these arguments and environment; returns the exit code.
pub fn main(args: Vec<OsString>, env: Env) -> u8 {
    let Normalized { args, typo, bare } = normalize_args(args);
    let rules = |when: &str| ColorRules {
        when: ColorWhen::parse(when).unwrap_or_default(),
        no_color: env.get("NO_COLOR").is_some(),
        dumb: env.get("TERM") == Some("dumb"),
    };
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(mut e) => {
            suggest_option(&mut e, &args);
            return clap_error(e, typo, rules("auto"));
        }
    };
    let colour = rules(&cli.global.color);
    let mut out = Out::stdio(colour, cli.global.quiet);
    let (stdin, stdout, stderr) = {
        use std::io::IsTerminal;
        (
            std::io::stdin().is_terminal(),
            std::io::stdout().is_terminal(),
            std::io::stderr().is_terminal(),
        )
    };
    let person = !cli.global.no_input && stdin;
    let start = Start {
        typo,
        bare,
        interactive: person && stdout,
        can_pick: person && (stdout || stderr),
        tui_color: match colour.when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => !colour.no_color && !colour.dumb,
        },
    };
    let result = dispatch(&cli, start, env, &mut out);
    // Flush before deciding the exit status: a closed pipe shows up here.
    let result = result.and(out.flush().map_err(Error::from));
    match result {
        Ok(()) => 0,
        // The reader went away (`reply list | head -1`): nothing to report.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            out.report(&e);
            e.code() as u8
        }
    }
}

fn dispatch(cli: &Cli, start: Start, env: Env, out: &mut Out) -> Result<()> {
    let command = match &cli.command {
        Some(Command::Completions(a)) => return a.emit(out),
        Some(Command::Man(a)) => return a.emit(out),
        // `reply` alone: the picker for a person, the help for anyone else.
        None if !start.interactive => {
            use clap::CommandFactory;
            out.error(Cli::command().render_help().to_string().trim_end());
            return Err(Error::Reported);
        }
        None => None,
        Some(c) => Some(c),
    };
    let flags = Flags {
        libraries: cli.global.libraries.clone(),
        now: cli.global.now.clone(),
    };
    // Completion runs on every Tab: it must never print errors into the prompt.
    if let Some(Command::CompleteIds(a)) = command {
        return match Settings::load(&flags, &env) {
            Ok(settings) => a.run(&mut App {
                out,
                settings,
                typo: None,
                interactive: false,
                can_pick: false,
                no_input: true,
                bare: false,
                tui_color: false,
            }),
            Err(_) => Ok(()),
        };
    }
    let settings = match Settings::load(&flags, &env) {
        Ok(s) => s,
        // `reply config` is how a broken config gets mended: it edits the
        // file itself and checks every change, so it runs without it.
        Err(_) if matches!(command, Some(Command::Config(_))) => {
            Settings::with_config(&flags, &env, crate::settings::Config::default())?
        }
        Err(e) => return Err(e),
    };
    let mut app = App {
        out,
        settings,
        typo: start.typo,
        interactive: start.interactive,
        can_pick: start.can_pick,
        no_input: cli.global.no_input,
        bare: start.bare,
        tui_color: start.tui_color,
    };
    let Some(command) = command else {
        return crate::cli::PickArgs::default().run(&mut app);
    };
    match command {
        Command::List(a) => a.run(&mut app),
        Command::Search(a) => a.run(&mut app),
        Command::Suggest(a) => a.run(&mut app),
        Command::Show(a) => a.run(&mut app),
        Command::Render(a) => a.run(&mut app),
        Command::Pick(a) => a.run(&mut app),
        Command::Vars(a) => a.run(&mut app),
        Command::Check(a) => a.run(&mut app),
        Command::Test(a) => a.run(&mut app),
        Command::New(a) => a.run(&mut app),
        Command::Edit(a) => a.run(&mut app),
        Command::Rm(a) => a.run(&mut app),
        Command::Mv(a) => a.run(&mut app),
        Command::Cp(a) => a.run(&mut app),
        Command::Import(a) => a.run(&mut app),
        Command::Export(a) => a.run(&mut app),
        Command::Init(a) => a.run(&mut app),
        Command::Config(a) => a.run(&mut app),
        Command::Paths(a) => a.run(&mut app),
        Command::History(a) => a.run(&mut app),
        Command::Stats(a) => a.run(&mut app),
        Command::Library(a) => a.run(&mut app),
        Command::Sync(a) => a.run(&mut app),
        Command::Completions(_) | Command::Man(_) | Command::CompleteIds(_) => Ok(()),
    }
}

/// A command line clap refuses, or help and version (printed through our
/// writer, so a failed write is exit 4). A refused line whose first word is
/// close to a subcommand says which one was meant.
fn clap_error(e: clap::Error, typo: Option<Typo>, rules: ColorRules) -> u8 {
    use clap::error::ErrorKind;
    let mut out = Out::stdio(rules, false);
    let styled = e.render();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = if out.color {
                styled.ansi().to_string()
            } else {
                styled.to_string()
            };
            match out.write(&text).and_then(|()| out.flush()) {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    out.report(&Error::from(e));
                    crate::diag::Code::Io as u8
                }
            }
        }
        _ => {
            let plain = styled.to_string();
            // clap quotes the arguments as typed: escape them, colour or not.
            let unsafe_text = plain
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t');
            match typo {
                Some(t) => out.report(&unknown_command(&t)),
                None if out.err_color() && !unsafe_text => {
                    out.error(styled.ansi().to_string().trim_end())
                }
                None => out.error(crate::util::escape::sanitize(plain.trim_end(), true).as_str()),
            }
            crate::diag::Code::Data as u8
        }
    }
}

/// An unknown option close to a real one (`list --tg`) that clap's own
/// similarity measure misses gets the tip too.
fn suggest_option(e: &mut clap::Error, args: &[OsString]) {
    use clap::CommandFactory;
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::UnknownArgument || e.get(ContextKind::SuggestedArg).is_some() {
        return;
    }
    let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidArg) else {
        return;
    };
    let Some(typed) = typed.strip_prefix("--").map(str::to_string) else {
        return;
    };
    let mut cmd = Cli::command();
    cmd.build();
    let sub = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find_map(|a| cmd.find_subcommand(a).map(|s| s.get_name().to_string()));
    let scope = match sub.as_deref().and_then(|s| cmd.find_subcommand(s)) {
        Some(s) => s,
        None => &cmd,
    };
    let longs: Vec<&str> = scope.get_arguments().filter_map(|a| a.get_long()).collect();
    if let Some(close) = crate::util::suggest::closest(&typed, longs) {
        e.insert(
            ContextKind::SuggestedArg,
            ContextValue::String(format!("--{close}")),
        );
    }
}

/// The error for a first word that is neither a subcommand nor a reply id but
/// close to a subcommand.
pub fn unknown_command(t: &Typo) -> Error {
    Error::usage(format!("`{}` is not a command", t.word)).hint(format!(
        "did you mean `{}`? To render the reply that best matches `{}`, use `reply render {}`",
        t.meant, t.word, t.word
    ))
}

impl App<'_> {
    /// The catalog of every reply in use (from the cache when it is fresh).
    /// Problems in files are reported on stderr (`full`: every one; else a
    /// one-line summary) and never hide the good replies.
    pub fn catalog(&mut self, full: bool) -> Result<Catalog> {
        let s = &self.settings;
        let cat = Catalog::load(s.layers.clone(), &s.library_lang, s.cache.as_deref())?;
        let problems: Vec<_> = cat.problems.iter().filter(|p| p.error).collect();
        if full {
            for p in &problems {
                // Written when the cache was: escaped then, and again now.
                self.out
                    .error(&crate::util::escape::sanitize(&p.text, true));
            }
        } else if !problems.is_empty() {
            let files: std::collections::BTreeSet<_> =
                problems.iter().filter_map(|p| p.file.as_deref()).collect();
            self.out.diagnostic(&Diagnostic::warning(
                "library",
                format!(
                    "{} problem{} in {} library file{}: run `reply check` for details",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" },
                    files.len().max(1),
                    if files.len() > 1 { "s" } else { "" }
                ),
            ));
        }
        Ok(cat)
    }

    /// Where a layer is, as people read it.
    pub fn place(&self, layer: &Layer) -> String {
        layer.place(|p| self.settings.show_path(p))
    }

    /// The JSON description of where a reply lives.
    pub fn source(&self, cat: &Catalog, entry: &Entry) -> Source {
        let layer = cat.layer(entry);
        Source {
            library: self.place(layer),
            layer: layer.kind.label(),
            file: cat.file(entry).name.clone(),
            line: entry.line as usize,
        }
    }

    /// Writes a value as pretty JSON on stdout.
    pub fn json<T: Serialize>(&mut self, value: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Error::data(format!("cannot encode JSON: {e}")))?;
        self.out.line(&text)?;
        Ok(())
    }
}

/// Where a reply lives, in `--json` output.
#[derive(Serialize)]
pub struct Source {
    pub library: String,
    pub layer: &'static str,
    pub file: String,
    pub line: usize,
}

/// Whether a reply passes the `--platform` and `--lang` filters.
pub fn keep(entry: &Entry, platform: Option<&str>, lang: Option<&str>) -> bool {
    platform.is_none_or(|p| entry.fits_platform(p)) && lang.is_none_or(|l| entry.has_lang(l))
}

impl From<&ValueArgs> for ValueInputs {
    fn from(a: &ValueArgs) -> ValueInputs {
        ValueInputs {
            customer: a.customer.clone(),
            agent: a.agent.clone(),
            brand: a.brand.clone(),
            vars: a.vars.clone(),
            vars_file: a.vars_file.clone(),
        }
    }
}
