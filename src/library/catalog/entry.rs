//! One reply as the catalog knows it: id, titles per language, tags,
//! platforms and where it lives, without the templates. Packed into one
//! string, because a large library has 100,000 of them and the cost of a run
//! is then mostly allocating and freeing.

use serde::{Deserialize, Serialize};

use crate::library::Reply;

/// Separates the groups of a packed entry: id, titles, tags, platforms.
const GROUP: char = '\u{1e}';
/// Separates the fields within a group.
const FIELD: char = '\u{1f}';

/// One reply, as the catalog knows it. Its texts are packed into one string
/// (one allocation instead of seven), because a large library has 100,000
/// of them and the cost of a run is then mostly allocating and freeing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// `id GROUP lang FIELD title FIELD lang FIELD title … GROUP tag FIELD tag
    /// GROUP platform FIELD platform`.
    packed: Box<str>,
    /// Index into `Catalog::files`.
    pub file: u32,
    pub line: u32,
    pub column: u32,
    pub has_public: bool,
    /// Position of the reply within its file (set when the catalog is assembled).
    #[serde(skip)]
    pub nth: u32,
}

/// The separators cannot appear in ids or language codes (validated); in a
/// title or tag they would be control characters, shown escaped anyway.
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([GROUP, FIELD]) {
        s.replace([GROUP, FIELD], " ").into()
    } else {
        s.into()
    }
}

fn fields(group: &str) -> impl Iterator<Item = &str> {
    group.split(FIELD).filter(|f| !f.is_empty())
}

impl Entry {
    fn group(&self, n: usize) -> &str {
        self.packed.split(GROUP).nth(n).unwrap_or("")
    }

    pub fn id(&self) -> &str {
        self.group(0)
    }

    /// `(language, title)` of every variant, the reply's own first.
    pub fn titles(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut it = self.group(1).split(FIELD);
        std::iter::from_fn(move || Some((it.next()?, it.next()?)))
    }

    pub fn title_at(&self, variant: usize) -> Option<(&str, &str)> {
        self.titles().nth(variant)
    }

    pub fn tags(&self) -> impl Iterator<Item = &str> {
        fields(self.group(2))
    }

    pub fn platforms(&self) -> impl Iterator<Item = &str> {
        fields(self.group(3))
    }

    pub fn lang(&self) -> &str {
        self.title_at(0).map_or("en", |t| t.0)
    }

    pub fn title(&self) -> &str {
        self.title_at(0).map_or("", |t| t.1)
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.titles().map(|t| t.0)
    }

    pub fn has_lang(&self, lang: &str) -> bool {
        self.languages().any(|l| l.eq_ignore_ascii_case(lang))
    }

    pub fn fits_platform(&self, platform: &str) -> bool {
        let mut p = self.platforms().peekable();
        p.peek().is_none() || p.any(|x| x.eq_ignore_ascii_case(platform))
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags().any(|t| t.eq_ignore_ascii_case(tag))
    }

    pub(super) fn from_reply(r: &Reply, file: u32, line: u32, column: u32) -> Entry {
        let mut packed = String::with_capacity(64);
        packed.push_str(&r.id);
        packed.push(GROUP);
        for (i, v) in r.variants.iter().enumerate() {
            if i > 0 {
                packed.push(FIELD);
            }
            packed.push_str(&v.lang);
            packed.push(FIELD);
            packed.push_str(&clean(&v.title));
        }
        for group in [&r.tags, &r.platforms] {
            packed.push(GROUP);
            for (i, t) in group.iter().enumerate() {
                if i > 0 {
                    packed.push(FIELD);
                }
                packed.push_str(&clean(t));
            }
        }
        Entry {
            packed: packed.into_boxed_str(),
            file,
            line,
            column,
            has_public: r.variants.iter().any(|v| v.public.is_some()),
            nth: 0,
        }
    }
}
