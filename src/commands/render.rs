//! `reply render QUERY` (and bare `reply QUERY`): find the reply, render it with
//! the values given, check it against the platform, and deliver it.

use serde::Serialize;

use super::{JSON_VERSION, write_json};
use crate::App;
use crate::cli::{OutputMode, RenderArgs};
use crate::clipboard;
use crate::compose;
use crate::data_err;
use crate::error::{Code, Error, Result};
use crate::library::{Library, Part, Reply, Text, Variant};
use crate::platform::{self, Encoding, Measure, Platform};
use crate::render::{self, Rendered, UsedVar, Values};

/// One reply, one variant, one text, one platform: rendered once or once per record.
pub struct Job<'a> {
    pub lib: &'a Library,
    pub reply: &'a Reply,
    pub variant: &'a Variant,
    pub text: &'a Text,
    pub part: Part,
    pub platform: Option<Platform>,
    pub clock: crate::personal::Clock,
    compiled: std::cell::OnceCell<Result<render::Compiled, render::RenderError>>,
}

/// A rendered message that fits its platform.
pub struct Message {
    pub rendered: Rendered,
    pub measure: Option<Measure>,
}

impl Job<'_> {
    fn which(&self) -> String {
        let part = match self.part {
            Part::Body => "the body",
            Part::Public => "the public text",
        };
        if self.variant.lang == self.reply.lang() {
            part.to_string()
        } else {
            format!("{part} ({})", self.variant.lang)
        }
    }

    /// Renders with `values` (the reply's defaults are added here) and checks the limit.
    pub fn render(&self, values: &Values) -> Result<Message> {
        let values = compose::for_reply(values, self.reply);
        let explain = |e| compose::explain(self.lib, self.reply, self.text, &self.which(), e);
        // Compiled once per job: a batch renders the same template per record.
        let compiled = self
            .compiled
            .get_or_init(|| render::Compiled::new(&self.text.src, &self.variant.lang, self.clock))
            .as_ref()
            .map_err(|e| explain(e.clone()))?;
        let rendered = compiled
            .render(&values, self.platform.as_ref().map(|p| p.name.as_str()))
            .map_err(explain)?;
        let measure = self
            .platform
            .as_ref()
            .map(|p| platform::measure(p, &rendered.text));
        if let (Some(p), Some(m)) = (&self.platform, &measure)
            && !m.fits()
        {
            return Err(Error::data(over_limit(&self.reply.id, p, m)));
        }
        Ok(Message { rendered, measure })
    }
}

fn over_limit(id: &str, p: &Platform, m: &Measure) -> String {
    let cut = platform::to_cut(m);
    match m.sms {
        Some(s) => format!(
            "error: reply `{id}` is too long for {}: {} {} characters make {} segments, the limit is {}\n  = hint: cut at least {cut} characters{}; nothing was sent",
            p.name,
            s.units,
            s.encoding,
            s.segments,
            m.limit.unwrap_or(0),
            if s.encoding == Encoding::Ucs2 {
                " (or remove the characters outside GSM-7, e.g. emoji, to fit 160 per message)"
            } else {
                ""
            }
        ),
        None => format!(
            "error: reply `{id}` is too long for {}: {} {}, the limit is {}\n  = hint: cut at least {cut} {}; nothing was sent",
            p.name,
            m.length,
            m.unit,
            m.limit.unwrap_or(0),
            m.unit
        ),
    }
}

