//! pet's snippet file (TOML, `[[snippets]]`): `description` is the title,
//! `command` the body, `tag` the tags; `<param>` becomes `{{ param }}`,
//! `<param=default>` gives it a default, and pet's list of choices
//! `<param=|_a_||_b_|>` declares them (the first is the default).

use std::collections::BTreeMap;

use crate::convert::placeholders::literal;
use crate::convert::source::SourceFile;
use crate::convert::{Converted, Item, Note, slug::slug, title_from};
use crate::library::{Value, VarSpec};

/// A `<param>` of a command: where it is, its name and what follows `=`.
struct Param {
    range: std::ops::Range<usize>,
    name: String,
    default: Option<String>,
}

fn params(command: &str) -> Vec<Param> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = command[at..].find('<').map(|i| at + i) {
        let Some(close) = command[open + 1..].find(['>', '<']).map(|i| open + 1 + i) else {
            break;
        };
        if command.as_bytes()[close] == b'<' {
            at = close;
            continue;
        }
        let inner = &command[open + 1..close];
        let (name, default) = match inner.split_once('=') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (inner, None),
        };
        let name = name.trim();
        if !name.is_empty() && !inner.starts_with(char::is_whitespace) && !name.contains(' ') {
            out.push(Param {
                range: open..close + 1,
                name: name.to_string(),
                default,
            });
        }
        at = close + 1;
    }
    out
}

/// pet's choices, `|_a_||_b_|`, when the default is written that way.
fn choices(default: &str) -> Option<Vec<String>> {
    let d = default.strip_prefix("|_")?.strip_suffix("_|")?;
    Some(d.split("_||_").map(str::to_string).collect())
}

pub fn convert(file: &SourceFile, out: &mut Converted) {
    let doc: toml::Value = match toml::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            out.skip(
                &file.name,
                format!("not pet's snippet TOML: {}", e.message()),
            );
            return;
        }
    };
    let Some(snippets) = doc.get("snippets").and_then(toml::Value::as_array) else {
        out.skip(&file.name, "no `[[snippets]]`: not a pet snippet file");
        return;
    };
    for (i, s) in snippets.iter().enumerate() {
        let origin = format!("{}, snippet {}", file.name, i + 1);
        let str_of = |k: &str| {
            s.get(k)
                .and_then(toml::Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let command = str_of("command");
        if command.trim().is_empty() {
            out.skip(origin, "the snippet has no command");
            continue;
        }
        let description = str_of("description");
        let mut notes = Vec::new();
        let mut body = String::new();
        let mut defaults = BTreeMap::new();
        let mut vars: Vec<VarSpec> = Vec::new();
        let mut at = 0;
        for p in params(&command) {
            body.push_str(&literal(&command[at..p.range.start]));
            let var = crate::convert::slug::var_name(&p.name);
            body.push_str(&format!("{{{{ {var} }}}}"));
            let from = &command[p.range.clone()];
            notes.push(Note::Converted {
                from: from.to_string(),
                to: format!("{{{{ {var} }}}}"),
            });
            match p.default.as_deref().map(|d| (d, choices(d))) {
                Some((_, Some(c))) if !vars.iter().any(|v| v.name == var) => {
                    vars.push(VarSpec {
                        default: c.first().cloned().map(Value::String),
                        choices: c,
                        ..VarSpec::named(&var)
                    });
                }
                Some((d, None)) if !d.is_empty() => {
                    defaults
                        .entry(var)
                        .or_insert_with(|| Value::String(d.to_string()));
                }
                _ => {}
            }
            at = p.range.end;
        }
        body.push_str(&literal(&command[at..]));
        if !str_of("output").trim().is_empty() {
            notes.push(Note::info("pet's `output` is not imported"));
        }
        let tags = s
            .get("tag")
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let title = if description.trim().is_empty() {
            title_from(&command)
        } else {
            description.trim().to_string()
        };
        out.items.push(Item {
            id: slug(&title),
            origin,
            title,
            body,
            tags,
            defaults,
            vars,
            notes,
            ..Item::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_defaults_and_choices() {
        let text = "[[snippets]]\n  description = \"Ping a host\"\n  command = \"ping -c <count=3> <host> {{x}} > out <env=|_prod_||_dev_|>\"\n  tag = [\"network\"]\n  output = \"\"\n\n[[snippets]]\n  command = \"\"\n";
        let mut out = Converted::default();
        convert(
            &SourceFile {
                name: "snippet.toml".into(),
                text: text.into(),
                encoding: None,
            },
            &mut out,
        );
        let i = &out.items[0];
        assert_eq!(i.id, "ping-a-host");
        assert_eq!(
            i.body,
            "ping -c {{ count }} {{ host }}{% raw %} {{x}} > out {% endraw %}{{ env }}"
        );
        assert_eq!(i.defaults["count"], Value::from("3"));
        assert_eq!(i.vars[0].choices, ["prod", "dev"]);
        assert_eq!(i.tags, ["network"]);
        assert_eq!(out.skipped.len(), 1);
    }
}
