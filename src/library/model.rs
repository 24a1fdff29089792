//! The reply as `reply` knows it once a file is read: one variant per language.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A variable's value: text, a number, a boolean, or nested lists and tables.
pub type Value = serde_json::Value;

/// A variable name a template can use: letters, digits and `_`, not starting
/// with a digit.
pub fn valid_var_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// A template text and where it stands in its file (the string token, quotes
/// included), so that a template error can point inside the TOML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub src: String,
    pub span: Range<usize>,
}

/// One language's version of a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub lang: String,
    pub title: String,
    pub title_span: Range<usize>,
    pub body: Text,
    pub public: Option<Text>,
    /// Where the variant's table starts (the reply itself, or its translation table).
    pub span: Range<usize>,
}

/// Which text of a variant: the private message or its public acknowledgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Body,
    Public,
}

impl Variant {
    pub fn text(&self, part: Part) -> Option<&Text> {
        match part {
            Part::Body => Some(&self.body),
            Part::Public => self.public.as_ref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: String,
    pub tags: Vec<String>,
    /// Fallback values for the reply's variables, in file order.
    pub defaults: BTreeMap<String, Value>,
    /// Platforms the reply is written for; empty means all.
    pub platforms: Vec<String>,
    /// The reply's own language first, then its translations in file order.
    pub variants: Vec<Variant>,
    /// Index into `Library::files`.
    pub file: usize,
    /// The reply's table header or key in its file.
    pub span: Range<usize>,
}

impl Reply {
    /// The reply's own variant (its language, its title).
    pub fn main(&self) -> &Variant {
        &self.variants[0]
    }

    pub fn lang(&self) -> &str {
        &self.main().lang
    }

    pub fn title(&self) -> &str {
        &self.main().title
    }

    pub fn variant(&self, lang: &str) -> Option<&Variant> {
        self.variants
            .iter()
            .find(|v| v.lang.eq_ignore_ascii_case(lang))
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.variants.iter().map(|v| v.lang.as_str())
    }

    /// Whether the reply is meant for a platform (a reply naming none fits all).
    pub fn fits_platform(&self, platform: &str) -> bool {
        self.platforms.is_empty()
            || self
                .platforms
                .iter()
                .any(|p| p.eq_ignore_ascii_case(platform))
    }
}
