//! The tables a reply may carry beside its texts: declared variables
//! (`[ID.vars.NAME]`) and the reply's own tests (`[ID.tests.NAME]`). Each
//! mistake is reported at its position; what can only be judged against the
//! templates (a pattern that is not a regular expression, a default outside
//! the choices) is left to `reply check`.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::fields::{Ctx, lang_value, string, string_list, to_value, unknown_field};
use crate::library::model::{ReplyTest, VarKind, VarSpec};
use crate::library::valid_var_name;

/// The fields of a declared variable.
pub const VAR_FIELDS: &[&str] = &[
    "prompt", "example", "pattern", "choices", "default", "type", "private",
];
/// The fields of a reply's test.
pub const TEST_FIELDS: &[&str] = &[
    "vars",
    "lang",
    "platform",
    "public",
    "expect",
    "contains",
    "not_contains",
    "max_chars",
];

/// One entry of a table of tables: its name, its value, its table.
type Entry<'v> = (
    &'v Spanned<std::borrow::Cow<'v, str>>,
    &'v Spanned<DeValue<'v>>,
    &'v DeTable<'v>,
);

/// The entries of a table of tables (`vars`, `tests`), each with its name.
fn tables<'v>(
    cx: &mut Ctx,
    id: &str,
    field: &str,
    value: &'v Spanned<DeValue<'v>>,
) -> Vec<Entry<'v>> {
    let DeValue::Table(t) = value.get_ref() else {
        cx.error(
            "type",
            value.span(),
            format!(
                "`{field}` must be a table, found {}",
                value.get_ref().type_str()
            ),
        )
        .hint = Some(format!("write each one as a table `[{id}.{field}.NAME]`"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, v) in t.iter() {
        match v.get_ref() {
            DeValue::Table(inner) => out.push((name, v, inner)),
            other => {
                cx.error(
                    "type",
                    v.span(),
                    format!(
                        "`{field}.{}` of reply `{id}` must be a table, found {}",
                        name.get_ref(),
                        other.type_str()
                    ),
                )
                .hint = Some(format!(
                    "write it as a table `[{id}.{field}.{}]`",
                    name.get_ref()
                ));
            }
        }
    }
    out
}

fn boolean(cx: &mut Ctx, field: &str, value: &Spanned<DeValue>) -> Option<bool> {
    match value.get_ref() {
        DeValue::Boolean(b) => Some(*b),
        other => {
            cx.error(
                "type",
                value.span(),
                format!(
                    "`{field}` must be true or false, found {}",
                    other.type_str()
                ),
            );
            None
        }
    }
}

/// `contains = "x"` or `contains = ["x", "y"]`.
fn one_or_many(cx: &mut Ctx, field: &str, value: &Spanned<DeValue>) -> Vec<String> {
    match value.get_ref() {
        DeValue::String(s) => vec![s.to_string()],
        _ => string_list(cx, field, value).unwrap_or_default(),
    }
}

pub(super) fn parse_vars(cx: &mut Ctx, id: &str, value: &Spanned<DeValue>) -> Vec<VarSpec> {
    let mut vars = Vec::new();
    for (name, v, table) in tables(cx, id, "vars", value) {
        let name_text = name.get_ref().to_string();
        if !valid_var_name(&name_text) {
            cx.error(
                "invalid-var",
                name.span(),
                format!("`{name_text}` is not a variable name (in reply `{id}`)"),
            )
            .hint = Some("names use letters, digits and `_`, as in the template".into());
            continue;
        }
        let mut spec = VarSpec {
            span: v.span(),
            ..VarSpec::named(&name_text)
        };
        let what = format!("variable `{name_text}` of reply");
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "prompt" => spec.prompt = string(cx, "prompt", value),
                "example" => spec.example = string(cx, "example", value),
                "pattern" => spec.pattern = string(cx, "pattern", value),
                "choices" => spec.choices = string_list(cx, "choices", value).unwrap_or_default(),
                "default" => spec.default = Some(to_value(value.get_ref())),
                "private" => spec.private = boolean(cx, "private", value).unwrap_or(false),
                "type" => match string(cx, "type", value).as_deref() {
                    Some("text") => spec.kind = VarKind::Text,
                    Some("bool") => spec.kind = VarKind::Bool,
                    Some(other) => {
                        cx.error(
                            "type",
                            value.span(),
                            format!("`type = \"{other}\"` is not a variable type"),
                        )
                        .hint =
                            Some("use `type = \"text\"` (the default) or `type = \"bool\"`".into());
                    }
                    None => {}
                },
                _ => unknown_field(cx, key, id, VAR_FIELDS, &what),
            }
        }
        vars.push(spec);
    }
    vars
}

pub(super) fn parse_tests(cx: &mut Ctx, id: &str, value: &Spanned<DeValue>) -> Vec<ReplyTest> {
    let mut tests = Vec::new();
    for (name, v, table) in tables(cx, id, "tests", value) {
        let mut t = ReplyTest {
            name: name.get_ref().to_string(),
            vars: BTreeMap::new(),
            lang: None,
            platform: None,
            public: false,
            expect: None,
            contains: Vec::new(),
            not_contains: Vec::new(),
            max_chars: None,
            span: v.span(),
        };
        let what = format!("test `{}` of reply", t.name);
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "vars" => match value.get_ref() {
                    DeValue::Table(vars) => {
                        for (k, x) in vars.iter() {
                            t.vars
                                .insert(k.get_ref().to_string(), to_value(x.get_ref()));
                        }
                    }
                    other => {
                        cx.error(
                            "type",
                            value.span(),
                            format!(
                                "`vars` of a test must be a table, found {}",
                                other.type_str()
                            ),
                        )
                        .hint = Some("write it as `vars = { customer = \"Ana\" }`".into());
                    }
                },
                "lang" => t.lang = lang_value(cx, value),
                "platform" => {
                    t.platform = string(cx, "platform", value).map(|p| p.to_ascii_lowercase())
                }
                "public" => t.public = boolean(cx, "public", value).unwrap_or(false),
                "expect" => t.expect = string(cx, "expect", value),
                "contains" => t.contains = one_or_many(cx, "contains", value),
                "not_contains" => t.not_contains = one_or_many(cx, "not_contains", value),
                "max_chars" => match value.get_ref() {
                    DeValue::Integer(i) => {
                        t.max_chars = i.as_str().replace('_', "").parse().ok();
                        if t.max_chars.is_none() {
                            cx.error(
                                "type",
                                value.span(),
                                "`max_chars` must be a positive whole number".into(),
                            );
                        }
                    }
                    other => {
                        cx.error(
                            "type",
                            value.span(),
                            format!("`max_chars` must be a number, found {}", other.type_str()),
                        );
                    }
                },
                _ => unknown_field(cx, key, id, TEST_FIELDS, &what),
            }
        }
        if t.expect.is_none()
            && t.contains.is_empty()
            && t.not_contains.is_empty()
            && t.max_chars.is_none()
        {
            cx.error(
                "empty-test",
                v.span(),
                format!("test `{}` of reply `{id}` checks nothing", t.name),
            )
            .hint = Some("give it `expect`, `contains`, `not_contains` or `max_chars`".into());
        }
        tests.push(t);
    }
    tests
}
