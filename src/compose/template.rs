//! Rendering a template with Tera 2: our helpers registered, the rule that no
//! message goes out with a missing value (every missing one found), and
//! template errors located inside the template.

use std::ops::Range;

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};

use super::helpers::{self, Clock};
use super::values::{Origin, Values};
use crate::library::Value;

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
}

const NAME: &str = "reply";

/// A template compiled once, with our filters and functions, ready to render
/// with many sets of values (a batch renders one reply thousands of times).
/// Each template gets its own small `Tera`: a whole library is never loaded into
/// one (adding templates one by one is quadratic).
pub struct Compiled {
    tera: Tera,
    template: String,
    lang: String,
    clock: Clock,
}

impl Compiled {
    pub fn new(template: &str, lang: &str, clock: Clock) -> Result<Compiled, RenderError> {
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
        tera.add_raw_template(NAME, template)
            .map_err(|e| template_error(&e, template))?;
        Ok(Compiled {
            tera,
            template: template.to_string(),
            lang: lang.to_string(),
            clock,
        })
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
    let mut all: Vec<String> = reply
        .variants
        .iter()
        .flat_map(|v| std::iter::once(&v.body).chain(v.public.as_ref()))
        .filter_map(|t| variables(&t.src).ok())
        .flatten()
        .filter(|n| !BUILTINS.contains(&n.as_str()))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// Renders once: compiles the template and renders it with the request's values.
pub fn render(req: &Request) -> Result<Rendered, RenderError> {
    Compiled::new(req.template, req.lang, req.clock)?.render(req.values, req.platform)
}

/// Stands a placeholder in for a missing `a.b.c`, keeping what `a` already holds.
fn stand_in(ctx: &mut Context, name: &str) {
    let mut parts = name.split('.');
    let Some(root) = parts.next() else { return };
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        ctx.insert(root.to_string(), "\u{FFFD}");
        return;
    }
    let mut value = ctx
        .get(root)
        .and_then(|v| serde_json::to_value(v).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()));
    let mut at = &mut value;
    for (i, key) in rest.iter().enumerate() {
        if !at.is_object() {
            *at = Value::Object(Default::default());
        }
        let Some(map) = at.as_object_mut() else {
            return;
        };
        let leaf = i + 1 == rest.len();
        at = map.entry(key.to_string()).or_insert_with(|| {
            if leaf {
                Value::from("\u{FFFD}")
            } else {
                Value::Object(Default::default())
            }
        });
    }
    ctx.insert(root.to_string(), &value);
}

impl Compiled {
    /// Renders with `values`. Every missing variable is found in one go
    /// (render, note the undefined one, stand a placeholder in, go again), so
    /// the error lists all of them and honours `default(...)` and `{% if %}`
    /// exactly as Tera does.
    pub fn render(&self, values: &Values, platform: Option<&str>) -> Result<Rendered, RenderError> {
        let mut ctx = Context::new();
        for (name, g) in values.iter() {
            ctx.insert(name.clone(), &g.value);
        }
        ctx.insert("lang", self.lang.as_str());
        ctx.insert("today", &self.clock.today());
        if let Some(p) = platform {
            ctx.insert("platform", p);
        }
        let mut missing: Vec<String> = Vec::new();
        let mut stand_ins = 0;
        let text = loop {
            match self.tera.render(NAME, &ctx) {
                Ok(text) => break text,
                Err(e) => match undefined_name(&e, &self.template) {
                    Some(name) if !missing.contains(&name) && missing.len() < 100 => {
                        stand_in(&mut ctx, &name);
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
                    _ if !missing.is_empty() => return Err(RenderError::Missing(missing)),
                    _ => return Err(template_error(&e, &self.template)),
                },
            }
        };
        if !missing.is_empty() {
            return Err(RenderError::Missing(missing));
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
        Ok(Rendered {
            text: text.trim().to_string(),
            used,
        })
    }
}

/// The variable (or `var.field`) an "is not defined" error is about.
fn undefined_name(e: &tera::Error, template: &str) -> Option<String> {
    let tera::ErrorKind::RenderingError(report) = e.kind() else {
        return None;
    };
    let msg = report.message();
    if !(msg.starts_with("Variable `") || msg.starts_with("Field `"))
        || !msg.contains("is not defined")
    {
        return None;
    }
    let range = report.span().range.clone();
    // A field's span covers the field alone (`id` of `order.id`): widen it to
    // the whole path, so the message names what to give.
    let start = if msg.starts_with("Field `") {
        template
            .get(..range.start)?
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '.')
            .last()
            .map_or(range.start, |(i, _)| i)
    } else {
        range.start
    };
    let expr = template.get(start..range.end)?.trim();
    // `order.id` when only `order` was given; the variable itself otherwise.
    let name: String = expr
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    if msg.starts_with("Variable `") {
        name.split('.').next().map(str::to_string)
    } else {
        Some(name)
    }
}

/// A Tera error as a message and a byte range in the template.
fn template_error(e: &tera::Error, template: &str) -> RenderError {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            RenderError::Template {
                message: r.message().to_string(),
                range: Some(r.span().range.clone()),
            }
        }
        other => {
            // Unknown filters and functions come as a pre-rendered report
            // ("error: Unknown filter `x`\n --> reply:2:14"): take it apart.
            let text = other.to_string();
            let message = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            let range = text
                .lines()
                .find_map(|l| l.trim().strip_prefix(&format!("--> {NAME}:")))
                .and_then(|lc| {
                    let (l, c) = lc.split_once(':')?;
                    let (line, col): (usize, usize) = (l.parse().ok()?, c.parse().ok()?);
                    let start = offset_of(template, line, col)?;
                    let width = text
                        .lines()
                        .find(|l| l.trim_start().starts_with('|') && l.contains('^'))
                        .map_or(1, |l| l.matches('^').count());
                    Some(start..(start + width).min(template.len()))
                });
            RenderError::Template { message, range }
        }
    }
}

/// Byte offset of a 1-based line and 1-based character column.
fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let in_line = rest
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + in_line)
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
        render(&Request {
            template,
            values: &v,
            lang: "en",
            platform: None,
            clock: clock(),
        })
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
        let e = render(&Request {
            template: "{{ order.id }} {{ order.eta }} {{ order.total }} {{ ship.to.city }}",
            values: &v,
            lang: "en",
            platform: None,
            clock: clock(),
        })
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
