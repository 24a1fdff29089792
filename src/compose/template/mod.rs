//! Rendering a template with Tera 2: our helpers registered, the rule that no
//! message goes out with a missing value (every missing one found), template
//! errors located inside the template, and every render kept within its
//! limits (time, memory, output), so a hostile template stops with an error.

mod context;
mod errors;
mod limits;

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};

use super::helpers::{self, Clock};
use super::values::{Origin, Values};
use crate::library::Value;
use crate::util::budget::{Exceeded, Guard};
pub use context::placeholder;
use context::{stand_in, to_tera};
use errors::{template_error, undefined_name};
pub use limits::{Overrun, RenderLimits};

/// What a render needs besides the template.
pub struct Request<'a> {
    pub template: &'a str,
    pub values: &'a Values,
    /// The variant's language: drives `greeting()` and `date`.
    pub lang: &'a str,
    pub platform: Option<&'a str>,
    pub clock: Clock,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsedVar {
    pub name: String,
    pub value: Value,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The message, leading and trailing whitespace trimmed.
    pub text: String,
    /// The variables the template refers to that had a value, by name.
    pub used: Vec<UsedVar>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {
    /// Variables the template needs that have no value and no default.
    Missing(Vec<String>),
    /// The template itself is wrong; `range` is a byte range in the template.
    Template {
        message: String,
        range: Option<Range<usize>>,
    },
    /// The render went over one of its limits and was stopped.
    Overrun(Overrun),
}

const NAME: &str = "reply";

/// A template compiled once, with our filters and functions, ready to render
/// with many sets of values (a batch renders one reply thousands of times).
/// Each template gets its own small `Tera`: a whole library is never loaded into
/// one (adding templates one by one is quadratic). Cheap to clone: a render
/// runs on a worker thread, which gets its own handle.
#[derive(Clone)]
pub struct Compiled {
    inner: Arc<Inner>,
}

struct Inner {
    tera: Tera,
    template: String,
    lang: String,
    clock: Clock,
    limits: RenderLimits,
    /// Loop steps `range()` produced in the current render.
    steps: Arc<AtomicUsize>,
}

impl Compiled {
    pub fn new(
        template: &str,
        lang: &str,
        clock: Clock,
        limits: RenderLimits,
    ) -> Result<Compiled, RenderError> {
        let mut tera = Tera::new();
        tera.register_filter("first_name", |s: &str, _: Kwargs, _: &State| {
            helpers::first_name(s)
        });
        let date_lang = lang.to_string();
        tera.register_filter(
            "date",
            move |s: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let lang = kwargs.get::<&str>("lang")?.unwrap_or(&date_lang);
                helpers::format_date(s, lang).ok_or_else(|| {
                    tera::Error::message(format!(
                        "the `date` filter needs a date written YYYY-MM-DD, got `{s}`"
                    ))
                })
            },
        );
        let (greeting_lang, hour) = (lang.to_string(), clock.hour());
        tera.register_function("greeting", move |_: Kwargs, _: &State| {
            helpers::greeting(&greeting_lang, hour).to_string()
        });
        let steps = Arc::new(AtomicUsize::new(0));
        limits::register_range(&mut tera, Arc::clone(&steps));
        tera.add_raw_template(NAME, template)
            .map_err(|e| template_error(&e, template))?;
        Ok(Compiled {
            inner: Arc::new(Inner {
                tera,
                template: template.to_string(),
                lang: lang.to_string(),
                clock,
                limits,
                steps,
            }),
        })
    }

    /// Renders with the values given so far, showing each missing one as its
    /// placeholder (`‹order›`) instead of failing: what the picker shows while
    /// values are still being asked for. Returns the text and what is missing.
    pub fn preview(
        &self,
        values: &Values,
        platform: Option<&str>,
        guard: &Guard,
    ) -> Result<(Rendered, Vec<String>), RenderError> {
        let inner = Arc::clone(&self.inner);
        let values = values.clone();
        let platform = platform.map(str::to_string);
        guard
            .run(move || inner.run(&values, platform.as_deref(), true))
            .map_err(|e| overrun(e, guard))?
    }

    /// Renders with `values` on `guard`'s worker, within the limits. Every
    /// missing variable is found in one go (render, note the undefined one,
    /// stand a placeholder in, go again), so the error lists all of them and
    /// honours `default(...)` and `{% if %}` exactly as Tera does; all those
    /// passes share the one time limit.
    pub fn render(
        &self,
        values: &Values,
        platform: Option<&str>,
        guard: &Guard,
    ) -> Result<Rendered, RenderError> {
        let inner = Arc::clone(&self.inner);
        let values = values.clone();
        let platform = platform.map(str::to_string);
        match guard.run(move || inner.run(&values, platform.as_deref(), false)) {
            Ok(Ok((rendered, missing))) if missing.is_empty() => Ok(rendered),
            Ok(Ok((_, missing))) => Err(RenderError::Missing(missing)),
            Ok(Err(e)) => Err(e),
            Err(e) => Err(overrun(e, guard)),
        }
    }
}

