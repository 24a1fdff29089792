//! `reply export json` read back: `{"version": 1, "replies": [...]}`, a bare
//! list of replies, or one `reply show --json` document. Every field of the
//! shape is taken as it is (texts are already templates), so a library
//! moves between machines losslessly; a field of the wrong type is said.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{scalar, string_list};
use crate::convert::source::SourceFile;
use crate::convert::{Converted, Item, Note, Translation, slug::slug};
use crate::library::parse::valid_lang;
use crate::library::{ReplyTest, VarKind, VarSpec, valid_var_name};

pub fn convert(file: &SourceFile, out: &mut Converted) {
    let doc: Value = match serde_json::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            out.skip(
                &file.name,
                format!("not JSON: {e} (line {}, column {})", e.line(), e.column()),
            );
            return;
        }
    };
    let list = match &doc {
        Value::Array(a) => a.clone(),
        Value::Object(o) if o.get("replies").is_some_and(Value::is_array) => {
            o["replies"].as_array().cloned().unwrap_or_default()
        }
        Value::Object(o) if o.contains_key("id") => vec![doc.clone()],
        _ => {
            out.skip(
                &file.name,
                "not the shape `reply export json` writes: a list of replies, or {\"replies\": [...]}",
            );
            return;
        }
    };
    for (i, r) in list.iter().enumerate() {
        let origin = format!("{}, reply {}", file.name, i + 1);
        match r.as_object().map(one) {
            Some(Ok(mut item)) => {
                item.origin = origin;
                out.items.push(item);
            }
            Some(Err(why)) => out.skip(origin, why),
            None => out.skip(origin, "a reply must be an object"),
        }
    }
}

fn text_of(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

fn one(r: &Map<String, Value>) -> Result<Item, String> {
    let raw_id = r.get("id").and_then(scalar).unwrap_or_default();
    let id = slug(&raw_id);
    if id.is_empty() {
        return Err("it has no `id`".into());
    }
    let mut notes = Vec::new();
    if id != raw_id {
        notes.push(Note::attention(format!(
            "the id `{}` is not one reply can hold: `{id}` instead",
            crate::util::escape::sanitize(&raw_id, false)
        )));
    }
    let variants = r
        .get("variants")
        .and_then(Value::as_array)
        .ok_or("it has no `variants` (the title and body of each language)")?;
    let mut texts = Vec::new();
    for v in variants {
        let lang = text_of(v.get("lang"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let (Some(title), Some(body)) = (text_of(v.get("title")), text_of(v.get("body"))) else {
            return Err(format!(
                "a variant ({}) has no `title` or `body`",
                if lang.is_empty() {
                    "no language"
                } else {
                    &lang
                }
            ));
        };
        texts.push(Translation {
            lang,
            title,
            body,
            public: text_of(v.get("public")),
            examples: v.get("examples").map(string_list).unwrap_or_default(),
        });
    }
    if texts.is_empty() {
        return Err("`variants` is empty".into());
    }
    let main = texts.remove(0);
    let lang = text_of(r.get("lang"))
        .filter(|l| !l.is_empty())
        .unwrap_or(main.lang.clone());
    let lang = valid_lang(&lang).then(|| lang.to_ascii_lowercase());
    let defaults: BTreeMap<String, Value> = match r.get("defaults") {
        Some(Value::Object(d)) => d.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => BTreeMap::new(),
    };
    let vars = r
        .get("variables")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let name = text_of(v.get("name"))?;
            v.get("declared")
                .and_then(Value::as_object)
                .map(|d| declared(&name, d))
        })
        .collect();
    let tests = r
        .get("tests")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_object().and_then(test))
        .collect();
    Ok(Item {
        id,
        origin: String::new(),
        lang,
        title: main.title,
        body: main.body,
        public: main.public,
        tags: r.get("tags").map(string_list).unwrap_or_default(),
        examples: main.examples,
        platforms: r.get("platforms").map(string_list).unwrap_or_default(),
        defaults,
        vars,
        tests,
        translations: texts,
        notes,
    })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.map(string_list).unwrap_or_default()
}

fn declared(name: &str, d: &Map<String, Value>) -> VarSpec {
    VarSpec {
        name: name.to_string(),
        prompt: text_of(d.get("prompt")),
        example: text_of(d.get("example")),
        pattern: text_of(d.get("pattern")),
        choices: strings(d.get("choices")),
        default: d.get("default").filter(|v| !v.is_null()).cloned(),
        kind: match d.get("type").and_then(Value::as_str) {
            Some("bool") => VarKind::Bool,
            _ => VarKind::Text,
        },
        private: d.get("private").and_then(Value::as_bool).unwrap_or(false),
        span: 0..0,
    }
}

fn test(t: &Map<String, Value>) -> Option<ReplyTest> {
    let name = text_of(t.get("name"))?;
    let vars = match t.get("vars") {
        Some(Value::Object(v)) => v
            .iter()
            .filter(|(k, _)| valid_var_name(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => BTreeMap::new(),
    };
    Some(ReplyTest {
        name,
        vars,
        lang: text_of(t.get("lang")),
        platform: text_of(t.get("platform")),
        public: t.get("public").and_then(Value::as_bool).unwrap_or(false),
        expect: text_of(t.get("expect")),
        contains: strings(t.get("contains")),
        not_contains: strings(t.get("not_contains")),
        max_chars: t
            .get("max_chars")
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok()),
        span: 0..0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Converted {
        let mut out = Converted::default();
        convert(
            &SourceFile {
                name: "r.json".into(),
                text: text.into(),
                encoding: None,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn the_export_shape_the_list_and_one_show_document() {
        let one = r#"{"id":"late","lang":"en","tags":["a"],"platforms":[],"variants":[{"lang":"en","title":"Late","body":"Hi {{ x }}","public":null,"examples":["where"]},{"lang":"es","title":"Tarde","body":"Hola","public":"P"}],"variables":[{"name":"x","default":"1","declared":{"name":"x","prompt":"X","example":null,"pattern":null,"choices":["1","2"],"default":null,"type":"text","private":true}}],"defaults":{"x":"1"},"tests":[{"name":"t","vars":{"x":"2"},"contains":["Hi 2"]}]}"#;
        for doc in [
            one.to_string(),
            format!("[{one}]"),
            format!("{{\"version\":1,\"replies\":[{one}]}}"),
        ] {
            let out = run(&doc);
            assert!(out.skipped.is_empty(), "{:?}", out.skipped);
            let i = &out.items[0];
            assert_eq!(i.id, "late");
            assert_eq!(i.examples, ["where"]);
            assert_eq!(i.translations[0].public.as_deref(), Some("P"));
            assert_eq!(i.vars[0].choices, ["1", "2"]);
            assert!(i.vars[0].private);
            assert_eq!(i.tests[0].contains, ["Hi 2"]);
            assert_eq!(i.defaults["x"], Value::from("1"));
        }
    }

    #[test]
    fn bad_documents_are_said() {
        assert!(run("{").skipped[0].reason.starts_with("not JSON"));
        assert!(run("42").skipped[0].reason.contains("not the shape"));
        let out = run(
            r#"[{"id":"a"},{"variants":[]},3,{"id":"Über Uns","variants":[{"title":"t","body":"b"}]}]"#,
        );
        assert_eq!(out.skipped.len(), 3, "{:?}", out.skipped);
        assert_eq!(out.items[0].id, "uber-uns");
        assert!(out.items[0].notes[0].needs_attention());
    }
}
