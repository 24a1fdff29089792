//! Reads one library file: TOML → replies, with a diagnostic for every problem,
//! each naming its line and column. A bad reply does not hide the good ones.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::model::{Reply, Text, Value, Variant};
use crate::diag::{Diagnostic, Location};

/// The fields a reply table may have; the next ones go here too.
pub const REPLY_FIELDS: &[&str] = &[
    "title",
    "body",
    "public",
    "tags",
    "defaults",
    "platforms",
    "lang",
    "translations",
];
/// The fields of a translation table.
pub const VARIANT_FIELDS: &[&str] = &["title", "body", "public"];
/// Keys allowed at the top of a file beside the replies (a file-wide setting).
pub const FILE_FIELDS: &[&str] = &["lang"];

pub struct ParsedFile {
    pub replies: Vec<Reply>,
    pub diagnostics: Vec<Diagnostic>,
}

struct Ctx<'a> {
    name: &'a str,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn loc(&self, span: Range<usize>) -> Location {
        Location::at(self.name, self.text, span)
    }

    fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, message).at(self.loc(span));
        self.diagnostics.push(d);
        self.diagnostics.last_mut().expect("just pushed")
    }
}

/// A valid id: lowercase letters, digits, `-` and `_`, so it is easy to type and
/// safe in file names, shell completion and URLs.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A language code such as `en`, `es`, `pt-BR`.
pub fn valid_lang(code: &str) -> bool {
    let mut parts = code.split(['-', '_']);
    parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The closest allowed name to a typo, for "did you mean" hints.
pub fn suggest<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(word, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn allowed_list(allowed: &[&str]) -> String {
    allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a file. `default_lang` is the library's (or config's) language, used
/// when neither the reply nor the file names one.
pub fn parse_file(name: &str, text: &str, file: usize, default_lang: &str) -> ParsedFile {
    let mut cx = Ctx {
        name,
        text,
        diagnostics: Vec::new(),
    };
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            cx.error("toml", span, format!("invalid TOML: {}", e.message()))
                .hint = Some("fix the syntax; the other files are still read".into());
            return ParsedFile {
                replies: Vec::new(),
                diagnostics: cx.diagnostics,
            };
        }
    };

    // A file-wide `lang` applies to every reply of the file that does not set its own.
    let mut file_lang = default_lang.to_string();
    for (key, value) in doc.get_ref().iter() {
        if !matches!(value.get_ref(), DeValue::Table(_))
            && key.get_ref() == "lang"
            && let Some(l) = lang_value(&mut cx, value)
        {
            file_lang = l;
        }
    }

    let mut replies = Vec::new();
    for (key, value) in doc.get_ref().iter() {
        let id = key.get_ref().as_ref();
        match value.get_ref() {
            DeValue::Table(table) => {
                if !valid_id(id) {
                    cx.error("invalid-id", key.span(), format!("invalid reply id `{id}`"))
                        .hint = Some(
                        "ids use lowercase letters, digits, `-` and `_` (e.g. `order-delay`)"
                            .into(),
                    );
                    continue;
                }
                if let Some(reply) = parse_reply(&mut cx, id, key.span(), table, file, &file_lang) {
                    replies.push(reply);
                }
            }
            _ if FILE_FIELDS.contains(&id) => {}
            _ => {
                let d = cx.error(
                    "unknown-field",
                    key.span(),
                    format!("`{id}` is not a reply: a reply is a table such as `[{id}]`"),
                );
                d.hint = Some(format!(
                    "the only settings allowed at the top of a file are {}",
                    allowed_list(FILE_FIELDS)
                ));
            }
        }
    }
    ParsedFile {
        replies,
        diagnostics: cx.diagnostics,
    }
}

fn lang_value(cx: &mut Ctx, value: &Spanned<DeValue>) -> Option<String> {
    let s = string(cx, "lang", value)?;
    if valid_lang(&s) {
        Some(s.to_ascii_lowercase())
    } else {
        cx.error(
            "invalid-lang",
            value.span(),
            format!("`{s}` is not a language code"),
        )
        .hint = Some("use a code such as `en`, `es` or `pt-br`".into());
        None
    }
}

fn string(cx: &mut Ctx, field: &str, value: &Spanned<DeValue>) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        other => {
            cx.error(
                "type",
                value.span(),
                format!("`{field}` must be a string, found {}", other.type_str()),
            );
            None
        }
    }
}

fn string_list(cx: &mut Ctx, field: &str, value: &Spanned<DeValue>) -> Option<Vec<String>> {
    let DeValue::Array(items) = value.get_ref() else {
        cx.error(
            "type",
            value.span(),
            format!(
                "`{field}` must be a list of strings, found {}",
                value.get_ref().type_str()
            ),
        )
        .hint = Some(format!("write it as `{field} = [\"a\", \"b\"]`"));
        return None;
    };
    let mut out = Vec::new();
    for item in items.iter() {
        out.push(string(cx, field, item)?);
    }
    Some(out)
}

