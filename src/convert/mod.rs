//! Moving replies between `reply` and the tools teams use today: importers
//! (espanso, CSV help-desk exports, Markdown with front matter, our own
//! JSON, pet) that turn a source's text into [`Item`]s with a report of what
//! was converted and what needs a person's eye, and exporters that turn a
//! library's replies back into those formats. Converters are pure: text in,
//! items (or text) and notes out. Reading the source (`source`), making ids
//! (`slug`), help-desk placeholders (`placeholders`) and the TOML an import
//! writes (`toml`) are shared by all of them. Writing into a library is the
//! command's, through `library::edit::install`.

pub mod export;
pub mod import;
pub mod placeholders;
pub mod slug;
pub mod source;
pub mod toml;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::library::{Reply, ReplyTest, Value, VarSpec};

/// The formats `import` reads and `export` writes (not every one both ways).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Espanso,
    Csv,
    Markdown,
    Json,
    Pet,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Espanso => "espanso",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Pet => "pet",
        }
    }
}

/// One language's text of an imported reply, beyond its own.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Translation {
    pub lang: String,
    pub title: String,
    pub body: String,
    pub public: Option<String>,
    pub examples: Vec<String>,
}

/// What the report says about one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Note {
    /// A placeholder of the source written as `reply` writes it.
    Converted { from: String, to: String },
    /// Something a person should look at: kept, but maybe not as meant.
    Attention { text: String },
    /// Worth knowing, nothing to do (a key of the source left out).
    Info { text: String },
}

impl Note {
    pub fn attention(text: impl Into<String>) -> Note {
        Note::Attention { text: text.into() }
    }

    pub fn info(text: impl Into<String>) -> Note {
        Note::Info { text: text.into() }
    }

    pub fn needs_attention(&self) -> bool {
        matches!(self, Note::Attention { .. })
    }
}

/// A reply as an importer made it, or as an exporter reads it: plain data,
/// no file positions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Item {
    /// The id asked for (already slugged); the import may add a suffix.
    pub id: String,
    /// Where it came from, as people read it: `base.yml, match 3`, `macros.csv:12`.
    pub origin: String,
    /// `None`: the language of the file or library it lands in.
    pub lang: Option<String>,
    pub title: String,
    pub body: String,
    pub public: Option<String>,
    pub tags: Vec<String>,
    pub examples: Vec<String>,
    pub platforms: Vec<String>,
    pub defaults: BTreeMap<String, Value>,
    pub vars: Vec<VarSpec>,
    pub tests: Vec<ReplyTest>,
    pub translations: Vec<Translation>,
    pub notes: Vec<Note>,
}

impl Item {
    /// The item of a library reply, for the exporters.
    pub fn of(reply: &Reply) -> Item {
        let main = reply.main();
        Item {
            id: reply.id.clone(),
            origin: reply.id.clone(),
            lang: Some(main.lang.clone()),
            title: main.title.clone(),
            body: main.body.src.clone(),
            public: main.public.as_ref().map(|p| p.src.clone()),
            tags: reply.tags.clone(),
            examples: main.examples.clone(),
            platforms: reply.platforms.clone(),
            defaults: reply.defaults.clone(),
            vars: reply.vars.clone(),
            tests: reply.tests.clone(),
            translations: reply.variants[1..]
                .iter()
                .map(|v| Translation {
                    lang: v.lang.clone(),
                    title: v.title.clone(),
                    body: v.body.src.clone(),
                    public: v.public.as_ref().map(|p| p.src.clone()),
                    examples: v.examples.clone(),
                })
                .collect(),
            notes: Vec::new(),
        }
    }

    /// Every text of the item: bodies and public texts of each language.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.body.as_str())
            .chain(self.public.as_deref())
            .chain(
                self.translations
                    .iter()
                    .flat_map(|t| std::iter::once(t.body.as_str()).chain(t.public.as_deref())),
            )
    }
}

/// Something of the source that did not become a reply, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub origin: String,
    pub reason: String,
}

/// What an importer made of a source.
#[derive(Debug, Default)]
pub struct Converted {
    pub items: Vec<Item>,
    pub skipped: Vec<Skipped>,
}

impl Converted {
    pub fn skip(&mut self, origin: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            origin: origin.into(),
            reason: reason.into(),
        });
    }
}

/// The first few words of a text, for a title when the source has none.
pub fn title_from(text: &str) -> String {
    const WORDS: usize = 8;
    const CHARS: usize = 60;
    let text = without_tags(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut title = String::new();
    for w in words.iter().take(WORDS) {
        if title.chars().count() + w.chars().count() + 1 > CHARS && !title.is_empty() {
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(w);
    }
    let title: String = title.chars().take(CHARS).collect();
    if words.len() > title.split_whitespace().count() {
        format!("{}…", title.trim_end_matches([',', ';', ':', '.']))
    } else {
        title
    }
}

/// A text with its placeholders as `…` and its other tags left out, for a
/// title: "Thanks, {{name}}!" reads "Thanks, …!".
fn without_tags(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let at = ["{{", "{%", "{#", "[["]
            .iter()
            .filter_map(|o| rest.find(o).map(|i| (i, *o)))
            .min();
        let Some((i, open)) = at else { break };
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            "{#" => "#}",
            _ => "]]",
        };
        out.push_str(&rest[..i]);
        match rest[i + 2..].find(close) {
            Some(j) => {
                if open == "{{" || open == "[[" {
                    out.push('…');
                }
                rest = &rest[i + 2 + j + 2..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_the_first_words() {
        assert_eq!(title_from("Thanks for waiting"), "Thanks for waiting");
        assert_eq!(
            title_from("Hi there, thanks for your message: we are looking into it today"),
            "Hi there, thanks for your message: we are…"
        );
        assert_eq!(title_from("  \n "), "");
        assert_eq!(
            title_from("Thanks, {{name}}!{% if x %} {# c #}"),
            "Thanks, …!"
        );
        let long = "x".repeat(100);
        assert_eq!(title_from(&long).chars().count(), 60);
    }
}
