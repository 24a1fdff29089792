//! What an update changes, reply by reply: the ids added, changed and
//! removed between the replies of the files an update touches, with which
//! parts of a changed reply differ (its text, title, a translation, tags…)
//! and, on request, a word diff of each changed text. A reply that only
//! moved (to another file, or lines down) is no change.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::library::{Reply, Variant};

/// How long the word diff of one text may take: past it, the diff is
/// coarser but still correct (a hostile text cannot stall a sync).
const DIFF_TIME: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Changed,
    Removed,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Changed => "changed",
            Kind::Removed => "removed",
        }
    }
}

/// One reply an update adds, changes or removes.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: String,
    pub kind: Kind,
    /// Its title: the new one, or the last one for a removed reply.
    pub title: String,
    /// The file it is in, relative to the library (for a removed reply, the
    /// file it was in).
    pub file: String,
    /// What differs, for a changed reply: `text`, `title`, `public`,
    /// `examples` (with ` (LANG)` for a translation), `translation (LANG)`,
    /// `tags`, `platforms`, `defaults`, `variables`, `tests`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
    /// Word diffs of the changed texts (only when asked for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diffs: Vec<WordDiff>,
}

/// A word diff of one text: `part` as in [`Change::parts`].
#[derive(Debug, Clone, Serialize)]
pub struct WordDiff {
    pub part: String,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// `same`, `removed` or `added`.
    pub kind: &'static str,
    pub text: String,
}

/// A reply and the file (relative to its library) it is in.
pub type Located<'a> = (&'a Reply, &'a str);

