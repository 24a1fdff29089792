//! The lint behind `reply check`: everything that makes a reply unfit to send
//! (or hard to suggest), beyond what reading the file already reports. One function per rule, each
//! pure: it returns diagnostics. To add a rule, write `fn rule(cx, reply)` in
//! the file of its kind and call it from [`lint_reply`].

mod declared;
mod examples;
mod limits;
mod public;
mod tone;
mod translation;
mod validate;

pub use validate::validate_file;

use std::collections::HashSet;

use crate::compose::job::LIMIT_HINT;
use crate::compose::platform::Platform;
use crate::compose::template::{self, RenderError};
use crate::compose::{Origin, Runtime, Value, Values};
use crate::diag::Diagnostic;
use crate::library::{Library, Reply, Text, Variant};
use crate::util::budget::Guard;

/// What the rules share: the library (to place diagnostics), the platforms,
/// the clock and render limits, and the diagnostics found so far.
struct Ctx<'a> {
    lib: &'a Library,
    platforms: &'a [Platform],
    runtime: Runtime,
    guard: Guard,
    /// Texts that went over a render limit (file, position): reported once,
    /// never rendered again (each attempt would take the whole time limit).
    overran: HashSet<(usize, usize)>,
    out: Vec<Diagnostic>,
}

/// A reply's variables, per variant: the body's and the public text's
/// (`None` where the template does not parse).
struct VariantVars {
    body: Option<Vec<String>>,
    public: Option<Vec<String>>,
}

/// What `reply check` finds in some layers: the library read, every
/// diagnostic (reading and lint) in file order then position, and the counts.
pub struct Checked {
    pub lib: Library,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    pub hints: usize,
    /// Replies in the files, shadowed ones included.
    pub replies: usize,
}

/// Reads `layers` and lints them, as `reply check` does; `deny_warnings`
/// makes warnings errors (hints stay hints: a library that ignores them is
/// not wrong).
pub fn check(
    layers: Vec<crate::library::Layer>,
    default_lang: &str,
    platforms: &[Platform],
    runtime: &Runtime,
    deny_warnings: bool,
) -> crate::diag::Result<Checked> {
    let lib = Library::load(layers, default_lang)?;
    let mut diags: Vec<Diagnostic> = lib.diagnostics.clone();
    diags.extend(lint(&lib, platforms, runtime));
    if deny_warnings {
        for d in diags.iter_mut().filter(|d| d.is_warning()) {
            d.severity = crate::diag::Severity::Error;
        }
    }
    // File order, then position: the order an editor's quickfix list wants.
    let file_order = |d: &Diagnostic| {
        d.location.as_ref().map(|l| {
            (
                lib.files
                    .iter()
                    .position(|f| f.name == l.file)
                    .unwrap_or(usize::MAX),
                l.line,
                l.column,
            )
        })
    };
    diags.sort_by_key(file_order);
    diags.dedup();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.iter().filter(|d| d.is_warning()).count();
    Ok(Checked {
        hints: diags.len() - errors - warnings,
        replies: lib.replies.len() + lib.shadowed.len(),
        errors,
        warnings,
        diagnostics: diags,
        lib,
    })
}

/// Lints every reply in the library (the shadowed ones too: they are in the files).
pub fn lint(lib: &Library, platforms: &[Platform], runtime: &Runtime) -> Vec<Diagnostic> {
    let mut cx = Ctx {
        lib,
        platforms,
        runtime: *runtime,
        guard: runtime.limits.guard(),
        overran: HashSet::new(),
        out: Vec::new(),
    };
    let using = examples::layers_using(&cx);
    for reply in lib.replies.iter().chain(&lib.shadowed) {
        lint_reply(&mut cx, reply);
        examples::present(&mut cx, reply, &using);
    }
    examples::unused(&mut cx, &using);
    examples::shared(&mut cx);
    cx.out
}

fn lint_reply(cx: &mut Ctx, reply: &Reply) {
    let vars = templates(cx, reply);
    renders(cx, reply, &vars);
    personal(cx, reply, &vars);
    declared::consistent(cx, reply, &vars);
    translation::same_variables(cx, reply, &vars);
    tone::calm(cx, reply);
    public::nothing_private(cx, reply, &vars);
    public::short(cx, reply, &vars);
    limits::known_platforms(cx, reply);
    limits::fits_platforms(cx, reply, &vars);
    own_tests(cx, reply);
}

/// Rule: the reply's own tests (`[ID.tests.NAME]`) pass. A failed test is an
/// error: its author said what the message must be, and it is not.
fn own_tests(cx: &mut Ctx, reply: &Reply) {
    let outcomes = crate::compose::reply_tests::run(cx.lib, reply, cx.platforms, &cx.runtime);
    for o in &outcomes {
        if let Some(d) = o.diagnostic(cx.lib) {
            cx.out.push(d);
        }
    }
}

