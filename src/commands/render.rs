//! `reply render QUERY` (and bare `reply QUERY`): find the reply, render it with
//! the values given, check it against the platform, and deliver it.

use serde::Serialize;

use super::{App, JSON_VERSION, Run, usage};
use crate::cli::{PickArgs, RenderArgs};
use crate::compose::declared::never_stored;
use crate::compose::platform::Measure;
use crate::compose::{Choice, Job, Origin, UsedVar, ValueInputs, Values};
use crate::deliver::{OutputMode, clipboard};
use crate::diag::{Error, Result};
use crate::find;
use crate::history::Recent;
use crate::history::usage::{Found, How};
use crate::library::{Catalog, Library, Part, Value};
use crate::settings::edit::ConfigFile;
use crate::tui;
use crate::util::escape::sanitize;

#[derive(Serialize)]
struct Length {
    chars: usize,
    bytes: usize,
}

#[derive(Serialize)]
struct RenderJson<'a> {
    version: u32,
    id: &'a str,
    title: &'a str,
    lang: &'a str,
    part: &'static str,
    exact: bool,
    platform: Option<&'a str>,
    message: &'a str,
    length: Length,
    measure: Option<&'a Measure>,
    variables: &'a [UsedVar],
}

impl Run for RenderArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        super::sync::staleness(app);
        let cat = app.catalog(false)?;
        let ask = app.interactive && !self.json && self.each.is_none();
        let opts = Options::of_render(self);
        let (lib, id, exact) = match &self.for_message {
            Some(message) => super::suggest::resolve_for(app, &cat, message, self)?,
            None => match self.by_query(app, &cat, ask, &opts)? {
                Some(found) => found,
                // The person picked in the picker: all was done there.
                None => return Ok(()),
            },
        };
        let how = self.how(exact);
        let job = prepare(app, &lib, &id, &opts)?;
        if let Some(each) = &self.each {
            return super::batch::render_batch(app, &job, each, self, how);
        }
        let base = opts.values.over(&app.settings.values)?;
        if ask && needs_asking(&job, &base)? {
            let entry = cat
                .entries
                .iter()
                .position(|e| e.id() == job.reply.id)
                .unwrap_or(0);
            return session(app, &cat, tui::Start::Fill { entry }, &opts, how);
        }
        let msg = job.render(&base)?;
        sms_note(app, &msg);
        let text = &msg.rendered.text;
        if self.json {
            app.json(&RenderJson {
                version: JSON_VERSION,
                id: &job.reply.id,
                title: &job.variant.title,
                lang: &job.variant.lang,
                part: match job.part {
                    Part::Body => "body",
                    Part::Public => "public",
                },
                exact,
                platform: job.platform.as_ref().map(|p| p.name.as_str()),
                message: text,
                length: Length {
                    chars: text.chars().count(),
                    bytes: text.len(),
                },
                measure: msg.measure.as_ref(),
                variables: &msg.rendered.used,
            })?;
            if self.record {
                usage::record(app, &job, how, 1);
            }
            return Ok(());
        }
        if deliver(app, &opts.delivery, text)? || self.record {
            usage::record(app, &job, how, 1);
        }
        Ok(())
    }
}

impl RenderArgs {
    /// How the reply was found, for the usage log: suggested for a message,
    /// its id typed, or the best match for a query.
    fn how(&self, exact: bool) -> How {
        if self.for_message.is_some() || self.suggested {
            How::new(Found::Suggest, Some(1))
        } else if exact {
            How::new(Found::Id, None)
        } else {
            How::new(Found::Search, Some(1))
        }
    }

    /// The reply QUERY names, noting on stderr when fuzzy search chose it:
    /// its file, its id, and whether QUERY was its exact id. `None` when the
    /// query opened the picker and the session there did the rest.
    fn by_query(
        &self,
        app: &mut App<'_>,
        cat: &Catalog,
        ask: bool,
        opts: &Options,
    ) -> Result<Option<(Library, String, bool)>> {
        let query = self.query.as_deref().unwrap_or("").trim();
        // `reply chek`: a word close to a subcommand renders only as an exact id.
        if let Some(t) = &app.typo
            && cat.get(query).is_none()
        {
            return Err(super::unknown_command(t));
        }
        // A bare query that several replies match: let the person pick.
        if ask
            && app.bare
            && !self.exact
            && cat.get(query).is_none()
            && cat.broken_home(query).is_none()
        {
            let hits = find::search(&cat.entries, cat.bodies(), query, |_| true);
            if hits.len() > 1 {
                session(
                    app,
                    cat,
                    tui::Start::Pick {
                        query: query.to_string(),
                    },
                    opts,
                    How::new(Found::Picker, None),
                )?;
                return Ok(None);
            }
        }
        let found = find::lookup(cat, query, self.exact, || usage::frecency(app, cat))?;
        if !found.exact {
            app.out.info(&format!(
                "Rendering `{}` ({}): best match for \"{}\"",
                found.entry.id(),
                sanitize(found.entry.title(), false),
                sanitize(query, false)
            ));
        }
        let lib = find::open(cat, found.entry)?;
        Ok(Some((lib, found.entry.id().to_string(), found.exact)))
    }
}

