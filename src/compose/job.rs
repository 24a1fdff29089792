//! A render job: one reply, one language variant, one text (body or public),
//! one platform, compiled once and rendered once or once per record, with the
//! platform's limit checked and every failure turned into an error that says
//! how to fix it. Render, batch, vars and show all go through here.

use std::cell::OnceCell;

use super::helpers::Clock;
use super::platform::{self, Encoding, Measure, Platform};
use super::template::{self, Compiled, RenderError, RenderLimits, Rendered};
use super::values::{Values, for_reply};
use crate::diag::{Diagnostic, Error, Missing, OverLimit, Result};
use crate::library::{Library, Part, Reply, Text, Variant};
use crate::util::budget::Guard;

/// What every render shares: the clock templates read, and the limits that
/// keep a hostile template from hanging or crashing the run.
#[derive(Debug, Clone, Copy)]
pub struct Runtime {
    pub clock: Clock,
    pub limits: RenderLimits,
}

/// What to render of a reply, besides the values.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// The language variant wanted; `None` for the reply's own.
    pub lang: Option<String>,
    /// A missing language is an error instead of a fallback.
    pub strict_lang: bool,
    /// The public text instead of the body.
    pub public: bool,
    pub platform: Option<Platform>,
}

pub struct Job<'a> {
    pub lib: &'a Library,
    pub reply: &'a Reply,
    pub variant: &'a Variant,
    pub text: &'a Text,
    pub part: Part,
    pub platform: Option<Platform>,
    pub runtime: Runtime,
    /// For the person: a language fallback, a platform the reply is not written for.
    pub warnings: Vec<Diagnostic>,
    compiled: OnceCell<std::result::Result<Compiled, RenderError>>,
    guard: std::rc::Rc<Guard>,
}

/// A rendered message that fits its platform.
pub struct Message {
    pub rendered: Rendered,
    pub measure: Option<Measure>,
}

impl<'a> Job<'a> {
    /// The job for reply `id` of `lib` (which must hold it).
    pub fn new(lib: &'a Library, id: &str, choice: &Choice, runtime: &Runtime) -> Result<Job<'a>> {
        let reply = lib
            .get(id)
            .ok_or_else(|| Error::data(format!("reply `{id}` could not be read")))?;
        Job::of(lib, reply, choice, runtime)
    }

    /// The job for `reply` itself, which may be one `lib` holds but does not
    /// use (shadowed): its own tests render it, not the reply in effect.
    pub fn of(
        lib: &'a Library,
        reply: &'a Reply,
        choice: &Choice,
        runtime: &Runtime,
    ) -> Result<Job<'a>> {
        let mut warnings = Vec::new();
        let variant = variant(
            reply,
            choice.lang.as_deref(),
            choice.strict_lang,
            &mut warnings,
        )?;
        let part = if choice.public {
            Part::Public
        } else {
            Part::Body
        };
        let (text, variant) = text(reply, variant, part)?;
        if let Some(p) = &choice.platform
            && !reply.fits_platform(&p.name)
        {
            warnings.push(Diagnostic::warning(
                "platform",
                format!(
                    "reply `{}` is written for {}, not {}",
                    reply.id,
                    reply.platforms.join(", "),
                    p.name
                ),
            ));
        }
        Ok(Job {
            lib,
            reply,
            variant,
            text,
            part,
            platform: choice.platform.clone(),
            runtime: *runtime,
            warnings,
            compiled: OnceCell::new(),
            guard: std::rc::Rc::new(runtime.limits.guard()),
        })
    }

    /// Renders on `guard`'s worker instead of one of its own: for a caller
    /// that makes many jobs (the picker's preview, one per keystroke).
    pub fn with_guard(mut self, guard: std::rc::Rc<Guard>) -> Self {
        self.guard = guard;
        self
    }

