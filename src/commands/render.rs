//! `reply render QUERY` (and bare `reply QUERY`): find the reply, render it with
//! the values given, check it against the platform, and deliver it.

use serde::Serialize;

use super::{App, JSON_VERSION, Run};
use crate::cli::RenderArgs;
use crate::compose::platform::Measure;
use crate::compose::{Choice, Job, UsedVar, ValueInputs};
use crate::deliver::{OutputMode, clipboard};
use crate::diag::{Error, Result};
use crate::find;
use crate::library::{Library, Part};
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
        let (lib, id, exact) = resolve(app, self)?;
        let job = prepare(app, &lib, &id, self)?;
        if let Some(each) = &self.each {
            return super::batch::render_batch(app, &job, each, self);
        }
        let base = ValueInputs::from(&self.values).over(&app.settings.values)?;
        let msg = job.render(&base)?;
        if let Some(s) = msg.measure.and_then(|m| m.sms) {
            app.out.info(&format!(
                "SMS: {} characters in {}, {} segment{}",
                s.units,
                s.encoding,
                s.segments,
                if s.segments == 1 { "" } else { "s" }
            ));
        }
        let text = &msg.rendered.text;
        if self.json {
            return app.json(&RenderJson {
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
            });
        }
        deliver(app, self, text)
    }
}

/// Finds the reply for the query (noting on stderr when fuzzy search chose it)
/// and reads its file. Returns the library holding it, its id, and whether
/// the query was its exact id.
fn resolve(app: &mut App<'_>, args: &RenderArgs) -> Result<(Library, String, bool)> {
    if args.for_message.is_some() {
        return super::suggest::resolve_for(app, args);
    }
    let query = args.query.as_deref().unwrap_or("");
    let cat = app.catalog(false)?;
    // `reply chek`: a word close to a subcommand renders only as an exact id.
    if let Some(t) = &app.typo
        && cat.get(query.trim()).is_none()
    {
        return Err(super::unknown_command(t));
    }
    let found = find::lookup(&cat, query, args.exact)?;
    if !found.exact {
        app.out.info(&format!(
            "Rendering `{}` ({}): best match for \"{}\"",
            found.entry.id(),
            sanitize(found.entry.title(), false),
            sanitize(query.trim(), false)
        ));
    }
    let (id, exact) = (found.entry.id().to_string(), found.exact);
    let lib = find::open(&cat, found.entry)?;
    Ok((lib, id, exact))
}

/// The job for reply `id`: language, text and platform from the flags and
/// settings, with its warnings written on stderr.
fn prepare<'a>(
    app: &mut App<'_>,
    lib: &'a Library,
    id: &str,
    args: &RenderArgs,
) -> Result<Job<'a>> {
    let choice = Choice {
        lang: args.lang.clone().or_else(|| app.settings.lang.clone()),
        strict_lang: args.strict_lang,
        public: args.public,
        platform: app.settings.platform(args.platform.as_deref())?,
    };
    let job = Job::new(lib, id, &choice, &app.settings.runtime())?;
    for w in &job.warnings {
        app.out.diagnostic(w);
    }
    Ok(job)
}

/// Where the message goes: a flag, else the config's `output`, else auto.
fn output_mode(app: &App<'_>, args: &RenderArgs) -> Result<OutputMode> {
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
fn deliver(app: &mut App<'_>, args: &RenderArgs, text: &str) -> Result<()> {
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
    Ok(())
}
