//! `reply show ID`: the reply as stored, where it comes from, its languages,
//! and the variables it uses with their defaults.

use serde::Serialize;

use super::{JSON_VERSION, origin, write_json};
use crate::App;
use crate::catalog::{Catalog, Entry};
use crate::cli::ShowArgs;
use crate::error::{Error, Result};
use crate::library::{Library, Reply, Value};
use crate::output::{Style, sanitize};
use crate::render;

#[derive(Serialize)]
struct VariantOut<'a> {
    lang: &'a str,
    title: &'a str,
    body: &'a str,
    public: Option<&'a str>,
}

#[derive(Serialize)]
struct VarOut<'a> {
    name: String,
    default: Option<&'a Value>,
}

/// Variables used anywhere in the reply (every variant, body and public).
pub fn reply_variables(reply: &Reply) -> Vec<String> {
    let mut all: Vec<String> = reply
        .variants
        .iter()
        .flat_map(|v| std::iter::once(&v.body).chain(v.public.as_ref()))
        .filter_map(|t| render::variables(&t.src).ok())
        .flatten()
        .filter(|n| !render::BUILTINS.contains(&n.as_str()))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The entry for an exact id, or an error that suggests the closest ones.
pub fn exact<'a>(cat: &'a Catalog, id: &str) -> Result<&'a Entry> {
    if cat.get(id).is_none() {
        if let Some(why) = cat.broken_home(id) {
            return Err(Error::data(why));
        }
        let close: Vec<_> = crate::search::search(&cat.entries, cat.bodies(), id, |_| true)
            .into_iter()
            .take(3)
            .map(|h| format!("`{}`", h.entry.id()))
            .collect();
        let hint = if close.is_empty() {
            "`reply list` shows every id".to_string()
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        return Err(Error::no_match(format!(
            "error: no reply has the id `{id}`\n  = hint: {hint}"
        )));
    }
    cat.get(id)
        .ok_or_else(|| Error::no_match(format!("error: no reply has the id `{id}`")))
}

/// The catalog and the full reply for an exact id.
pub fn load(app: &mut App, id: &str) -> Result<(Catalog, Library)> {
    let cat = app.catalog(false)?;
    let entry = exact(&cat, id)?;
    let lib = crate::compose::open(&cat, entry)?;
    Ok((cat, lib))
}

pub fn run(app: &mut App, args: &ShowArgs) -> Result<()> {
    let (cat, lib) = load(app, &args.id)?;
    let (Some(reply), Some(entry)) = (lib.get(&args.id), cat.get(&args.id)) else {
        return Err(Error::data(format!(
            "error: reply `{}` could not be read",
            args.id
        )));
    };
    let vars = reply_variables(reply);
    if args.json.json {
        let value = serde_json::json!({
            "version": JSON_VERSION,
            "id": reply.id,
            "lang": reply.lang(),
            "tags": reply.tags,
            "platforms": reply.platforms,
            "variants": reply.variants.iter().map(|v| VariantOut {
                lang: &v.lang,
                title: &v.title,
                body: &v.body.src,
                public: v.public.as_ref().map(|p| p.src.as_str()),
            }).collect::<Vec<_>>(),
            "variables": vars.iter().map(|n| VarOut { name: n.clone(), default: reply.defaults.get(n) }).collect::<Vec<_>>(),
            "defaults": reply.defaults,
            "source": origin(app, &cat, entry),
        });
        return write_json(app, &value);
    }
    let loc = lib.location(reply);
    let o = &app.out;
    let label = |s: &str| o.paint(Style::Bold, s);
    let mut text = String::new();
    text.push_str(&format!(
        "{} {}\n",
        label("id:"),
        o.paint(Style::Id, &reply.id)
    ));
    text.push_str(&format!(
        "{} {}\n",
        label("title:"),
        sanitize(reply.title(), false)
    ));
    if !reply.tags.is_empty() {
        text.push_str(&format!(
            "{} {}\n",
            label("tags:"),
            sanitize(&reply.tags.join(", "), false)
        ));
    }
    text.push_str(&format!(
        "{} {}\n",
        label("languages:"),
        reply.languages().collect::<Vec<_>>().join(", ")
    ));
    if !reply.platforms.is_empty() {
        text.push_str(&format!(
            "{} {}\n",
            label("platforms:"),
            reply.platforms.join(", ")
        ));
    }
    text.push_str(&format!(
        "{} {}:{} ({})\n",
        label("source:"),
        loc.file,
        loc.line,
        super::layer_name(app, cat.layer(entry))
    ));
    text.push_str(&format!("{}\n", label("variables:")));
    if vars.is_empty() {
        text.push_str("  (none)\n");
    }
    for name in &vars {
        match reply.defaults.get(name) {
            Some(v) => {
                let shown = match v {
                    Value::String(s) => format!("{s:?}"),
                    other => other.to_string(),
                };
                text.push_str(&format!(
                    "  {name} (default: {})\n",
                    sanitize(&shown, false)
                ));
            }
            None => text.push_str(&format!("  {name}\n")),
        }
    }
    for v in &reply.variants {
        let head = if reply.variants.len() > 1 {
            format!(" [{}]", v.lang)
        } else {
            String::new()
        };
        if v.lang != reply.lang() {
            text.push_str(&format!(
                "\n{} {}\n",
                label(&format!("title{head}:")),
                sanitize(&v.title, false)
            ));
        }
        text.push_str(&format!("\n{}\n", label(&format!("body{head}:"))));
        text.push_str(&indent(&sanitize(v.body.src.trim_end(), true)));
        if let Some(p) = &v.public {
            text.push_str(&format!("\n{}\n", label(&format!("public{head}:"))));
            text.push_str(&indent(&sanitize(p.src.trim_end(), true)));
        }
    }
    app.out.write(&text)?;
    Ok(())
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("  {l}\n")
            }
        })
        .collect()
}
