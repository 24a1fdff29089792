//! Fuzzy search over the catalog: every word of the query must match somewhere
//! (id, title, tags or body, in any language variant), in any order, as in fzf.
//! Matching is accent- and case-insensitive; a hit in the id or a title ranks
//! above a hit only in the tags, which ranks above a hit only in the body.

use std::ops::Range;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::library::catalog::{Bodies, Entry, VARIANT_BREAK};
use crate::util::fold::{fold, fold_str};

/// Where a word matched best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Id,
    Title,
    Tags,
    Body,
}

impl Field {
    /// Tier bonuses larger than any skim score for a single word, so that an
    /// id or title hit always outranks a body-only hit for the same word.
    fn bonus(self) -> i64 {
        match self {
            Field::Id | Field::Title => 20_000,
            Field::Tags => 10_000,
            Field::Body => 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    /// The entry's position in the slice searched.
    pub index: usize,
    pub score: i64,
    /// The variant whose title is shown (the one that matched, else the reply's own).
    pub variant: usize,
    /// Matched characters (character indices, merged into ranges) in the id.
    pub id_ranges: Vec<Range<usize>>,
    /// Matched characters in the shown title.
    pub title_ranges: Vec<Range<usize>>,
    /// Where each word of the query matched best, in query order.
    pub fields: Vec<Field>,
    /// How many words matched with their letters together (`refund` in
    /// "Refund issued", not in "Reopen a fund").
    pub whole: usize,
}

impl Hit<'_> {
    pub fn title(&self) -> &str {
        self.entry.title_at(self.variant).map_or("", |t| t.1)
    }

    pub fn lang(&self) -> &str {
        self.entry.title_at(self.variant).map_or("", |t| t.0)
    }

    /// How well it matched, for use's nudge (`used`): how many words matched
    /// in an id or title, how many in tags, how many whole; and the score
    /// without the bonuses of those fields.
    pub fn quality(&self) -> ((usize, usize, usize), i64) {
        let named = self.fields.iter().filter(|f| **f <= Field::Title).count();
        let tags = self.fields.iter().filter(|f| **f == Field::Tags).count();
        let bonus: i64 = self.fields.iter().map(|f| f.bonus()).sum();
        ((named, tags, self.whole), self.score - bonus)
    }
}

pub struct Searcher {
    matcher: SkimMatcherV2,
    words: Vec<String>,
}

/// How far apart the matched characters of a word may lie. Skim alone accepts
/// letters scattered over a whole paragraph ("refund" in any long text); a
/// typo or a dropped letter stays within this.
fn span_limit(word: &str) -> usize {
    2 * word.chars().count() + 2
}

/// Whether `word` occurs as a subsequence of `text[start..]` within `max` bytes:
/// a cheap test that rules out most texts before skim's dynamic programming.
fn window_end(text: &[u8], start: usize, word: &[u8], max: usize) -> Option<usize> {
    let end = (start + max).min(text.len());
    let mut wi = 0;
    for (i, &b) in text[start..end].iter().enumerate() {
        if b == word[wi] {
            wi += 1;
            if wi == word.len() {
                return Some(start + i + 1);
            }
        }
    }
    None
}

/// Candidate windows a body is scored in, at most: enough for any real text.
const MAX_WINDOWS: usize = 8;

impl Searcher {
    /// `None` for a query with no words.
    pub fn new(query: &str) -> Option<Searcher> {
        let words: Vec<String> = query.split_whitespace().map(fold_str).collect();
        if words.is_empty() {
            return None;
        }
        Some(Searcher {
            matcher: SkimMatcherV2::default().ignore_case(),
            words,
        })
    }

    /// A skim match whose characters lie within `limit` of each other.
    fn compact(&self, text: &str, word: &str, limit: usize) -> Option<(i64, Vec<usize>)> {
        let (score, idx) = self.matcher.fuzzy_indices(text, word)?;
        let span = idx.last()? - idx.first()? + 1;
        (span <= limit).then_some((score, idx))
    }

    /// Whether a match's characters are all together: the word spelt out.
    fn together(idx: &[usize]) -> bool {
        match (idx.first(), idx.last()) {
            (Some(a), Some(b)) => b - a + 1 == idx.len(),
            _ => false,
        }
    }

