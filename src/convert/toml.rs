//! The TOML an import writes: each item as a reply's tables, built with
//! toml_edit so every string is quoted as TOML needs (multi-line bodies as
//! `"""` blocks), in the order people read a reply: title, tags, body, then
//! its defaults, declared variables, tests and translations.

use toml_edit::{Array, DocumentMut, InlineTable, Item as TomlItem, Table, value};

use super::Item;
use crate::library::{ReplyTest, Value, VarKind, VarSpec};

fn strings(items: &[String]) -> Array {
    items.iter().map(String::as_str).collect()
}

/// A variable's value as TOML; `None` for JSON's `null`, which TOML lacks.
pub fn toml_value(v: &Value) -> Option<toml_edit::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into(),
            (None, Some(f)) => f.into(),
            _ => n.to_string().into(),
        },
        Value::String(s) => s.as_str().into(),
        Value::Array(a) => a.iter().filter_map(toml_value).collect::<Array>().into(),
        Value::Object(o) => {
            let mut t = InlineTable::new();
            for (k, x) in o {
                if let Some(x) = toml_value(x) {
                    t.insert(k, x);
                }
            }
            t.into()
        }
    })
}

fn sub_table() -> Table {
    let mut t = Table::new();
    t.set_implicit(true);
    t
}

fn var_table(v: &VarSpec) -> Table {
    let mut t = Table::new();
    if let Some(p) = &v.prompt {
        t["prompt"] = value(p.as_str());
    }
    if let Some(e) = &v.example {
        t["example"] = value(e.as_str());
    }
    if let Some(p) = &v.pattern {
        t["pattern"] = value(p.as_str());
    }
    if !v.choices.is_empty() {
        t["choices"] = value(strings(&v.choices));
    }
    if let Some(d) = v.default.as_ref().and_then(toml_value) {
        t["default"] = value(d);
    }
    if v.kind == VarKind::Bool {
        t["type"] = value("bool");
    }
    if v.private {
        t["private"] = value(true);
    }
    t
}

fn test_table(x: &ReplyTest) -> Table {
    let mut t = Table::new();
    let mut vars = InlineTable::new();
    for (k, v) in &x.vars {
        if let Some(v) = toml_value(v) {
            vars.insert(k, v);
        }
    }
    t["vars"] = value(vars);
    if let Some(l) = &x.lang {
        t["lang"] = value(l.as_str());
    }
    if let Some(p) = &x.platform {
        t["platform"] = value(p.as_str());
    }
    if x.public {
        t["public"] = value(true);
    }
    if let Some(e) = &x.expect {
        t["expect"] = value(e.as_str());
    }
    if !x.contains.is_empty() {
        t["contains"] = value(strings(&x.contains));
    }
    if !x.not_contains.is_empty() {
        t["not_contains"] = value(strings(&x.not_contains));
    }
    if let Some(m) = x.max_chars {
        t["max_chars"] = value(i64::try_from(m).unwrap_or(i64::MAX));
    }
    t
}

/// The item as a reply's tables, under its id.
pub fn reply_text(item: &Item) -> String {
    let mut r = Table::new();
    r["title"] = value(item.title.as_str());
    if let Some(l) = &item.lang {
        r["lang"] = value(l.as_str());
    }
    if !item.tags.is_empty() {
        r["tags"] = value(strings(&item.tags));
    }
    if !item.platforms.is_empty() {
        r["platforms"] = value(strings(&item.platforms));
    }
    if !item.examples.is_empty() {
        r["examples"] = value(strings(&item.examples));
    }
    r["body"] = value(item.body.as_str());
    if let Some(p) = &item.public {
        r["public"] = value(p.as_str());
    }
    let defaults: Vec<(&String, toml_edit::Value)> = item
        .defaults
        .iter()
        .filter_map(|(k, v)| toml_value(v).map(|v| (k, v)))
        .collect();
    if !defaults.is_empty() {
        let mut t = Table::new();
        for (k, v) in defaults {
            t[k.as_str()] = value(v);
        }
        r["defaults"] = TomlItem::Table(t);
    }
    if !item.vars.is_empty() {
        let mut vars = sub_table();
        for v in &item.vars {
            vars[v.name.as_str()] = TomlItem::Table(var_table(v));
        }
        r["vars"] = TomlItem::Table(vars);
    }
    if !item.tests.is_empty() {
        let mut tests = sub_table();
        for x in &item.tests {
            tests[x.name.as_str()] = TomlItem::Table(test_table(x));
        }
        r["tests"] = TomlItem::Table(tests);
    }
    if !item.translations.is_empty() {
        let mut all = sub_table();
        for tr in &item.translations {
            let mut t = Table::new();
            t["title"] = value(tr.title.as_str());
            if !tr.examples.is_empty() {
                t["examples"] = value(strings(&tr.examples));
            }
            t["body"] = value(tr.body.as_str());
            if let Some(p) = &tr.public {
                t["public"] = value(p.as_str());
            }
            all[tr.lang.as_str()] = TomlItem::Table(t);
        }
        r["translations"] = TomlItem::Table(all);
    }
    let mut doc = DocumentMut::new();
    doc[item.id.as_str()] = TomlItem::Table(r);
    doc.to_string()
}

/// Every item's tables, one blank line between replies, each after a
/// comment saying where it came from.
pub fn file_text(items: &[Item]) -> String {
    let mut out = String::new();
    for item in items {
        if !out.is_empty() {
            out.push('\n');
        }
        let from = &item.origin;
        let from: String = from.chars().filter(|c| !c.is_control()).collect();
        out.push_str(&format!("# Imported from {from}\n"));
        out.push_str(&reply_text(item));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::Translation;
    use crate::library::parse::parse_file;

    #[test]
    fn an_item_reads_back_as_it_was() {
        let mut item = Item {
            id: "late".into(),
            title: "Late \"order\" 'x' \\ ".into(),
            body: "Hi {{ customer }},\n\"\"\" tricky '''\nbye\n".into(),
            public: Some("Sorry".into()),
            tags: vec![":late".into(), "orders".into()],
            examples: vec!["where is it".into()],
            lang: Some("en".into()),
            ..Item::default()
        };
        item.defaults.insert("eta".into(), Value::from("soon"));
        item.defaults.insert("n".into(), Value::from(3));
        item.vars.push(VarSpec {
            name: "carrier".into(),
            prompt: Some("Carrier".into()),
            example: None,
            pattern: Some(r"^\w+$".into()),
            choices: vec!["DHL".into(), "UPS".into()],
            default: Some(Value::from("UPS")),
            kind: VarKind::Text,
            private: false,
            span: 0..0,
        });
        item.translations.push(Translation {
            lang: "es".into(),
            title: "Tarde".into(),
            body: "Hola".into(),
            public: None,
            examples: vec![],
        });
        item.origin = "x.csv:2".into();
        let text = file_text(&[item.clone()]);
        let p = parse_file("t.toml", &text, "en");
        assert!(p.diagnostics.is_empty(), "{text}\n{:?}", p.diagnostics);
        let r = &p.replies[0];
        assert_eq!(r.title(), item.title);
        assert_eq!(r.main().body.src, item.body);
        assert_eq!(r.tags, item.tags);
        assert_eq!(r.defaults, item.defaults);
        assert_eq!(r.vars[0].pattern, item.vars[0].pattern);
        assert_eq!(r.vars[0].choices, item.vars[0].choices);
        assert_eq!(r.variants[1].title, "Tarde");
        assert!(
            text.starts_with("# Imported from x.csv:2\n[late]\n"),
            "{text}"
        );
    }
}