/// The platform in effect: `--platform`, then `REPLY_PLATFORM`, then the config.
pub fn platform_for(app: &App, flag: Option<&str>) -> Result<Option<Platform>> {
    let name = flag
        .map(str::to_string)
        .or_else(|| app.env.get("REPLY_PLATFORM").map(str::to_string))
        .or_else(|| app.config.platform.clone());
    let Some(name) = name else { return Ok(None) };
    let all = platform::all(&app.config.platforms);
    match platform::find(&all, &name) {
        Some(p) => Ok(Some(p.clone())),
        None => Err(data_err!(
            "error: unknown platform `{name}`\n  = hint: known platforms: {}; add one under [platforms.{name}] in the config",
            all.iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Finds the reply for the query (noting on stderr when fuzzy search chose it)
/// and reads its file. Returns the library holding it and its id.
pub fn resolve(app: &mut App, args: &RenderArgs) -> Result<(Library, String, bool)> {
    let query = args.query.as_deref().unwrap_or("");
    let cat = app.catalog(false)?;
    let found = compose::find(&cat, query, args.exact)?;
    if !found.exact {
        app.out.info(&format!(
            "Rendering `{}` ({}): best match for \"{}\"",
            found.entry.id(),
            crate::output::sanitize(found.entry.title(), false),
            query.trim()
        ));
    }
    let (id, exact) = (found.entry.id().to_string(), found.exact);
    let lib = compose::open(&cat, found.entry)?;
    Ok((lib, id, exact))
}

/// Prepares the job for reply `id` of `lib`: language, text, platform, with
/// warnings on stderr.
pub fn prepare<'a>(
    app: &mut App,
    lib: &'a Library,
    id: &str,
    args: &RenderArgs,
) -> Result<Job<'a>> {
    let reply = lib
        .get(id)
        .ok_or_else(|| Error::data(format!("error: reply `{id}` could not be read")))?;
    let lang = args.lang.clone().or_else(|| app.default_lang());
    let (text, variant, warning) =
        compose::choose(reply, lang.as_deref(), args.strict_lang, args.public)?;
    if let Some(w) = warning {
        app.out.warn(&w);
    }
    let part = if args.public {
        Part::Public
    } else {
        Part::Body
    };
    let platform = platform_for(app, args.platform.as_deref())?;
    if let Some(p) = &platform
        && !reply.fits_platform(&p.name)
    {
        app.out.warn(&format!(
            "warning: reply `{}` is written for {}, not {}",
            reply.id,
            reply.platforms.join(", "),
            p.name
        ));
    }
    Ok(Job {
        lib,
        reply,
        variant,
        text,
        part,
        platform,
        clock: app.clock,
        compiled: std::cell::OnceCell::new(),
    })
}

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

pub fn run(app: &mut App, args: &RenderArgs) -> Result<()> {
    let (lib, id, exact) = resolve(app, args)?;
    if args.each.is_some() {
        return crate::commands::render_batch(app, &lib, &id, args);
    }
    let base = compose::base_values(&args.values, &app.env, &app.config)?;
    let job = prepare(app, &lib, &id, args)?;
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
    if args.json {
        return write_json(
            app,
            &RenderJson {
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
            },
        );
    }
    deliver(app, args, text)
}

/// Where the message goes: a flag, else the config's `output`, else auto.
fn output_mode(app: &App, args: &RenderArgs) -> Result<OutputMode> {
    if args.copy {
        return Ok(OutputMode::Copy);
    }
    if args.print {
        return Ok(OutputMode::Print);
    }
    if let Some(m) = args.output {
        return Ok(m);
    }
    match app.config.output.as_deref() {
        None | Some("auto") => Ok(OutputMode::Auto),
        Some("copy") => Ok(OutputMode::Copy),
        Some("print") => Ok(OutputMode::Print),
        Some("both") => Ok(OutputMode::Both),
        Some(other) => Err(data_err!(
            "error: `output = \"{other}\"` in the config is not an output mode\n  = hint: use auto, copy, print or both"
        )),
    }
}

/// Copies and/or prints the message. Printing is exactly the message, with a
/// final newline only for a terminal, so `$(reply render x)` and pipes get the
/// text unchanged. The copy comes first: if it fails, nothing was printed.
fn deliver(app: &mut App, args: &RenderArgs, text: &str) -> Result<()> {
    let mode = output_mode(app, args)?;
    let (copy, print) = match mode {
        OutputMode::Copy => (true, false),
        OutputMode::Print => (false, true),
        OutputMode::Both => (true, true),
        // Scripts and pipes never touch the clipboard by surprise.
        OutputMode::Auto => (app.out.tty, true),
    };
    if copy || args.osc52 {
        let opts = clipboard::CopyOptions {
            force_osc52: args.osc52,
            command: app.config.copy_command.clone(),
        };
        let copied =
            clipboard::copy(text, &opts).map_err(|e| Error::new(Code::Clipboard, e.message))?;
        app.out.info(&clipboard::success_message(text, &copied));
        if let Some(note) = &copied.note {
            app.out.info(note);
        }
    }
    if print {
        app.out.write(text)?;
        if app.out.tty {
            app.out.write("\n")?;
        }
    }
    Ok(())
}