fn overrun(e: Exceeded, guard: &Guard) -> RenderError {
    RenderError::Overrun(match e {
        Exceeded::Time => Overrun::Time(guard.limits().time),
        Exceeded::Memory => Overrun::Memory(guard.limits().memory),
        Exceeded::Crashed => Overrun::Crashed,
    })
}

impl Inner {
    /// Renders, standing a placeholder in for every missing variable; the text
    /// (meaningful when `shown`, the placeholders visible) and the missing
    /// variables in the order the template meets them.
    fn run(
        &self,
        values: &Values,
        platform: Option<&str>,
        shown: bool,
    ) -> Result<(Rendered, Vec<String>), RenderError> {
        self.steps.store(0, Ordering::Relaxed);
        let mut ctx = Context::new();
        for (name, g) in values.iter() {
            ctx.insert_value(name.clone(), to_tera(&g.value));
        }
        ctx.insert("lang", self.lang.as_str());
        ctx.insert("today", &self.clock.today());
        if let Some(p) = platform {
            ctx.insert("platform", p);
        }
        let mut missing: Vec<String> = Vec::new();
        let mut stand_ins = 0;
        let text = loop {
            let mut out = limits::Capped::new(self.limits.output);
            match self.tera.render_to(NAME, &ctx, &mut out) {
                Ok(()) => break out.into_text(),
                Err(_) if out.over() => {
                    return Err(RenderError::Overrun(Overrun::Output(self.limits.output)));
                }
                Err(_) if self.steps.load(Ordering::Relaxed) > limits::MAX_STEPS => {
                    return Err(RenderError::Overrun(Overrun::Steps(limits::MAX_STEPS)));
                }
                Err(e) => match undefined_name(&e, &self.template) {
                    Some(name) if !missing.contains(&name) && missing.len() < 100 => {
                        stand_in(&mut ctx, &name, shown);
                        // `ship.to` after `ship` was found missing: the
                        // placeholder needs fields, but `ship` is what to give.
                        let under_missing = missing.iter().any(|m| {
                            name.strip_prefix(m.as_str())
                                .is_some_and(|r| r.starts_with('.'))
                        });
                        if under_missing {
                            stand_ins += 1;
                            if stand_ins > 100 {
                                return Err(RenderError::Missing(missing));
                            }
                        } else {
                            missing.push(name);
                        }
                    }
                    _ if !missing.is_empty() && !shown => {
                        return Err(RenderError::Missing(missing));
                    }
                    _ => return Err(template_error(&e, &self.template)),
                },
            }
        };
        if !missing.is_empty() && !shown {
            return Ok((
                Rendered {
                    text: String::new(),
                    used: Vec::new(),
                },
                missing,
            ));
        }
        let used = self
            .tera
            .get_template_variables(NAME)
            .map(|vars| {
                let mut v: Vec<UsedVar> = vars
                    .into_iter()
                    .filter_map(|name| {
                        let (value, origin) = match values.get(name) {
                            Some(g) => (g.value.clone(), g.origin),
                            None if BUILTINS.contains(&name) => {
                                (serde_json::to_value(ctx.get(name)?).ok()?, Origin::Builtin)
                            }
                            None => (Value::Null, Origin::Template),
                        };
                        Some(UsedVar {
                            name: name.to_string(),
                            value,
                            origin,
                        })
                    })
                    .collect();
                v.sort_by(|a, b| a.name.cmp(&b.name));
                v
            })
            .unwrap_or_default();
        Ok((
            Rendered {
                text: text.trim().to_string(),
                used,
            },
            missing,
        ))
    }
}

/// The top-level variables a template refers to (not loop or `set` variables).
pub fn variables(template: &str) -> Result<Vec<String>, RenderError> {
    let mut tera = Tera::new();
    // Our filters must exist or the template is rejected as using unknown ones.
    tera.register_filter("first_name", |s: &str, _: Kwargs, _: &State| s.to_string());
    tera.register_filter("date", |s: &str, _: Kwargs, _: &State| s.to_string());
    tera.register_function("greeting", |_: Kwargs, _: &State| String::new());
    tera.add_raw_template(NAME, template)
        .map_err(|e| template_error(&e, template))?;
    let mut vars: Vec<String> = tera
        .get_template_variables(NAME)
        .map_err(|e| template_error(&e, template))?
        .into_iter()
        .map(str::to_string)
        .collect();
    vars.sort();
    Ok(vars)
}

