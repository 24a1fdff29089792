//! The small readers every field of a reply shares: strings, lists, values,
//! language codes and ids, each reporting a mistake at its position.

use std::ops::Range;

use toml::Spanned;
use toml::de::DeValue;

use crate::diag::{Diagnostic, Lines, Location};
use crate::library::model::{Text, Value};
use crate::util::suggest::closest;

pub(super) struct Ctx<'a> {
    pub(super) name: &'a str,
    pub(super) text: &'a str,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Built on the first diagnostic, once per file.
    pub(super) lines: std::cell::OnceCell<Lines>,
}

impl Ctx<'_> {
    pub(super) fn loc(&self, span: Range<usize>) -> Location {
        self.lines
            .get_or_init(|| Lines::new(self.text))
            .at(self.name, self.text, span)
    }

    pub(super) fn error(
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

pub(super) fn allowed_list(allowed: &[&str]) -> String {
    allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn lang_value(cx: &mut Ctx, value: &Spanned<DeValue>) -> Option<String> {
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

pub(super) fn string(cx: &mut Ctx, field: &str, value: &Spanned<DeValue>) -> Option<String> {
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

pub(super) fn string_list(
    cx: &mut Ctx,
    field: &str,
    value: &Spanned<DeValue>,
) -> Option<Vec<String>> {
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

pub(super) fn to_value(v: &DeValue) -> Value {
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

pub(super) fn unknown_field(
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
    if let Some(s) = closest(name, allowed.iter().copied()) {
        d.hint = Some(format!("did you mean `{s}`?"));
    }
}

pub(super) fn text(cx: &mut Ctx, field: &str, value: &Spanned<DeValue>) -> Option<Text> {
    string(cx, field, value).map(|src| Text {
        src,
        span: value.span(),
    })
}
