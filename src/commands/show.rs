//! `reply show ID`: the reply as stored, where it comes from, its languages,
//! and the variables it uses with their defaults.

use super::{App, JSON_VERSION, Run};
use crate::cli::ShowArgs;
use crate::compose::template::reply_variables;
use crate::convert::Item;
use crate::deliver::Style;
use crate::diag::{Error, Result};
use crate::find;
use crate::library::{Catalog, Library, Value, VarKind, VarSpec};
use crate::util::escape::sanitize;

/// A declaration as one line: "Order number, e.g. A-1042, must match …, private".
pub fn describe(spec: &VarSpec) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &spec.prompt {
        parts.push(p.clone());
    }
    if spec.kind == VarKind::Bool {
        parts.push("yes/no".into());
    }
    if !spec.choices.is_empty() {
        parts.push(format!("one of {}", spec.choices.join(", ")));
    }
    if let Some(e) = &spec.example {
        parts.push(format!("e.g. {e}"));
    }
    if let Some(p) = &spec.pattern {
        parts.push(format!("must match {p}"));
    }
    if spec.private {
        parts.push("private".into());
    }
    parts.join(", ")
}

/// The catalog and the full reply for an exact id.
pub fn load(app: &mut App<'_>, id: &str) -> Result<(Catalog, Library)> {
    let cat = app.catalog(false)?;
    let entry = find::exact(&cat, id)?;
    let lib = find::open(&cat, entry)?;
    Ok((cat, lib))
}

impl Run for ShowArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        show(app, self)
    }
}

fn show(app: &mut App<'_>, args: &ShowArgs) -> Result<()> {
    let (cat, lib) = load(app, &args.id)?;
    let (Some(reply), Some(entry)) = (lib.get(&args.id), cat.get(&args.id)) else {
        return Err(Error::data(format!(
            "reply `{}` could not be read",
            args.id
        )));
    };
    let vars = reply_variables(reply);
    if args.json.json {
        let mut value = crate::convert::export::json::reply_value(&Item::of(reply));
        if let Some(o) = value.as_object_mut() {
            o.insert("version".into(), JSON_VERSION.into());
            let source = serde_json::to_value(app.source(&cat, entry))
                .map_err(|e| Error::data(format!("cannot encode JSON: {e}")))?;
            o.insert("source".into(), source);
        }
        return app.json(&value);
    }
    let loc = lib.location(reply);
    let o = &app.out;
    let label = |s: &str| o.paint(Style::Bold, s);
    let mut text = String::new();
    text.push_str(&format!(
        "{} {}\n",
        label("id:"),
        o.paint(Style::Id, &sanitize(&reply.id, false))
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
            sanitize(&reply.platforms.join(", "), false)
        ));
    }
    text.push_str(&format!(
        "{} {}:{} ({})\n",
        label("source:"),
        sanitize(&loc.file, false),
        loc.line,
        sanitize(&app.place(cat.layer(entry)), false)
    ));
    text.push_str(&format!("{}\n", label("variables:")));
    if vars.is_empty() {
        text.push_str("  (none)\n");
    }
    for name in &vars {
        let declared = reply.var(name);
        let default = reply
            .defaults
            .get(name)
            .or_else(|| declared.and_then(|d| d.default.as_ref()));
        let mut line = format!("  {}", sanitize(name, false));
        if let Some(v) = default {
            let shown = match v {
                Value::String(s) => format!("{s:?}"),
                other => other.to_string(),
            };
            line.push_str(&format!(" (default: {})", sanitize(&shown, false)));
        }
        if let Some(d) = declared.map(describe).filter(|d| !d.is_empty()) {
            line.push_str(&format!(" — {}", sanitize(&d, false)));
        }
        text.push_str(&line);
        text.push('\n');
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
