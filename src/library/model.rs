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
    /// Short customer messages this reply answers, in this language (for suggest).
    pub examples: Vec<String>,
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

/// What a declared variable's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum VarKind {
    #[default]
    Text,
    /// A yes/no switch, for optional sentences: `{% if discount %}…{% endif %}`.
    Bool,
}

/// A variable as a reply declares it (`[order-delay.vars.order]`), so prompts
/// and checks know what its value must look like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarSpec {
    pub name: String,
    /// What to ask: "Order number".
    pub prompt: Option<String>,
    /// A value that fits: "A-1042".
    pub example: Option<String>,
    /// A regular expression the whole value must match.
    pub pattern: Option<String>,
    /// The only values allowed, offered as a menu.
    pub choices: Vec<String>,
    pub default: Option<Value>,
    #[serde(rename = "type")]
    pub kind: VarKind,
    /// Never stored or offered again (customer details).
    pub private: bool,
    /// The variable's table in its file.
    #[serde(skip)]
    pub span: Range<usize>,
}

impl VarSpec {
    /// A declaration of `name` that says nothing yet.
    pub fn named(name: &str) -> VarSpec {
        VarSpec {
            name: name.to_string(),
            prompt: None,
            example: None,
            pattern: None,
            choices: Vec::new(),
            default: None,
            kind: VarKind::Text,
            private: false,
            span: 0..0,
        }
    }
}

/// A test that lives with a reply (`[order-delay.tests.basic]`): values to
/// render it with and what the message must be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyTest {
    pub name: String,
    pub vars: BTreeMap<String, Value>,
    pub lang: Option<String>,
    pub platform: Option<String>,
    pub public: bool,
    /// The exact message.
    pub expect: Option<String>,
    pub contains: Vec<String>,
    pub not_contains: Vec<String>,
    pub max_chars: Option<usize>,
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: String,
    pub tags: Vec<String>,
    /// Fallback values for the reply's variables, in file order.
    pub defaults: BTreeMap<String, Value>,
    /// Platforms the reply is written for; empty means all.
    pub platforms: Vec<String>,
    /// Variables declared with `[ID.vars.NAME]`, in file order.
    pub vars: Vec<VarSpec>,
    /// The reply's own tests, `[ID.tests.NAME]`, in file order.
    pub tests: Vec<ReplyTest>,
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

    /// The declaration of variable `name`, if the reply has one.
    pub fn var(&self, name: &str) -> Option<&VarSpec> {
        self.vars.iter().find(|v| v.name == name)
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
