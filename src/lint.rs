//! The lint behind `reply check`: everything that makes a reply unfit to send,
//! beyond what reading the file already reports. Pure: returns diagnostics.

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Location};
use crate::library::{Library, Reply, Text, Value, Variant};
use crate::personal::Clock;
use crate::platform::{self, Platform};
use crate::render::{self, Origin, RenderError, Values};

/// Longest public answer that reads as a short public acknowledgement (a post on X).
pub const PUBLIC_MAX: usize = 280;

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
        .filter(|n| !reply.defaults.contains_key(*n) && !render::BUILTINS.contains(&n.as_str()))
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

/// Variable names that carry a customer's private details: never in public.
fn is_private(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "order", "email", "mail", "phone", "mobile", "address", "tracking", "account", "card",
        "password", "iban", "postcode", "zip", "dob", "birth",
    ]
    .iter()
    .any(|p| n.contains(p))
}

/// Byte offset of the first `{{ name` / `{% if name` use in a template.
fn var_offset(src: &str, name: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut from = 0;
    while let Some(i) = src[from..].find(name) {
        let at = from + i;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let end = at + name.len();
        let after_ok =
            end >= bytes.len() || !(bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_');
        let inside = src[..at]
            .rfind("{{")
            .or(src[..at].rfind("{%"))
            .is_some_and(|o| {
                src[..at].rfind("}}").is_none_or(|c| c < o)
                    && src[..at].rfind("%}").is_none_or(|c| c < o)
            });
        if before_ok && after_ok && inside {
            return Some(at);
        }
        from = end;
    }
    None
}

/// The text outside `{{ }}` and `{% %}`, as (offset, text) pieces.
fn literal_pieces(src: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < src.len() {
        let next = [
            src[pos..].find("{{"),
            src[pos..].find("{%"),
            src[pos..].find("{#"),
        ]
        .into_iter()
        .flatten()
        .min();
        match next {
            Some(i) => {
                out.push((pos, &src[pos..pos + i]));
                let open = pos + i;
                let close = match &src[open..open + 2] {
                    "{{" => "}}",
                    "{%" => "%}",
                    _ => "#}",
                };
                pos = src[open..].find(close).map_or(src.len(), |c| open + c + 2);
            }
            None => {
                out.push((pos, &src[pos..]));
                break;
            }
        }
    }
    out
}

/// Shouting: two or more words in capitals in a row ("PLEASE NOTE", "DO NOT").
/// A lone acronym ("DHL", "FAQ") is fine.
fn shouting(src: &str) -> Option<(usize, usize)> {
    for (base, piece) in literal_pieces(src) {
        let mut run: Option<(usize, usize, usize)> = None; // start, end, letters
        let mut idx = 0;
        for word in piece.split_inclusive(|c: char| !c.is_alphanumeric()) {
            let w = word.trim_end_matches(|c: char| !c.is_alphanumeric());
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            let caps = letters >= 2
                && w.chars().all(|c| !c.is_lowercase())
                && w.chars().any(char::is_uppercase);
            if caps {
                let (s, _, l) = run.unwrap_or((idx, idx, 0));
                run = Some((s, idx + w.len(), l + letters));
                if let Some((s, e, l)) = run
                    && l >= 5
                    && piece[s..e].split_whitespace().count() >= 2
                {
                    return Some((base + s, base + e));
                }
            } else if !w.is_empty() {
                run = None;
            }
            idx += word.len();
        }
    }
    None
}

/// A run of `!!`, `??`, `¡¡` or `¿¿` outside template tags.
fn shrill(src: &str) -> Option<(usize, usize)> {
    literal_pieces(src).into_iter().find_map(|(base, piece)| {
        ["!!", "??", "¡¡", "¿¿", "!?!", "?!?"]
            .iter()
            .filter_map(|p| piece.find(p).map(|i| (base + i, base + i + p.len())))
            .min()
    })
}

/// An e-mail address or a phone number written out in the text.
fn literal_private(src: &str) -> Option<(usize, usize, &'static str)> {
    for (base, piece) in literal_pieces(src) {
        let mut idx = 0;
        for word in piece.split_inclusive(char::is_whitespace) {
            let w = word.trim().trim_matches(|c: char| ",;:()<>\"'".contains(c));
            let at = idx + word.find(w).unwrap_or(0);
            if let Some((user, domain)) = w.split_once('@')
                && !user.is_empty()
                && domain.contains('.')
            {
                return Some((base + at, base + at + w.len(), "an e-mail address"));
            }
            let digits = w.chars().filter(char::is_ascii_digit).count();
            if digits >= 7
                && w.chars()
                    .all(|c| c.is_ascii_digit() || "+-(). ".contains(c))
            {
                return Some((base + at, base + at + w.len(), "a phone number"));
            }
            idx += word.len();
        }
    }
    None
}

struct Ctx<'a> {
    lib: &'a Library,
    out: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn at_text(&self, reply: &Reply, text: &Text, range: std::ops::Range<usize>) -> Location {
        self.lib.text_location(reply, text, range)
    }

    fn at_start(&self, reply: &Reply, text: &Text) -> Location {
        let f = self.lib.file(reply);
        Location::at(
            &f.name,
            &f.text,
            text.span.start..text.span.start + 3.min(text.span.len()),
        )
    }
}