/// "the body", or "the body (es)" for a translation.
fn label(reply: &Reply, v: &Variant, what: &str) -> String {
    if v.lang == reply.lang() {
        what.to_string()
    } else {
        format!("{what} ({})", v.lang)
    }
}

/// Rule: every template of every variant parses. Returns the variables of each.
fn templates(cx: &mut Ctx, reply: &Reply) -> Vec<VariantVars> {
    let mut parse = |v: &Variant, text: &Text, what: &str| match template::variables(&text.src) {
        Ok(vars) => Some(vars),
        Err(RenderError::Template { message, range }) => {
            let loc = match range {
                Some(r) => cx.lib.text_location(reply, text, r),
                None => cx.lib.text_start(reply, text),
            };
            cx.out.push(
                Diagnostic::error(
                    "template",
                    format!(
                        "template error in {} of `{}`: {message}",
                        label(reply, v, what),
                        reply.id
                    ),
                )
                .at(loc)
                .reply(&reply.id),
            );
            None
        }
        Err(RenderError::Missing(_) | RenderError::Overrun(_)) => None,
    };
    reply
        .variants
        .iter()
        .map(|v| VariantVars {
            body: parse(v, &v.body, "the body"),
            public: v
                .public
                .as_ref()
                .and_then(|p| parse(v, p, "the public text")),
        })
        .collect()
}

/// Rule: every text renders within the render limits (with its defaults and
/// sample values), so one hostile template is reported, not a hang.
fn renders(cx: &mut Ctx, reply: &Reply, vars: &[VariantVars]) {
    for (v, vv) in reply.variants.iter().zip(vars) {
        if let Some(body_vars) = &vv.body {
            render_sample(cx, reply, v, &v.body, body_vars, None);
        }
        if let (Some(public), Some(public_vars)) = (&v.public, &vv.public) {
            render_sample(cx, reply, v, public, public_vars, None);
        }
    }
}

/// Rule: the body greets the customer by name.
fn personal(cx: &mut Ctx, reply: &Reply, vars: &[VariantVars]) {
    let Some(body) = &vars[0].body else { return };
    if body.iter().any(|n| n == "customer") {
        return;
    }
    let loc = cx.lib.text_start(reply, &reply.main().body);
    cx.out.push(
        Diagnostic::warning(
            "not-personal",
            format!("reply `{}` does not use the customer's name", reply.id),
        )
        .at(loc)
        .reply(&reply.id)
        .hint("greet the customer: {{ customer | default(value=\"there\") }}"),
    );
}

/// The value used for `name` where a reply has no default, so that length
/// checks see a realistic message. Stated in the diagnostics that rely on it.
fn sample(name: &str) -> &'static str {
    match name {
        "customer" => "Alexandra Fernández",
        "agent" => "Sam Taylor",
        "brand" => "Acme",
        _ => "sample-12345",
    }
}

fn sample_values(reply: &Reply, vars: &[String]) -> Values {
    let mut v = Values::default();
    for (k, x) in &reply.defaults {
        v.offer(k, x.clone(), Origin::Default);
    }
    for name in vars {
        v.offer(name, Value::from(sample(name)), Origin::Builtin);
    }
    v
}

fn sample_note(reply: &Reply, vars: &[String]) -> String {
    let given: Vec<String> = vars
        .iter()
        .filter(|n| !reply.defaults.contains_key(*n) && !template::BUILTINS.contains(&n.as_str()))
        .map(|n| format!("{n} = \"{}\"", sample(n)))
        .collect();
    if given.is_empty() {
        "rendered with its defaults".to_string()
    } else {
        format!(
            "rendered with its defaults and sample values: {}",
            given.join(", ")
        )
    }
}

/// A text rendered with the reply's defaults and sample values for the rest;
/// `None` when it does not render. A text that goes over a render limit is
/// reported here, the first time.
fn render_sample(
    cx: &mut Ctx,
    reply: &Reply,
    v: &Variant,
    text: &Text,
    vars: &[String],
    platform: Option<&str>,
) -> Option<String> {
    let key = (reply.file, text.span.start);
    if cx.overran.contains(&key) {
        return None;
    }
    let result = template::render(
        &template::Request {
            template: &text.src,
            values: &sample_values(reply, vars),
            lang: &v.lang,
            platform,
            clock: cx.runtime.clock,
        },
        cx.runtime.limits,
        &cx.guard,
    );
    match result {
        Ok(r) => Some(r.text),
        Err(RenderError::Overrun(o)) => {
            cx.overran.insert(key);
            let what = if std::ptr::eq(text, &v.body) {
                "body"
            } else {
                "public text"
            };
            let loc = cx.lib.text_start(reply, text);
            cx.out.push(
                Diagnostic::error(
                    "render-limit",
                    format!(
                        "the {} of `{}` could not be rendered: {o}",
                        label(reply, v, what),
                        reply.id
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .note(sample_note(reply, vars))
                .hint(LIMIT_HINT),
            );
            None
        }
        Err(_) => None,
    }
}