fn to_value(v: &DeValue) -> Value {
    match v {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(
            i.as_str()
                .replace('_', "")
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b"),
            i.radix(),
        )
        .map(Value::from)
        .unwrap_or_else(|_| Value::String(i.as_str().to_string())),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(f.as_str().to_string()), Value::Number),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(|x| to_value(x.get_ref())).collect()),
        DeValue::Table(t) => Value::Object(
            t.iter()
                .map(|(k, x)| (k.get_ref().to_string(), to_value(x.get_ref())))
                .collect(),
        ),
    }
}

fn unknown_field(
    cx: &mut Ctx,
    key: &Spanned<std::borrow::Cow<str>>,
    id: &str,
    allowed: &[&str],
    what: &str,
) {
    let name = key.get_ref().as_ref();
    let d = cx.error(
        "unknown-field",
        key.span(),
        format!("unknown field `{name}` in {what} `{id}`"),
    );
    d.notes
        .push(format!("allowed fields: {}", allowed_list(allowed)));
    if let Some(s) = suggest(name, allowed) {
        d.hint = Some(format!("did you mean `{s}`?"));
    }
}

fn parse_reply(
    cx: &mut Ctx,
    id: &str,
    span: Range<usize>,
    table: &DeTable,
    file: usize,
    file_lang: &str,
) -> Option<Reply> {
    let before = cx.diagnostics.len();
    let mut title = None;
    let mut body = None;
    let mut public = None;
    let mut tags = Vec::new();
    let mut defaults = BTreeMap::new();
    let mut platforms = Vec::new();
    let mut lang = file_lang.to_string();
    let mut translations = Vec::new();

    for (key, value) in table.iter() {
        match key.get_ref().as_ref() {
            "title" => title = string(cx, "title", value).map(|s| (s, value.span())),
            "body" => body = text(cx, "body", value),
            "public" => public = text(cx, "public", value),
            "tags" => tags = string_list(cx, "tags", value).unwrap_or_default(),
            "platforms" => {
                platforms = string_list(cx, "platforms", value)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| p.to_ascii_lowercase())
                    .collect()
            }
            "lang" => {
                if let Some(l) = lang_value(cx, value) {
                    lang = l;
                }
            }
            "defaults" => match value.get_ref() {
                DeValue::Table(t) => {
                    for (k, v) in t.iter() {
                        defaults.insert(k.get_ref().to_string(), to_value(v.get_ref()));
                    }
                }
                other => {
                    cx.error(
                        "type",
                        value.span(),
                        format!("`defaults` must be a table, found {}", other.type_str()),
                    )
                    .hint = Some(format!(
                        "write it as a table `[{id}.defaults]` with one `name = \"value\"` a line"
                    ));
                }
            },
            "translations" => match value.get_ref() {
                DeValue::Table(t) => translations.extend(t.iter()),
                other => {
                    cx.error(
                        "type",
                        value.span(),
                        format!("`translations` must be a table, found {}", other.type_str()),
                    )
                    .hint = Some(format!(
                        "write each translation as a table `[{id}.translations.es]`"
                    ));
                }
            },
            _ => unknown_field(cx, key, id, REPLY_FIELDS, "reply"),
        }
    }

    let title = match title {
        Some((t, s)) if !t.trim().is_empty() => Some((t, s)),
        Some((_, s)) => {
            cx.error("empty", s, format!("reply `{id}` has an empty title"));
            None
        }
        None => {
            cx.error(
                "missing-field",
                span.clone(),
                format!("reply `{id}` has no `title`"),
            )
            .hint = Some("add `title = \"…\"`: it is what people search and list".into());
            None
        }
    };
    let body = match body {
        Some(b) if !b.src.trim().is_empty() => Some(b),
        Some(b) => {
            cx.error("empty", b.span, format!("reply `{id}` has an empty body"));
            None
        }
        None => {
            cx.error(
                "missing-field",
                span.clone(),
                format!("reply `{id}` has no `body`"),
            )
            .hint = Some("add `body = \"\"\"…\"\"\"`: the message to send".into());
            None
        }
    };
    if cx.diagnostics[before..].iter().any(Diagnostic::is_error) {
        for d in &mut cx.diagnostics[before..] {
            d.reply.get_or_insert_with(|| id.to_string());
        }
        return None;
    }
    let (title, title_span) = title?;
    // A broken translation is reported but leaves the reply usable in its
    // other languages.
    let translations: Vec<Variant> = translations
        .into_iter()
        .filter_map(|(code, v)| parse_translation(cx, id, code, v))
        .collect();
    let mut variants = vec![Variant {
        lang,
        title,
        title_span,
        body: body?,
        public,
        span: span.clone(),
    }];
    for t in translations {
        if variants.iter().any(|v| v.lang == t.lang) {
            // The reply's own language given again as a translation: the
            // translation would never be chosen, which is surely a mistake.
            cx.error(
                "duplicate-lang",
                t.span.clone(),
                format!(
                    "reply `{id}` already is in `{}`: this translation would never be used",
                    t.lang
                ),
            )
            .reply = Some(id.to_string());
            continue;
        }
        variants.push(t);
    }
    Some(Reply {
        id: id.to_string(),
        tags,
        defaults,
        platforms,
        variants,
        file,
        span,
    })
}

