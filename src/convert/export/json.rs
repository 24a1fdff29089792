//! The JSON of a reply, as `reply show --json` prints it and `reply export
//! json` writes a list of: its id, language, tags, platforms, each language
//! variant's texts and examples, the variables its texts use with their
//! defaults and declarations, its defaults and its own tests. Everything a
//! reply holds, so `import json` makes the same reply again.

use serde::Serialize;
use serde_json::{Value, json};

use crate::compose::template::texts_variables;
use crate::convert::Item;
use crate::library::{Value as Var, VarSpec};

#[derive(Serialize)]
struct VariantOut<'a> {
    lang: &'a str,
    title: &'a str,
    body: &'a str,
    public: Option<&'a str>,
    examples: &'a [String],
}

#[derive(Serialize)]
struct VarOut<'a> {
    name: &'a str,
    default: Option<&'a Var>,
    /// The reply's declaration of it (`[ID.vars.NAME]`), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    declared: Option<&'a VarSpec>,
}

/// The variables an item's texts use (not `reply`'s own), sorted.
pub fn used_variables(item: &Item) -> Vec<String> {
    texts_variables(item.texts())
}

/// The reply's JSON object (without `version` and `source`, which the
/// caller adds when it has them).
pub fn reply_value(item: &Item) -> Value {
    let lang = item.lang.as_deref().unwrap_or("");
    let mut variants = vec![VariantOut {
        lang,
        title: &item.title,
        body: &item.body,
        public: item.public.as_deref(),
        examples: &item.examples,
    }];
    variants.extend(item.translations.iter().map(|t| VariantOut {
        lang: &t.lang,
        title: &t.title,
        body: &t.body,
        public: t.public.as_deref(),
        examples: &t.examples,
    }));
    let mut names = used_variables(item);
    // A declaration no text uses is listed too: an export loses nothing.
    for v in &item.vars {
        if !names.contains(&v.name) {
            names.push(v.name.clone());
        }
    }
    let vars: Vec<VarOut> = names
        .iter()
        .map(|n| {
            let declared = item.vars.iter().find(|v| &v.name == n);
            VarOut {
                name: n,
                default: item
                    .defaults
                    .get(n)
                    .or_else(|| declared.and_then(|d| d.default.as_ref())),
                declared,
            }
        })
        .collect();
    json!({
        "id": item.id,
        "lang": lang,
        "tags": item.tags,
        "platforms": item.platforms,
        "variants": variants,
        "variables": vars,
        "defaults": item.defaults,
        "tests": item.tests,
    })
}

/// `reply export json`: every reply, in library order.
pub fn export(items: &[Item], version: u32) -> String {
    let doc = json!({
        "version": version,
        "replies": items.iter().map(reply_value).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