fn label(reply: &Reply, v: &Variant, what: &str) -> String {
    if v.lang == reply.lang() {
        what.to_string()
    } else {
        format!("{what} ({})", v.lang)
    }
}

/// Lints every reply in the library (the shadowed ones too: they are in the files).
pub fn lint(lib: &Library, platforms: &[Platform], clock: Clock) -> Vec<Diagnostic> {
    let mut cx = Ctx {
        lib,
        out: Vec::new(),
    };
    for reply in lib.replies.iter().chain(&lib.shadowed) {
        lint_reply(&mut cx, reply, platforms, clock);
    }
    cx.out
}

type VariantVars = (usize, Option<Vec<String>>, Option<Vec<String>>);

fn lint_reply(cx: &mut Ctx, reply: &Reply, platforms: &[Platform], clock: Clock) {
    // Template syntax, in every variant and text.
    // Per variant: its index, the body's variables and the public text's
    // (`None` where the template does not parse).
    let mut vars_of: Vec<VariantVars> = Vec::new();
    for (i, v) in reply.variants.iter().enumerate() {
        let mut parse = |text: &Text, what: &str| -> Option<Vec<String>> {
            match render::variables(&text.src) {
                Ok(vars) => Some(vars),
                Err(RenderError::Template { message, range }) => {
                    let loc = match range {
                        Some(r) => cx.at_text(reply, text, r),
                        None => cx.at_start(reply, text),
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
                Err(RenderError::Missing(_)) => None,
            }
        };
        let body = parse(&v.body, "the body");
        let public = v.public.as_ref().and_then(|p| parse(p, "the public text"));
        vars_of.push((i, body, public));
    }

    let main = reply.main();
    let main_body = vars_of[0].1.clone();
    let main_public = vars_of[0].2.clone();

    // Personalised: the customer's name, with a fallback where it may be missing.
    if let Some(vars) = &main_body
        && !vars.iter().any(|n| n == "customer")
    {
        let loc = cx.at_start(reply, &main.body);
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

    // Translations that say less (or more) than the original.
    for (i, body, public) in vars_of.iter().skip(1) {
        let v = &reply.variants[*i];
        for (what, theirs, ours, text) in [
            ("body", body, &main_body, Some(&v.body)),
            ("public text", public, &main_public, v.public.as_ref()),
        ] {
            let (Some(theirs), Some(ours), Some(text)) = (theirs, ours, text) else {
                continue;
            };
            let a: BTreeSet<_> = ours.iter().collect();
            let b: BTreeSet<_> = theirs.iter().collect();
            if a == b {
                continue;
            }
            let missing: Vec<String> = a.difference(&b).map(|n| format!("`{n}`")).collect();
            let extra: Vec<String> = b.difference(&a).map(|n| format!("`{n}`")).collect();
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("does not use {}", missing.join(", ")));
            }
            if !extra.is_empty() {
                parts.push(format!(
                    "uses {} that the original does not",
                    extra.join(", ")
                ));
            }
            let loc = cx.at_start(reply, text);
            cx.out.push(
                Diagnostic::warning(
                    "translation-vars",
                    format!(
                        "the `{}` {what} of `{}` {}",
                        v.lang,
                        reply.id,
                        parts.join(" and ")
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .hint("a translation should carry the same details as the original"),
            );
        }
    }

    // Tone: shouting and runs of !! or ??, in every text.
    type Check = fn(&str) -> Option<(usize, usize)>;
    let tone: [(Check, &'static str, &str, &str); 2] = [
        (
            shouting,
            "shouting",
            "shouts:",
            "write in sentence case: capitals read as shouting in a DM",
        ),
        (
            shrill,
            "punctuation",
            "has",
            "one `!` or `?` is enough: stay calm and professional",
        ),
    ];
    for v in &reply.variants {
        for (what, text) in [("body", Some(&v.body)), ("public text", v.public.as_ref())] {
            let Some(text) = text else { continue };
            for (check, code, verb, hint) in tone {
                let Some((s, e)) = check(&text.src) else {
                    continue;
                };
                let loc = cx.at_text(reply, text, s..e);
                cx.out.push(
                    Diagnostic::warning(
                        code,
                        format!(
                            "the {} of `{}` {verb} `{}`",
                            label(reply, v, what),
                            reply.id,
                            &text.src[s..e]
                        ),
                    )
                    .at(loc)
                    .reply(&reply.id)
                    .hint(hint),
                );
            }
        }
    }

    // Public texts: short, and nothing private.
    for (i, _, public_vars) in &vars_of {
        let v = &reply.variants[*i];
        let (Some(public), Some(vars)) = (&v.public, public_vars) else {
            continue;
        };
        for name in vars.iter().filter(|n| is_private(n)) {
            let at = var_offset(&public.src, name).unwrap_or(0);
            let loc = cx.at_text(reply, public, at..at + name.len());
            cx.out.push(
                Diagnostic::warning(
                    "public-private",
                    format!(
                        "the {} of `{}` uses `{name}` in public",
                        label(reply, v, "public text"),
                        reply.id
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .hint("keep order numbers, e-mail, phone and addresses for the private message"),
            );
        }
        if let Some((s, e, what)) = literal_private(&public.src) {
            let loc = cx.at_text(reply, public, s..e);
            cx.out.push(
                Diagnostic::warning(
                    "public-private",
                    format!(
                        "the {} of `{}` gives away {what}",
                        label(reply, v, "public text"),
                        reply.id
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .hint("keep contact details for the private message"),
            );
        }
        let values = sample_values(reply, vars);
        if let Ok(r) = render::render(&render::Request {
            template: &public.src,
            values: &values,
            lang: &v.lang,
            platform: None,
            clock,
        }) {
            let n = r.text.chars().count();
            if n > PUBLIC_MAX {
                let loc = cx.at_start(reply, public);
                cx.out.push(
                    Diagnostic::warning(
                        "public-length",
                        format!(
                            "the {} of `{}` is {n} characters, over {PUBLIC_MAX}",
                            label(reply, v, "public text"),
                            reply.id
                        ),
                    )
                    .at(loc)
                    .reply(&reply.id)
                    .note(sample_note(reply, vars))
                    .hint(format!(
                        "cut {} characters: a public answer acknowledges and moves to DMs",
                        n - PUBLIC_MAX
                    )),
                );
            }
        }
    }

    // Platform limits for the platforms the reply names.
    for name in &reply.platforms {
        let Some(p) = platform::find(platforms, name) else {
            let f = cx.lib.file(reply);
            let loc = Location::at(&f.name, &f.text, reply.span.clone());
            cx.out.push(
                Diagnostic::error(
                    "unknown-platform",
                    format!("reply `{}` names an unknown platform `{name}`", reply.id),
                )
                .at(loc)
                .reply(&reply.id)
                .hint(format!(
                    "known platforms: {}; add it under [platforms.{name}] in the config",
                    platforms
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            continue;
        };
        for (i, body_vars, _) in &vars_of {
            let v = &reply.variants[*i];
            let Some(vars) = body_vars else { continue };
            let values = sample_values(reply, vars);
            let Ok(r) = render::render(&render::Request {
                template: &v.body.src,
                values: &values,
                lang: &v.lang,
                platform: Some(&p.name),
                clock,
            }) else {
                continue;
            };
            let m = platform::measure(p, &r.text);
            if !m.fits() {
                let loc = cx.at_start(reply, &v.body);
                let detail = match m.sms {
                    Some(s) => format!(
                        "{} {} characters, {} segments",
                        s.units, s.encoding, s.segments
                    ),
                    None => format!("{} {}", m.length, m.unit),
                };
                cx.out.push(
                    Diagnostic::error(
                        "over-limit",
                        format!(
                            "the {} of `{}` is too long for {}: {detail}, the limit is {} {}",
                            label(reply, v, "body"),
                            reply.id,
                            p.name,
                            m.limit.unwrap_or(0),
                            m.unit
                        ),
                    )
                    .at(loc)
                    .reply(&reply.id)
                    .note(sample_note(reply, vars))
                    .hint(format!(
                        "cut at least {} {}, or remove `{}` from its platforms",
                        platform::to_cut(&m),
                        if m.sms.is_some() {
                            "characters"
                        } else {
                            m.unit
                        },
                        p.name
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shouting_needs_two_words_in_capitals() {
        assert!(shouting("Your DHL parcel").is_none());
        assert!(shouting("PLEASE NOTE this").is_some());
        assert!(shouting("Hi {{ CUSTOMER }} THERE").is_none());
        assert_eq!(
            shouting("ok DO NOT wait").map(|(s, e)| &"ok DO NOT wait"[s..e]),
            Some("DO NOT")
        );
    }

    #[test]
    fn shrill_punctuation() {
        assert!(shrill("Great!! thanks").is_some());
        assert!(shrill("Really?").is_none());
        assert!(shrill("{{ x }} ¡¡Hola").is_some());
    }

    #[test]
    fn private_details() {
        assert!(
            is_private("order")
                && is_private("order_id")
                && is_private("email")
                && !is_private("customer")
        );
        assert_eq!(
            literal_private("write to ana@example.com now").map(|x| x.2),
            Some("an e-mail address")
        );
        assert_eq!(literal_private("call +34 600 123 456").map(|x| x.2), None);
        assert_eq!(
            literal_private("call +34600123456").map(|x| x.2),
            Some("a phone number")
        );
    }

    #[test]
    fn finds_variable_uses_inside_tags_only() {
        let src = "your order {{ order }}";
        assert_eq!(var_offset(src, "order"), Some(14));
    }
}