fn text(cx: &mut Ctx, field: &str, value: &Spanned<DeValue>) -> Option<Text> {
    string(cx, field, value).map(|src| Text {
        src,
        span: value.span(),
    })
}

fn parse_translation(
    cx: &mut Ctx,
    id: &str,
    code: &Spanned<std::borrow::Cow<str>>,
    value: &Spanned<DeValue>,
) -> Option<Variant> {
    let lang = code.get_ref().to_ascii_lowercase();
    if !valid_lang(&lang) {
        cx.error(
            "invalid-lang",
            code.span(),
            format!("`{lang}` is not a language code (in reply `{id}`)"),
        )
        .hint = Some("use a code such as `es`, `fr` or `pt-br`: `[id.translations.es]`".into());
        return None;
    }
    let DeValue::Table(table) = value.get_ref() else {
        cx.error(
            "type",
            value.span(),
            format!("translation `{lang}` of `{id}` must be a table with `title` and `body`"),
        );
        return None;
    };
    let what = format!("translation `{lang}` of reply");
    let (mut title, mut body, mut public) = (None, None, None);
    for (key, v) in table.iter() {
        match key.get_ref().as_ref() {
            "title" => title = string(cx, "title", v).map(|s| (s, v.span())),
            "body" => body = text(cx, "body", v),
            "public" => public = text(cx, "public", v),
            _ => unknown_field(cx, key, id, VARIANT_FIELDS, &what),
        }
    }
    let Some(body) = body.filter(|b| !b.src.trim().is_empty()) else {
        cx.error(
            "missing-field",
            code.span(),
            format!("translation `{lang}` of reply `{id}` has no body"),
        )
        .hint = Some(format!(
            "add `body = \"\"\"…\"\"\"` under `[{id}.translations.{lang}]`"
        ));
        return None;
    };
    let Some((title, title_span)) = title.filter(|(t, _)| !t.trim().is_empty()) else {
        cx.error(
            "missing-field",
            code.span(),
            format!("translation `{lang}` of reply `{id}` has no title"),
        )
        .hint = Some("add `title = \"…\"` in that language, so it can be found and listed".into());
        return None;
    };
    Some(Variant {
        lang,
        title,
        title_span,
        body,
        public,
        span: code.span(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedFile {
        parse_file("t.toml", text, 0, "en")
    }

    #[test]
    fn reads_a_reply_with_defaults_and_translation() {
        let p = parse(
            "[order-delay]\ntitle = 'Late'\ntags = ['orders']\nbody = \"\"\"\nHi {{ customer }}\n\"\"\"\n[order-delay.defaults]\neta = 'soon'\nn = 3\n[order-delay.translations.es]\ntitle = 'Tarde'\nbody = 'Hola'\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let r = &p.replies[0];
        assert_eq!(r.id, "order-delay");
        assert_eq!(r.main().body.src, "Hi {{ customer }}\n");
        assert_eq!(r.defaults["n"], Value::from(3));
        assert_eq!(r.variants[1].lang, "es");
        assert_eq!(r.languages().collect::<Vec<_>>(), ["en", "es"]);
    }

    #[test]
    fn unknown_field_is_named_with_the_allowed_ones() {
        let p = parse("[a]\ntittle = 'x'\nbody = 'y'\n");
        assert!(p.replies.is_empty());
        let d = &p.diagnostics[0];
        assert_eq!(d.message, "unknown field `tittle` in reply `a`");
        assert_eq!(d.location.as_ref().unwrap().line, 2);
        assert!(d.notes[0].contains("`title`"));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn a_bad_reply_does_not_hide_the_next() {
        let p = parse("[a]\nbody = 'x'\n[b]\ntitle = 't'\nbody = 'y'\n");
        assert_eq!(p.replies.len(), 1);
        assert_eq!(p.replies[0].id, "b");
        assert_eq!(p.diagnostics[0].message, "reply `a` has no `title`");
    }

    #[test]
    fn file_lang_applies_unless_the_reply_sets_one() {
        let p =
            parse("lang = 'es'\n[a]\ntitle='t'\nbody='b'\n[b]\nlang='fr'\ntitle='t'\nbody='b'\n");
        assert_eq!(p.replies[0].lang(), "es");
        assert_eq!(p.replies[1].lang(), "fr");
    }

    #[test]
    fn toml_errors_have_a_position() {
        let p = parse("[a]\ntitle = \"x\nbody = 'y'\n");
        let loc = p.diagnostics[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 11));
    }

    #[test]
    fn ids_and_langs_are_validated() {
        assert!(valid_id("order-delay_2"));
        assert!(!valid_id("Order"));
        assert!(!valid_id("a b"));
        assert!(valid_lang("es") && valid_lang("pt-BR") && !valid_lang("e") && !valid_lang("es-"));
    }

    #[test]
    fn translation_without_body_is_an_error() {
        let p = parse("[a]\ntitle='t'\nbody='b'\n[a.translations.es]\ntitle='x'\n");
        assert_eq!(
            p.diagnostics[0].message,
            "translation `es` of reply `a` has no body"
        );
        assert_eq!(p.replies[0].variants.len(), 1);
    }
}