    /// The best compact match of `word` in a (long, folded) body, scoring only
    /// short windows around places where the word could start; with the byte
    /// where that match starts and whether it is the word spelt out.
    fn body_score(&self, body: &str, word: &str, limit: usize) -> Option<(i64, usize, bool)> {
        let first = word.chars().next()?;
        let bytes = body.as_bytes();
        // A span of `limit` characters is at most 4 bytes each.
        let max = limit * 4;
        let mut best: Option<(i64, usize, bool)> = None;
        let mut windows = 0;
        let mut pos = 0;
        while let Some(off) = body.get(pos..).and_then(|rest| rest.find(first)) {
            let start = pos + off;
            pos = start + first.len_utf8();
            let Some(end) = window_end(bytes, start, word.as_bytes(), max) else {
                continue;
            };
            // One character of context before: skim rewards word starts.
            let mut ws = start.saturating_sub(1);
            while !body.is_char_boundary(ws) {
                ws -= 1;
            }
            if let Some((s, idx)) = self.compact(&body[ws..end], word, limit)
                && best.is_none_or(|b| s > b.0)
            {
                best = Some((s, start, Self::together(&idx)));
            }
            windows += 1;
            if windows >= MAX_WINDOWS {
                break;
            }
        }
        best
    }

    /// Scores one reply; `None` when some word matches nowhere.
    pub fn hit<'a>(&self, entry: &'a Entry, body: &str) -> Option<Hit<'a>> {
        let id = fold(entry.id());
        let titles: Vec<_> = entry.titles().map(|(_, t)| fold(t)).collect();
        let mut tags: Option<String> = None;

        let mut total = 0;
        let mut whole = 0;
        let mut fields = Vec::with_capacity(self.words.len());
        let mut id_idx = Vec::new();
        // Title highlights and scores per variant.
        let mut title_idx: Vec<Vec<usize>> = vec![Vec::new(); titles.len()];
        let mut title_score = vec![0i64; titles.len()];
        // The variant whose body matched, for replies found by their text only.
        let mut body_variant: Option<usize> = None;
        for word in &self.words {
            let limit = span_limit(word);
            let id_hit = self.compact(&id.text, word, limit);
            let mut best_title: Option<i64> = None;
            let mut named_whole = id_hit.as_ref().is_some_and(|h| Self::together(&h.1));
            for (v, t) in titles.iter().enumerate() {
                if let Some((s, idx)) = self.compact(&t.text, word, limit) {
                    title_score[v] += s;
                    named_whole |= Self::together(&idx);
                    title_idx[v].extend(idx.iter().map(|&i| t.origin[i]));
                    best_title = Some(best_title.map_or(s, |b| b.max(s)));
                }
            }
            let id_score = id_hit.as_ref().map(|x| x.0);
            // The id usually sums up the title: a word in both counts for both.
            let best = if id_score.is_some() || best_title.is_some() {
                let (i, t) = (id_score.unwrap_or(0), best_title.unwrap_or(0));
                let field = if id_score.is_some() && i >= t {
                    Field::Id
                } else {
                    Field::Title
                };
                Some((i + t + field.bonus(), field, named_whole))
            } else {
                let tags = tags
                    .get_or_insert_with(|| fold_str(&entry.tags().collect::<Vec<_>>().join(" ")));
                match self.compact(tags, word, limit) {
                    Some((s, idx)) => {
                        Some((s + Field::Tags.bonus(), Field::Tags, Self::together(&idx)))
                    }
                    None => self.body_score(body, word, limit).map(|(s, at, w)| {
                        body_variant
                            .get_or_insert_with(|| body[..at].matches(VARIANT_BREAK).count());
                        (s, Field::Body, w)
                    }),
                }
            };
            if let Some((_, idx)) = id_hit {
                id_idx.extend(idx.into_iter().map(|i| id.origin[i]));
            }
            let (s, f, w) = best?;
            total += s;
            whole += usize::from(w);
            fields.push(f);
        }
        // The title that matched best; else the language whose text matched,
        // so `devolucion` shows the Spanish title it was found by.
        let variant = match (0..titles.len())
            .max_by_key(|&v| (title_score[v], std::cmp::Reverse(v)))
            .filter(|&v| title_score[v] > 0)
        {
            Some(v) => v,
            None => body_variant.filter(|&v| v < titles.len()).unwrap_or(0),
        };
        Some(Hit {
            entry,
            index: 0,
            score: total,
            variant,
            id_ranges: ranges(id_idx),
            title_ranges: ranges(std::mem::take(&mut title_idx[variant])),
            fields,
            whole,
        })
    }
}