/// Names `reply` sets itself; never "missing".
pub const BUILTINS: &[&str] = &["platform", "lang", "today"];

/// Variables used anywhere in a reply (every variant, body and public), but
/// `reply`'s own.
pub fn reply_variables(reply: &crate::library::Reply) -> Vec<String> {
    texts_variables(
        reply
            .variants
            .iter()
            .flat_map(|v| std::iter::once(&v.body).chain(v.public.as_ref()))
            .map(|t| t.src.as_str()),
    )
}

/// Variables used in any of `texts`, but `reply`'s own; sorted, each once.
pub fn texts_variables<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut all: Vec<String> = texts
        .into_iter()
        .filter_map(|t| variables(t).ok())
        .flatten()
        .filter(|n| !BUILTINS.contains(&n.as_str()))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// Renders once: compiles the template and renders it with the request's
/// values, within `guard`'s limits.
pub fn render(req: &Request, limits: RenderLimits, guard: &Guard) -> Result<Rendered, RenderError> {
    Compiled::new(req.template, req.lang, req.clock, limits)?.render(
        req.values,
        req.platform,
        guard,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::parse("2026-11-25T09:00").unwrap()
    }

    fn run(template: &str, values: &[(&str, &str)]) -> Result<Rendered, RenderError> {
        let mut v = Values::default();
        for (k, val) in values {
            v.offer(k, Value::from(*val), Origin::Flag);
        }
        rendered(template, &v)
    }

    fn rendered(template: &str, values: &Values) -> Result<Rendered, RenderError> {
        let limits = RenderLimits::default();
        render(
            &Request {
                template,
                values,
                lang: "en",
                platform: None,
                clock: clock(),
            },
            limits,
            &limits.guard(),
        )
    }

    #[test]
    fn renders_and_trims() {
        let r = run(
            "\n Hi {{ customer }}, I'm {{ agent }}.\n\n",
            &[("customer", "Ana"), ("agent", "Sam")],
        )
        .unwrap();
        assert_eq!(r.text, "Hi Ana, I'm Sam.");
        assert_eq!(r.used.len(), 2);
    }

    #[test]
    fn lists_every_missing_variable() {
        let e = run(
            "{{ customer }} {{ order }} {{ eta | default(value='soon') }} {{ order }}",
            &[],
        )
        .unwrap_err();
        assert_eq!(
            e,
            RenderError::Missing(vec!["customer".into(), "order".into()])
        );
    }

    #[test]
    fn blank_values_are_missing_and_fall_back() {
        let r = run(
            "Hi {{ customer | default(value='there') }},",
            &[("customer", "  ")],
        )
        .unwrap();
        assert_eq!(r.text, "Hi there,");
        assert!(matches!(
            run("Hi {{ customer }},", &[("customer", "")]),
            Err(RenderError::Missing(_))
        ));
    }

    #[test]
    fn values_are_literal_and_never_escaped() {
        let r = run(
            "{{ customer }}",
            &[("customer", "{{ agent }} O'Brien & Sons <VIP>")],
        )
        .unwrap();
        assert_eq!(r.text, "{{ agent }} O'Brien & Sons <VIP>");
    }

    #[test]
    fn syntax_errors_have_a_range() {
        let e = run("line1\n  {{ agent ", &[]).unwrap_err();
        assert!(matches!(e, RenderError::Template { range: Some(_), .. }));
        let RenderError::Template { message, range } =
            run("a\nb {{ agent | nofilter }}", &[("agent", "x")]).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(message, "Unknown filter `nofilter`");
        assert_eq!(&"a\nb {{ agent | nofilter }}"[range.unwrap()], "nofilter");
    }

    #[test]
    fn personal_touches() {
        let r = run(
            "{{ greeting() }} {{ customer | first_name }}, {{ today | date }}",
            &[("customer", "Ana López")],
        )
        .unwrap();
        assert_eq!(r.text, "Good morning Ana, 25 November 2026");
    }

    #[test]
    fn every_missing_nested_field_is_listed() {
        let mut v = Values::default();
        v.offer("order", serde_json::json!({"total": 3}), Origin::Data);
        let e = rendered(
            "{{ order.id }} {{ order.eta }} {{ order.total }} {{ ship.to.city }}",
            &v,
        )
        .unwrap_err();
        assert_eq!(
            e,
            RenderError::Missing(vec!["order.id".into(), "order.eta".into(), "ship".into()])
        );
    }

    #[test]
    fn variables_lists_top_level_names() {
        assert_eq!(
            variables("{{ a }} {% if b %}{{ c.d }}{% endif %}").unwrap(),
            ["a", "b", "c"]
        );
    }
}