/// The changes from `before` to `after` (the replies of the same files,
/// before and after), sorted by id. `diff`: include word diffs.
pub fn between(before: &[Located<'_>], after: &[Located<'_>], diff: bool) -> Vec<Change> {
    let (old, new) = (first(before), first(after));
    let mut out = Vec::new();
    for (id, (r, file)) in &new {
        match old.get(id) {
            None => out.push(Change {
                id: id.to_string(),
                kind: Kind::Added,
                title: r.title().to_string(),
                file: file.to_string(),
                parts: Vec::new(),
                diffs: Vec::new(),
            }),
            Some((o, _)) => {
                let parts = differences(o, r);
                if !parts.is_empty() {
                    out.push(Change {
                        id: id.to_string(),
                        kind: Kind::Changed,
                        title: r.title().to_string(),
                        file: file.to_string(),
                        diffs: if diff { text_diffs(o, r) } else { Vec::new() },
                        parts,
                    });
                }
            }
        }
    }
    for (id, (r, file)) in &old {
        if !new.contains_key(id) {
            out.push(Change {
                id: id.to_string(),
                kind: Kind::Removed,
                title: r.title().to_string(),
                file: file.to_string(),
                parts: Vec::new(),
                diffs: Vec::new(),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Each id's first reply (a second one in the same set is a duplicate `check` reports).
fn first<'a>(set: &[Located<'a>]) -> BTreeMap<&'a str, Located<'a>> {
    let mut map = BTreeMap::new();
    for &(r, f) in set {
        map.entry(r.id.as_str()).or_insert((r, f));
    }
    map
}

/// `name`, or `name (lang)` for a translation.
fn label(name: &str, v: &Variant, main: bool) -> String {
    if main {
        name.to_string()
    } else {
        format!("{name} ({})", v.lang)
    }
}

/// The parts of a reply that differ, ignoring where it stands in its file.
fn differences(a: &Reply, b: &Reply) -> Vec<String> {
    let mut parts = Vec::new();
    for (i, vb) in b.variants.iter().enumerate() {
        let main = i == 0;
        let va = if main {
            a.variants.first()
        } else {
            a.variant(&vb.lang)
        };
        let Some(va) = va.filter(|va| !main || va.lang == vb.lang) else {
            parts.push(if main {
                "language".to_string()
            } else {
                format!("translation ({})", vb.lang)
            });
            continue;
        };
        if va.title != vb.title {
            parts.push(label("title", vb, main));
        }
        if va.body.src != vb.body.src {
            parts.push(label("text", vb, main));
        }
        if va.public.as_ref().map(|t| &t.src) != vb.public.as_ref().map(|t| &t.src) {
            parts.push(label("public", vb, main));
        }
        if va.examples != vb.examples {
            parts.push(label("examples", vb, main));
        }
    }
    for va in a.variants.iter().skip(1) {
        if b.variant(&va.lang).is_none() {
            parts.push(format!("translation ({})", va.lang));
        }
    }
    if a.tags != b.tags {
        parts.push("tags".into());
    }
    if a.platforms != b.platforms {
        parts.push("platforms".into());
    }
    if a.defaults != b.defaults {
        parts.push("defaults".into());
    }
    if unplaced(&a.vars, |v| v.span = 0..0) != unplaced(&b.vars, |v| v.span = 0..0) {
        parts.push("variables".into());
    }
    if unplaced(&a.tests, |t| t.span = 0..0) != unplaced(&b.tests, |t| t.span = 0..0) {
        parts.push("tests".into());
    }
    parts
}

/// `items` without where they stand in their file, to compare what they say.
fn unplaced<T: Clone>(items: &[T], unplace: impl Fn(&mut T)) -> Vec<T> {
    items
        .iter()
        .map(|i| {
            let mut i = i.clone();
            unplace(&mut i);
            i
        })
        .collect()
}

/// Word diffs of the titles and texts that differ between two variants of
/// the same language.
fn text_diffs(a: &Reply, b: &Reply) -> Vec<WordDiff> {
    let mut out = Vec::new();
    for (i, vb) in b.variants.iter().enumerate() {
        let main = i == 0;
        let Some(va) = (if main {
            a.variants.first()
        } else {
            a.variant(&vb.lang)
        }) else {
            continue;
        };
        let pairs = [
            ("title", Some(va.title.as_str()), Some(vb.title.as_str())),
            (
                "text",
                Some(va.body.src.as_str()),
                Some(vb.body.src.as_str()),
            ),
            (
                "public",
                va.public.as_ref().map(|t| t.src.as_str()),
                vb.public.as_ref().map(|t| t.src.as_str()),
            ),
        ];
        for (name, old, new) in pairs {
            if old != new {
                out.push(WordDiff {
                    part: label(name, vb, main),
                    segments: words(old.unwrap_or(""), new.unwrap_or("")),
                });
            }
        }
    }
    out
}

/// A word diff of two texts, runs of one kind merged.
pub fn words(old: &str, new: &str) -> Vec<Segment> {
    let diff = similar::TextDiff::configure()
        .timeout(DIFF_TIME)
        .diff_words(old, new);
    let mut out: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            similar::ChangeTag::Equal => "same",
            similar::ChangeTag::Delete => "removed",
            similar::ChangeTag::Insert => "added",
        };
        match out.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => out.push(Segment {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::parse::parse_file;

    fn replies(text: &str) -> Vec<Reply> {
        parse_file("r.toml", text, "en").replies
    }

    fn loc(v: &[Reply]) -> Vec<Located<'_>> {
        v.iter().map(|r| (r, "r.toml")).collect()
    }

    #[test]
    fn added_changed_removed_and_moved_replies() {
        let before = replies(
            "[a]\ntitle = \"A\"\nbody = \"Hi there\"\n\n[b]\ntitle = \"B\"\nbody = \"Bye\"\n\n[c]\ntitle = \"C\"\nbody = \"Same\"\n",
        );
        // `c` moves down and gains blank lines: no change.
        let after = replies(
            "[a]\ntitle = \"A\"\nbody = \"Hi there, friend\"\n\n[d]\ntitle = \"D\"\nbody = \"New\"\n\n\n\n[c]\ntitle = \"C\"\nbody = \"Same\"\n",
        );
        let got = between(&loc(&before), &loc(&after), true);
        let summary: Vec<(&str, Kind)> = got.iter().map(|c| (c.id.as_str(), c.kind)).collect();
        assert_eq!(
            summary,
            [
                ("a", Kind::Changed),
                ("b", Kind::Removed),
                ("d", Kind::Added)
            ]
        );
        assert_eq!(got[0].parts, ["text"]);
        let segs: Vec<(&str, &str)> = got[0].diffs[0]
            .segments
            .iter()
            .map(|s| (s.kind, s.text.as_str()))
            .collect();
        assert_eq!(
            segs,
            [
                ("same", "Hi "),
                ("removed", "there"),
                ("added", "there, friend")
            ]
        );
    }

    #[test]
    fn translations_and_fields_are_named() {
        let before = replies(
            "[a]\ntitle = \"A\"\ntags = [\"x\"]\nbody = \"Hi\"\n[a.translations.es]\ntitle = \"A\"\nbody = \"Hola\"\n",
        );
        let after = replies(
            "[a]\ntitle = \"A\"\ntags = [\"y\"]\nbody = \"Hi\"\n[a.translations.es]\ntitle = \"A\"\nbody = \"Buenas\"\n[a.translations.fr]\ntitle = \"A\"\nbody = \"Salut\"\n",
        );
        let got = between(&[(&before[0], "r.toml")], &[(&after[0], "r.toml")], false);
        assert_eq!(got[0].parts, ["text (es)", "translation (fr)", "tags"]);
        assert!(got[0].diffs.is_empty());
    }
}