/// What render and pick share: the values given, what to show, where it goes.
pub(super) struct Options {
    pub values: ValueInputs,
    pub platform: Option<String>,
    pub lang: Option<String>,
    pub public: bool,
    pub strict_lang: bool,
    pub delivery: Delivery,
}

/// Where the message goes, as the flags say.
pub(super) struct Delivery {
    pub copy: bool,
    pub print: bool,
    pub output: Option<String>,
    pub osc52: bool,
}

impl Options {
    fn of_render(a: &RenderArgs) -> Options {
        Options {
            values: ValueInputs::from(&a.values),
            platform: a.platform.clone(),
            lang: a.lang.clone(),
            public: a.public,
            strict_lang: a.strict_lang,
            delivery: Delivery {
                copy: a.copy,
                print: a.print,
                output: a.output.clone(),
                osc52: a.osc52,
            },
        }
    }

    pub(super) fn of_pick(a: &PickArgs) -> Options {
        Options {
            values: ValueInputs::from(&a.values),
            platform: a.platform.clone(),
            lang: a.lang.clone(),
            public: a.public,
            strict_lang: false,
            delivery: Delivery {
                copy: a.delivery.copy,
                print: a.delivery.print,
                output: a.delivery.output.clone(),
                osc52: a.delivery.osc52,
            },
        }
    }

    fn choice(&self, app: &App<'_>) -> Result<Choice> {
        Ok(Choice {
            lang: self.lang.clone().or_else(|| app.settings.lang.clone()),
            strict_lang: self.strict_lang,
            public: self.public,
            platform: app.settings.platform(self.platform.as_deref())?,
        })
    }
}

/// Whether a person should be asked before this renders: a value is
/// missing, or the reply declares a variable nothing gave.
fn needs_asking(job: &Job, base: &Values) -> Result<bool> {
    if !job.missing(base)?.is_empty() {
        return Ok(true);
    }
    let uses = job.variables()?;
    Ok(job.reply.vars.iter().any(|spec| {
        uses.contains(&spec.name)
            && base
                .get(&spec.name)
                .is_none_or(|g| g.origin >= Origin::Default)
    }))
}

fn sms_note(app: &mut App<'_>, msg: &crate::compose::Message) {
    if let Some(s) = msg.measure.and_then(|m| m.sms) {
        app.out.info(&format!(
            "SMS: {} characters in {}, {} segment{}",
            s.units,
            s.encoding,
            s.segments,
            if s.segments == 1 { "" } else { "s" }
        ));
    }
}

/// The picker and/or the prompts, then the render and delivery of what the
/// person chose, through the same path as any render. `how`: how the reply
/// (or the picker's list) was found, for the usage log.
pub(super) fn session(
    app: &mut App<'_>,
    cat: &Catalog,
    start: tui::Start,
    opts: &Options,
    how: How,
) -> Result<()> {
    let base = opts.values.over(&app.settings.values)?;
    let used = match start {
        tui::Start::Fill { .. } => Default::default(),
        _ => usage::frecency(app, cat),
    };
    let mut recent = Recent::load(app.settings.state_dir.as_deref());
    let places: Vec<String> = cat
        .files
        .iter()
        .map(|f| app.place(&cat.layers[f.layer]))
        .collect();
    let runtime = app.settings.runtime();
    let outcome = {
        let recall = |name: &str| recent.get(name);
        let setup = tui::Setup {
            cat,
            runtime,
            base: base.clone(),
            choice: opts.choice(app)?,
            platforms: app.settings.platforms.clone(),
            places,
            color: app.tui_color,
            recent: &recall,
            used: &used,
        };
        tui::run(&setup, start).map_err(|e| Error::data(format!("cannot use the terminal: {e}")))?
    };
    let done = match outcome {
        tui::Outcome::Done(d) => d,
        tui::Outcome::Cancelled => return Err(Error::Cancelled),
        tui::Outcome::Interrupted => return Err(Error::Interrupted),
    };
    let entry = &cat.entries[done.entry];
    let lib = find::open(cat, entry)?;
    let job = Job::new(&lib, entry.id(), &done.choice, &runtime)?;
    for w in &job.warnings {
        app.out.diagnostic(w);
    }
    let mut values = base;
    for (name, value) in &done.answers {
        tui::put(&mut values, name, value.clone());
    }
    let msg = job.render(&values)?;
    sms_note(app, &msg);
    deliver(app, &opts.delivery, &msg.rendered.text)?;
    // A person chose it: recorded wherever the message went.
    let rank = done.rank.and_then(|r| u32::try_from(r).ok());
    usage::record(app, &job, How::new(how.found, rank.or(how.rank)), 1);
    // Remember what may be offered again: never a customer's name or details.
    for (name, value) in &done.answers {
        if let Value::String(text) = value
            && !never_stored(name, job.reply.var(name))
        {
            recent.remember(name, text);
        }
    }
    if let Err(e) = recent.save() {
        app.out
            .warn(&format!("warning: could not remember the answers: {e}"));
    }
    let saves: Vec<&tui::SaveOffer> = done.save.iter().filter(|o| o.on).collect();
    if !saves.is_empty() {
        save_in_config(app, &saves);
    }
    Ok(())
}

