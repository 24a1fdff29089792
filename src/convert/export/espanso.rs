//! `reply export espanso`: one match file whose triggers are `:ID` (and
//! `:ID-LANG` for each translation). A reply's variables become the fields
//! of a form espanso shows when the trigger is typed, a default as the
//! field's default (from `[ID.defaults]` or `default(value=…)`). A text
//! that needs more of Tera than that (filters, `{% if %}`, loops) is
//! exported as its text, with a warning.

use serde::Serialize;

use super::{Exported, yaml};
use crate::convert::Item;
use crate::library::Value;

#[derive(Serialize)]
struct Field {
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<String>,
}

#[derive(Serialize)]
struct FormParams {
    layout: String,
    fields: std::collections::BTreeMap<String, Field>,
}

#[derive(Serialize)]
struct Var {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    params: FormParams,
}

#[derive(Serialize)]
struct Match {
    trigger: String,
    label: String,
    replace: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vars: Vec<Var>,
}

#[derive(Serialize)]
struct File {
    matches: Vec<Match>,
}

/// A form field: its name and default.
type FormField = (String, Option<String>);

/// A placeholder espanso can fill in: a variable, maybe with a default.
fn simple(inner: &str) -> Option<(String, Option<String>)> {
    let (name, rest) = match inner.split_once('|') {
        Some((n, r)) => (n.trim(), Some(r.trim())),
        None => (inner.trim(), None),
    };
    if !crate::library::valid_var_name(name) {
        return None;
    }
    let default = match rest {
        None => None,
        Some(r) => {
            let arg = r
                .strip_prefix("default(")?
                .strip_suffix(')')?
                .trim()
                .strip_prefix("value")?
                .trim_start()
                .strip_prefix('=')?
                .trim();
            let q = arg.chars().next()?;
            if !matches!(q, '"' | '\'' | '`') {
                return None;
            }
            let s = arg.strip_prefix(q)?.strip_suffix(q)?;
            if s.contains(q) {
                return None;
            }
            Some(s.to_string())
        }
    };
    Some((name.to_string(), default))
}

/// The text with its placeholders as espanso writes them (`{{form1.x}}`),
/// and the form's fields in order; `None` when the text needs more of Tera.
fn espanso_text(body: &str) -> Option<(String, Vec<FormField>)> {
    if body.contains("{%") || body.contains("{#") {
        return None;
    }
    let mut out = String::new();
    let mut fields: Vec<FormField> = Vec::new();
    let mut rest = body;
    while let Some(a) = rest.find("{{") {
        out.push_str(&rest[..a]);
        let after = &rest[a + 2..];
        let b = after.find("}}")?;
        let (name, default) = simple(&after[..b])?;
        out.push_str(&format!("{{{{form1.{name}}}}}"));
        match fields.iter_mut().find(|(n, _)| *n == name) {
            Some((_, d)) if d.is_none() => *d = default,
            Some(_) => {}
            None => fields.push((name, default)),
        }
        rest = &after[b + 2..];
    }
    out.push_str(rest);
    Some((out, fields))
}

fn one(trigger: String, label: &str, body: &str, item: &Item, warnings: &mut Vec<String>) -> Match {
    let Some((replace, fields)) = espanso_text(body) else {
        warnings.push(format!(
            "`{}` uses Tera features espanso lacks (filters, `{{% … %}}` tags): exported as its text, for you to adapt",
            trigger.trim_start_matches(':')
        ));
        return Match {
            trigger,
            label: label.to_string(),
            replace: body.to_string(),
            vars: Vec::new(),
        };
    };
    let vars = if fields.is_empty() {
        Vec::new()
    } else {
        let layout = fields
            .iter()
            .map(|(n, _)| format!("{n}: [[{n}]]"))
            .collect::<Vec<_>>()
            .join("\n");
        let fields = fields
            .into_iter()
            .map(|(n, d)| {
                let default = item
                    .defaults
                    .get(&n)
                    .map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .or(d);
                (n, Field { default })
            })
            .collect();
        vec![Var {
            name: "form1",
            kind: "form",
            params: FormParams { layout, fields },
        }]
    };
    Match {
        trigger,
        label: label.to_string(),
        replace,
        vars,
    }
}

pub fn export(items: &[Item]) -> Exported {
    let mut warnings = Vec::new();
    let mut matches = Vec::new();
    for i in items {
        matches.push(one(
            format!(":{}", i.id),
            &i.title,
            &i.body,
            i,
            &mut warnings,
        ));
        for t in &i.translations {
            matches.push(one(
                format!(":{}-{}", i.id, t.lang),
                &t.title,
                &t.body,
                i,
                &mut warnings,
            ));
        }
    }
    let public: Vec<&str> = items
        .iter()
        .filter(|i| i.public.is_some())
        .map(|i| i.id.as_str())
        .collect();
    if let Some(w) = super::lost("public texts", &public, "espanso") {
        warnings.push(w);
    }
    let text = match yaml(&File { matches }) {
        Ok(t) => t,
        Err(e) => {
            warnings.push(format!("the match file could not be written: {e}"));
            String::new()
        }
    };
    Exported {
        files: vec![(String::new(), text)],
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::import::espanso;
    use crate::convert::source::SourceFile;

    #[test]
    fn forms_for_variables_and_text_for_the_rest() {
        let mut a = Item {
            id: "late".into(),
            title: "Late".into(),
            body:
                "Hi {{ customer | default(value=\"there\") }}, order {{ order }} comes {{ eta }}.\n"
                    .into(),
            ..Item::default()
        };
        a.defaults.insert("eta".into(), Value::from("soon"));
        let b = Item {
            id: "fancy".into(),
            title: "Fancy".into(),
            body: "{% if x %}Hi {{ customer | first_name }}{% endif %}".into(),
            ..Item::default()
        };
        let out = export(&[a, b]);
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("`fancy`"));
        // espanso's own reading, as our importer does it, gets the form back.
        let mut back = crate::convert::Converted::default();
        espanso::convert(
            &SourceFile {
                name: "out.yml".into(),
                text: out.files[0].1.clone(),
                encoding: None,
            },
            &mut back,
        );
        let late = &back.items[0];
        assert_eq!(late.tags, [":late"]);
        assert_eq!(
            late.body,
            "Hi {{ customer }}, order {{ order }} comes {{ eta }}.\n"
        );
        let customer = late.vars.iter().find(|v| v.name == "customer").unwrap();
        assert_eq!(customer.default, Some(Value::from("there")));
        let eta = late.vars.iter().find(|v| v.name == "eta").unwrap();
        assert_eq!(eta.default, Some(Value::from("soon")));
        assert_eq!(
            back.items[1].body,
            "{% if x %}Hi {{ customer | first_name }}{% endif %}"
        );
    }
}
