//! Reads one library file: TOML → replies, with a diagnostic for every problem,
//! each naming its line and column. A bad reply does not hide the good ones.

mod extras;
mod fields;

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::model::{Reply, Variant};
use crate::diag::Diagnostic;
use fields::{Ctx, allowed_list, lang_value, string, string_list, text, to_value, unknown_field};
pub use fields::{valid_id, valid_lang};

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
    "examples",
    "vars",
    "tests",
];
/// The fields of a translation table.
pub const VARIANT_FIELDS: &[&str] = &["title", "body", "public", "examples"];
pub use extras::{TEST_FIELDS, VAR_FIELDS};
/// Keys allowed at the top of a file beside the replies (a file-wide setting).
pub const FILE_FIELDS: &[&str] = &["lang"];

pub struct ParsedFile {
    pub replies: Vec<Reply>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a file. `default_lang` is the library's (or config's) language, used
/// when neither the reply nor the file names one.
pub fn parse_file(name: &str, text: &str, default_lang: &str) -> ParsedFile {
    let mut cx = Ctx {
        name,
        text,
        diagnostics: Vec::new(),
        lines: Default::default(),
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
                if let Some(reply) = parse_reply(&mut cx, id, key.span(), table, &file_lang) {
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

fn parse_reply(
    cx: &mut Ctx,
    id: &str,
    span: Range<usize>,
    table: &DeTable,
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
    let mut examples = Vec::new();
    let (mut vars_table, mut tests_table) = (None, None);

    for (key, value) in table.iter() {
        match key.get_ref().as_ref() {
            "title" => title = string(cx, "title", value).map(|s| (s, value.span())),
            "body" => body = text(cx, "body", value),
            "public" => public = text(cx, "public", value),
            "tags" => tags = string_list(cx, "tags", value).unwrap_or_default(),
            "examples" => examples = string_list(cx, "examples", value).unwrap_or_default(),
            "vars" => vars_table = Some(value),
            "tests" => tests_table = Some(value),
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
    // A broken translation, variable declaration or test is reported but
    // leaves the reply usable: an agent can still send it.
    let after = cx.diagnostics.len();
    let translations: Vec<Variant> = translations
        .into_iter()
        .filter_map(|(code, v)| parse_translation(cx, id, code, v))
        .collect();
    let vars = vars_table.map_or_else(Vec::new, |v| extras::parse_vars(cx, id, v));
    let tests = tests_table.map_or_else(Vec::new, |v| extras::parse_tests(cx, id, v));
    for d in &mut cx.diagnostics[after..] {
        d.reply.get_or_insert_with(|| id.to_string());
    }
    let mut variants = vec![Variant {
        lang,
        title,
        title_span,
        body: body?,
        public,
        examples,
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
        vars,
        tests,
        variants,
        file: 0,
        span,
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
    let mut examples = Vec::new();
    for (key, v) in table.iter() {
        match key.get_ref().as_ref() {
            "title" => title = string(cx, "title", v).map(|s| (s, v.span())),
            "body" => body = text(cx, "body", v),
            "public" => public = text(cx, "public", v),
            "examples" => examples = string_list(cx, "examples", v).unwrap_or_default(),
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
        examples,
        span: code.span(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Value;

    fn parse(text: &str) -> ParsedFile {
        parse_file("t.toml", text, "en")
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
    fn declared_variables_examples_and_tests_are_read() {
        let p = parse(
            r#"
[late]
title = "Late"
body = "Hi {{ customer }}, order {{ order }} {% if discount %}10% off{% endif %}"
examples = ["where is my order", "parcel not here"]
[late.vars.order]
prompt = "Order number"
example = "A-1042"
pattern = '^[A-Z]-\d{4}$'
private = true
[late.vars.discount]
type = "bool"
[late.vars.carrier]
choices = ["DHL", "UPS"]
default = "DHL"
[late.tests.basic]
vars = { customer = "Ana", order = "A-1042" }
contains = "A-1042"
max_chars = 200
[late.translations.es]
title = "Tarde"
body = "Hola {{ customer }}, pedido {{ order }}"
examples = ["donde esta mi pedido"]
"#,
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let r = &p.replies[0];
        assert_eq!(r.main().examples, ["where is my order", "parcel not here"]);
        assert_eq!(r.variants[1].examples, ["donde esta mi pedido"]);
        let order = r.var("order").unwrap();
        assert_eq!(order.pattern.as_deref(), Some("^[A-Z]-\\d{4}$"));
        assert!(order.private);
        assert_eq!(
            r.var("discount").unwrap().kind,
            crate::library::VarKind::Bool
        );
        assert_eq!(r.var("carrier").unwrap().choices, ["DHL", "UPS"]);
        assert_eq!(r.tests[0].name, "basic");
        assert_eq!(r.tests[0].contains, ["A-1042"]);
        assert_eq!(r.tests[0].max_chars, Some(200));
    }

    #[test]
    fn a_bad_declaration_is_reported_and_leaves_the_reply_usable() {
        let p = parse(
            "[a]\ntitle='A'\nbody='x {{ o }}'\n[a.vars.o]\npromt='O'\ntype='number'\n[a.tests.t]\nvars={}\n",
        );
        assert_eq!(p.replies.len(), 1);
        let messages: Vec<&str> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("unknown field `promt`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("not a variable type")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("checks nothing")),
            "{messages:?}"
        );
        assert!(
            p.diagnostics
                .iter()
                .all(|d| d.reply.as_deref() == Some("a"))
        );
        assert_eq!(
            p.diagnostics[0].hint.as_deref(),
            Some("did you mean `prompt`?")
        );
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