    /// "the body", or "the public text (es)" for a translation.
    pub fn which(&self) -> String {
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

    fn compiled(&self) -> Result<&Compiled> {
        // Compiled once per job: a batch renders the same template per record.
        self.compiled
            .get_or_init(|| {
                Compiled::new(
                    &self.text.src,
                    &self.variant.lang,
                    self.runtime.clock,
                    self.runtime.limits,
                )
            })
            .as_ref()
            .map_err(|e| self.explain(e.clone()))
    }

    /// The values a render uses: `values` with the reply's defaults below
    /// them, each value given for a declared variable checked.
    pub fn values(&self, values: &Values) -> Result<Values> {
        let mut values = for_reply(values, self.reply);
        super::declared::apply(self.reply, &mut values)?;
        Ok(values)
    }

    /// Renders with `values` (the reply's defaults are added here) and checks the limit.
    pub fn render(&self, values: &Values) -> Result<Message> {
        let values = self.values(values)?;
        let rendered = self
            .compiled()?
            .render(
                &values,
                self.platform.as_ref().map(|p| p.name.as_str()),
                &self.guard,
            )
            .map_err(|e| self.explain(e))?;
        let measure = self
            .platform
            .as_ref()
            .map(|p| platform::measure(p, &rendered.text));
        if let (Some(p), Some(m)) = (&self.platform, &measure)
            && !m.fits()
        {
            return Err(Error::OverLimit(Box::new(over_limit(&self.reply.id, p, m))));
        }
        Ok(Message { rendered, measure })
    }

    /// The variables the text uses (top-level names, `reply`'s own excluded).
    pub fn variables(&self) -> Result<Vec<String>> {
        template::variables(&self.text.src)
            .map(|v| {
                v.into_iter()
                    .filter(|n| !template::BUILTINS.contains(&n.as_str()))
                    .collect()
            })
            .map_err(|e| self.explain(e))
    }

    /// The values a render with `values` would still miss.
    pub fn missing(&self, values: &Values) -> Result<Vec<String>> {
        let values = self.values(values)?;
        match self.compiled()?.render(&values, None, &self.guard) {
            Ok(_) => Ok(Vec::new()),
            Err(RenderError::Missing(m)) => Ok(m),
            Err(e) => Err(self.explain(e)),
        }
    }

    /// The message with the values known so far, each missing one shown as
    /// its placeholder (`‹order›`); and the names still missing. For the
    /// picker's preview: nothing is checked against the platform here.
    pub fn preview(&self, values: &Values) -> Result<(String, Vec<String>)> {
        let values = for_reply(values, self.reply);
        let (rendered, missing) = self
            .compiled()?
            .preview(
                &values,
                self.platform.as_ref().map(|p| p.name.as_str()),
                &self.guard,
            )
            .map_err(|e| self.explain(e))?;
        Ok((rendered.text, missing))
    }

    /// A render error as an error a person can act on.
    fn explain(&self, e: RenderError) -> Error {
        match e {
            RenderError::Missing(names) => Error::Missing(Box::new(Missing {
                reply: self.reply.id.clone(),
                names,
                read_only: self.lib.read_only(self.reply),
            })),
            RenderError::Template { message, range } => {
                let mut d = Diagnostic::error(
                    "template",
                    format!(
                        "template error in {} of reply `{}`: {message}",
                        self.which(),
                        self.reply.id
                    ),
                );
                if let Some(r) = range {
                    d = d.at(self.lib.text_location(self.reply, self.text, r));
                }
                Error::Template(Box::new(d.hint(
                    "Tera syntax: {{ variable }}, {{ variable | default(value=\"…\") }}, {% if variable %}…{% endif %}",
                )))
            }
            RenderError::Overrun(o) => Error::Template(Box::new(
                Diagnostic::error(
                    "render-limit",
                    format!(
                        "{} of reply `{}` could not be rendered: {o}; nothing was sent",
                        self.which(),
                        self.reply.id
                    ),
                )
                .at(self.lib.text_start(self.reply, self.text))
                .hint(LIMIT_HINT),
            )),
        }
    }
}

/// What to do about a template that went over a render limit.
pub const LIMIT_HINT: &str = "a saved reply needs nothing like this: look for loops, or `replace` and `~` that grow a text, in this reply (its library may not be yours); `[limits]` in the config sets render_time and render_output";

fn over_limit(id: &str, p: &Platform, m: &Measure) -> OverLimit {
    let cut = platform::to_cut(m);
    let (length, unit, ucs2) = match m.sms {
        Some(s) => (
            format!(
                "{} {} characters make {} segments",
                s.units, s.encoding, s.segments
            ),
            "characters",
            s.encoding == Encoding::Ucs2,
        ),
        None => (format!("{} {}", m.length, m.unit), m.unit, false),
    };
    OverLimit {
        reply: id.to_string(),
        platform: p.name.clone(),
        length,
        limit: m.limit.unwrap_or(0),
        cut: (cut, unit),
        ucs2,
    }
}

/// The variant for a language: the requested one, else the reply's own with
/// a warning (or an error when `strict`).
fn variant<'a>(
    reply: &'a Reply,
    lang: Option<&str>,
    strict: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<&'a Variant> {
    let Some(lang) = lang else {
        return Ok(reply.main());
    };
    if let Some(v) = reply.variant(lang) {
        return Ok(v);
    }
    if strict {
        let have = reply.languages().collect::<Vec<_>>().join(", ");
        return Err(Error::data(format!(
            "reply `{}` has no `{lang}` variant (it has: {have})",
            reply.id
        ))
        .hint(format!(
            "add `[{}.translations.{lang}]`, or drop --strict-lang to fall back to `{}`",
            reply.id,
            reply.lang()
        )));
    }
    warnings.push(Diagnostic::warning(
        "lang",
        format!(
            "reply `{}` has no `{lang}` variant: using its own language, `{}`",
            reply.id,
            reply.lang()
        ),
    ));
    Ok(reply.main())
}

/// The text to render: the body, or the public text (falling back to the
/// reply's own language's public text if the translation has none).
fn text<'a>(reply: &'a Reply, variant: &'a Variant, part: Part) -> Result<(&'a Text, &'a Variant)> {
    if let Some(t) = variant.text(part) {
        return Ok((t, variant));
    }
    if let Some(t) = reply.main().text(part) {
        return Ok((t, reply.main()));
    }
    Err(
        Error::data(format!("reply `{}` has no public text", reply.id))
            .hint("add `public = \"…\"` to it: the short answer to post under a public comment"),
    )
}
