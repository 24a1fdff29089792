//! `reply export markdown`: a folder, one `ID.md` per reply, its fields in
//! YAML front matter (translations' texts as block scalars) and its body
//! after it, as written. `template: tera` tells `import markdown` that the
//! body is a template already.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Exported, Plain, lost, yaml};
use crate::convert::Item;

#[derive(Serialize)]
struct TranslationOut<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    examples: &'a [String],
    body: &'a str,
}

#[derive(Serialize)]
struct Front<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    platforms: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    examples: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    defaults: BTreeMap<&'a str, Plain>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    translations: BTreeMap<&'a str, TranslationOut<'a>>,
    template: &'static str,
}

/// One reply's file text.
pub fn file(item: &Item) -> Result<String, String> {
    let front = Front {
        id: &item.id,
        title: &item.title,
        lang: item.lang.as_deref(),
        tags: &item.tags,
        platforms: &item.platforms,
        examples: &item.examples,
        public: item.public.as_deref(),
        defaults: item
            .defaults
            .iter()
            .filter_map(|(k, v)| Plain::of(v).map(|v| (k.as_str(), v)))
            .collect(),
        translations: item
            .translations
            .iter()
            .map(|t| {
                (
                    t.lang.as_str(),
                    TranslationOut {
                        title: &t.title,
                        public: t.public.as_deref(),
                        examples: &t.examples,
                        body: &t.body,
                    },
                )
            })
            .collect(),
        template: "tera",
    };
    let head = yaml(&front)?;
    let mut text = format!("---\n{head}");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("---\n");
    // As it is, even without a last line break: the body reads back the same.
    text.push_str(&item.body);
    Ok(text)
}

pub fn export(items: &[Item]) -> Exported {
    let mut out = Exported::default();
    for i in items {
        match file(i) {
            Ok(t) => out.files.push((format!("{}.md", i.id), t)),
            Err(e) => out
                .warnings
                .push(format!("`{}` could not be written as YAML: {e}", i.id)),
        }
    }
    let with = |f: fn(&Item) -> bool| super::ids_where(items, f);
    out.warnings.extend(
        [
            lost(
                "declared variables",
                &with(|i| !i.vars.is_empty()),
                "Markdown",
            ),
            lost(
                "the replies' own tests",
                &with(|i| !i.tests.is_empty()),
                "Markdown",
            ),
        ]
        .into_iter()
        .flatten(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::source::SourceFile;
    use crate::convert::{Converted, Translation, import};
    use crate::library::Value;

    #[test]
    fn a_file_reads_back_as_the_same_item() {
        let mut item = Item {
            id: "late".into(),
            title: "Late: \"again\" # not a comment".into(),
            lang: Some("en".into()),
            body: "Hi {{ customer | default(value=\"there\") }}\n---\n  indented\ntrailing  \n"
                .into(),
            public: Some("'quoted' and: colons".into()),
            tags: vec![":late".into(), "yes".into(), "123".into()],
            examples: vec!["where is it?".into()],
            ..Item::default()
        };
        item.defaults.insert("n".into(), Value::from(3));
        item.defaults.insert("on".into(), Value::from(true));
        item.defaults.insert("eta".into(), Value::from("null"));
        item.translations.push(Translation {
            lang: "es".into(),
            title: "Tarde".into(),
            body: "  Hola\n\n\nfin  ".into(),
            public: None,
            examples: vec![],
        });
        let text = file(&item).unwrap();
        let mut out = Converted::default();
        import::markdown::convert(
            &SourceFile {
                name: "late.md".into(),
                text: text.clone(),
                encoding: None,
            },
            &mut out,
        );
        let back = &out.items[0];
        assert_eq!(back.title, item.title, "{text}");
        assert_eq!(back.body, item.body, "{text}");
        assert_eq!(back.public, item.public, "{text}");
        assert_eq!(back.tags, item.tags, "{text}");
        assert_eq!(back.defaults, item.defaults, "{text}");
        assert_eq!(back.translations, item.translations, "{text}");
        assert_eq!(back.examples, item.examples);
        assert!(back.notes.is_empty(), "{:?}", back.notes);
    }
}