/// Sorted, merged ranges from a list of character indices.
fn ranges(mut idx: Vec<usize>) -> Vec<Range<usize>> {
    idx.sort_unstable();
    idx.dedup();
    let mut out: Vec<Range<usize>> = Vec::new();
    for i in idx {
        match out.last_mut() {
            Some(r) if r.end == i => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Every entry that matches, best first; ties keep library order.
/// `bodies.get(i)` is the folded body text of `entries[i]`.
pub fn search<'a>(
    entries: &'a [Entry],
    bodies: &Bodies,
    query: &str,
    keep: impl Fn(&Entry) -> bool + Sync,
) -> Vec<Hit<'a>> {
    let Some(searcher) = Searcher::new(query) else {
        return Vec::new();
    };
    let scored = crate::util::parallel::map_slice(entries, |i, e| {
        if !keep(e) {
            return None;
        }
        searcher
            .hit(e, bodies.get(i))
            .map(|h| Hit { index: i, ..h })
    });
    let mut hits: Vec<Hit> = scored.into_iter().flatten().collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.score));
    hits
}

/// `search`, scoring only the entries at `candidates`: a query that extends
/// the last one (one more letter, one more word) can only match fewer
/// replies, so the picker searches the last matches instead of everything.
pub fn search_among<'a>(
    entries: &'a [Entry],
    bodies: &Bodies,
    query: &str,
    candidates: &[usize],
) -> Vec<Hit<'a>> {
    let Some(searcher) = Searcher::new(query) else {
        return Vec::new();
    };
    let scored = crate::util::parallel::map_slice(candidates, |_, &i| {
        let e = entries.get(i)?;
        searcher
            .hit(e, bodies.get(i))
            .map(|h| Hit { index: i, ..h })
    });
    let mut hits: Vec<Hit> = scored.into_iter().flatten().collect();
    hits.sort_by_key(|h| (std::cmp::Reverse(h.score), h.index));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Catalog, Layer};

    fn catalog(text: &str) -> Catalog {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.toml"), text).unwrap();
        let c = Catalog::load(vec![Layer::named(dir.path())], "en", None).unwrap();
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        c
    }

    fn ids(c: &Catalog, q: &str) -> Vec<String> {
        search(&c.entries, c.bodies(), q, |_| true)
            .iter()
            .map(|h| h.entry.id().to_string())
            .collect()
    }

    const LIB: &str = r#"
[refund]
title = "Refund issued"
tags = ["billing"]
body = "Your money is on its way."
[delay]
title = "Order delayed"
tags = ["shipping"]
body = "Sorry, the refund desk says your order is late."
[devolucion]
title = "Return a product"
body = "Hi"
[devolucion.translations.es]
title = "Devolución de un producto"
body = "Hola, el envío está en camino."
[scattered]
title = "Nothing"
body = "rain every fall until november ends, dear"
"#;

    #[test]
    fn title_hit_ranks_above_body_hit() {
        let c = catalog(LIB);
        assert_eq!(ids(&c, "refund"), ["refund", "delay"]);
    }

    #[test]
    fn every_word_must_match_in_any_order() {
        let c = catalog(LIB);
        assert_eq!(ids(&c, "delayed order"), ["delay"]);
        assert!(ids(&c, "refund zebra").is_empty());
    }

    #[test]
    fn accents_and_case_fold_and_highlights_stay_on_originals() {
        let c = catalog(LIB);
        assert_eq!(ids(&c, "DEVOLUCION"), ["devolucion"]);
        assert_eq!(ids(&c, "envio"), ["devolucion"]);
        let hits = search(&c.entries, c.bodies(), "devolución producto", |_| true);
        let h = &hits[0];
        assert_eq!(h.variant, 1);
        let title: Vec<char> = h.title().chars().collect();
        let shown: String = h
            .title_ranges
            .iter()
            .flat_map(|r| title[r.clone()].iter())
            .collect();
        assert!(shown.contains("Devolución"), "{shown}");
    }

    #[test]
    fn a_match_in_a_translation_shows_that_translation() {
        let c = catalog(LIB);
        let hits = search(&c.entries, c.bodies(), "camino", |_| true);
        assert_eq!(hits[0].entry.id(), "devolucion");
        assert_eq!((hits[0].lang(), hits[0].fields[0]), ("es", Field::Body));
        assert_eq!(hits[0].title(), "Devolución de un producto");
    }

    #[test]
    fn ranges_merge_adjacent_indices() {
        assert_eq!(ranges(vec![3, 1, 2, 7]), vec![1..4, 7..8]);
    }

    #[test]
    fn window_prefilter_finds_compact_subsequences_only() {
        assert_eq!(window_end(b"xxrefundxx", 2, b"refund", 16), Some(8));
        assert_eq!(window_end(b"r.........e", 0, b"re", 4), None);
    }
}