/// Saves the agent and brand typed at a prompt in the config; a failure is a
/// warning (the message went out already).
fn save_in_config(app: &mut App<'_>, saves: &[&tui::SaveOffer]) {
    let Some(path) = app.settings.config_file.clone() else {
        return;
    };
    let result = ConfigFile::open(&path).and_then(|mut file| {
        for o in saves {
            file.set(o.key, &o.value)?;
        }
        file.save()
    });
    let shown = sanitize(&app.settings.show_path(&path), false);
    match result {
        Ok(()) => app.out.info(&format!(
            "Saved {} in {shown}",
            saves
                .iter()
                .map(|o| format!("{} = \"{}\"", o.key, sanitize(&o.value, false)))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Err(e) => app.out.diagnostic(
            &e.diagnostic()
                .unwrap_or_else(|| crate::diag::Diagnostic::warning("config", e.to_string())),
        ),
    }
}

/// The job for reply `id`: language, text and platform from the flags and
/// settings, with its warnings written on stderr.
fn prepare<'a>(app: &mut App<'_>, lib: &'a Library, id: &str, opts: &Options) -> Result<Job<'a>> {
    let choice = opts.choice(app)?;
    let job = Job::new(lib, id, &choice, &app.settings.runtime())?;
    for w in &job.warnings {
        app.out.diagnostic(w);
    }
    Ok(job)
}

/// Where the message goes: a flag, else the config's `output`, else auto.
fn output_mode(app: &App<'_>, args: &Delivery) -> Result<OutputMode> {
    if args.copy {
        return Ok(OutputMode::Copy);
    }
    if args.print {
        return Ok(OutputMode::Print);
    }
    match args.output.as_deref().and_then(OutputMode::parse) {
        Some(m) => Ok(m),
        None => app.settings.output(),
    }
}

/// Copies and/or prints the message. Printing is exactly the message, with a
/// final newline only for a terminal, so `$(reply render x)` and pipes get the
/// text unchanged. The copy comes first: if it fails, nothing was printed; the
/// note that says it was copied comes after the message, where the eye is.
/// `true` when it reached a person: copied, or printed on a terminal.
fn deliver(app: &mut App<'_>, args: &Delivery, text: &str) -> Result<bool> {
    let (copy, print) = match output_mode(app, args)? {
        OutputMode::Copy => (true, false),
        OutputMode::Print => (false, true),
        OutputMode::Both => (true, true),
        // Scripts and pipes never touch the clipboard by surprise.
        OutputMode::Auto => (app.out.tty, true),
    };
    let mut notes = Vec::new();
    if copy || args.osc52 {
        let copied = clipboard::copy(text, &app.settings.copy_options(args.osc52))
            .map_err(|e| Error::Clipboard(e.message))?;
        notes.push(clipboard::success_message(text, &copied));
        notes.extend(copied.note);
    }
    if print {
        app.out.write(text)?;
        if app.out.tty {
            app.out.write("\n")?;
        }
        // The message first on the terminal, then what happened to it.
        app.out.flush()?;
    }
    for n in &notes {
        app.out.info(&sanitize(n, false));
    }
    Ok(copy || args.osc52 || (print && app.out.tty))
}
