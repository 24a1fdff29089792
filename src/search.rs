//! Fuzzy search over replies: every word of the query must match somewhere (id,
//! title, tags or body, in any language variant), in any order, as in fzf.
//! Matching is accent- and case-insensitive; a hit in the id or a title ranks
//! above a hit only in the tags or the body.

use std::ops::Range;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

use crate::fold::{fold, fold_str};
use crate::library::Reply;

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

#[derive(Debug, Clone, Serialize)]
pub struct Hit<'a> {
    #[serde(skip)]
    pub reply: &'a Reply,
    pub score: i64,
    /// The variant whose title is shown (the one that matched, else the reply's own).
    #[serde(skip)]
    pub variant: usize,
    /// Matched characters (character indices, merged into ranges) in the id.
    pub id_ranges: Vec<Range<usize>>,
    /// Matched characters in the shown title.
    pub title_ranges: Vec<Range<usize>>,
    /// Where each word of the query matched best, in query order.
    pub fields: Vec<Field>,
}

pub struct Searcher {
    matcher: SkimMatcherV2,
    words: Vec<String>,
}

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

    /// Scores one reply; `None` when some word matches nowhere.
    pub fn hit<'a>(&self, reply: &'a Reply) -> Option<Hit<'a>> {
        let id = fold(&reply.id);
        let titles: Vec<_> = reply.variants.iter().map(|v| fold(&v.title)).collect();
        let tags = fold_str(&reply.tags.join(" "));
        let mut bodies: Option<Vec<String>> = None;

        let mut total = 0;
        let mut fields = Vec::with_capacity(self.words.len());
        let mut id_idx = Vec::new();
        // Title highlights and scores per variant.
        let mut title_idx: Vec<Vec<usize>> = vec![Vec::new(); titles.len()];
        let mut title_score = vec![0i64; titles.len()];
        for word in &self.words {
            let limit = span_limit(word);
            let id_hit = self.compact(&id.text, word, limit);
            let mut best_title: Option<(i64, usize, Vec<usize>)> = None;
            for (v, t) in titles.iter().enumerate() {
                if let Some((s, idx)) = self.compact(&t.text, word, limit) {
                    title_score[v] += s;
                    title_idx[v].extend(idx.iter().map(|&i| t.origin[i]));
                    if best_title.as_ref().is_none_or(|(b, _, _)| s > *b) {
                        best_title = Some((s, v, idx));
                    }
                }
            }
            // The id usually sums up the title: a word in both counts for both.
            let head = match (&id_hit, &best_title) {
                (None, None) => None,
                (i, t) => {
                    let field = if i.as_ref().map_or(0, |x| x.0) >= t.as_ref().map_or(0, |x| x.0) {
                        Field::Id
                    } else {
                        Field::Title
                    };
                    Some((
                        i.as_ref().map_or(0, |x| x.0) + t.as_ref().map_or(0, |x| x.0),
                        field,
                    ))
                }
            };
            if let Some((_, idx)) = id_hit {
                id_idx.extend(idx.into_iter().map(|i| id.origin[i]));
            }
            let best = match head {
                Some((s, f)) => Some((s + f.bonus(), f)),
                None => match self.compact(&tags, word, limit) {
                    Some((s, _)) => Some((s + Field::Tags.bonus(), Field::Tags)),
                    None => {
                        // Bodies are the costly part: only looked at when nothing shorter matched.
                        let bodies = bodies.get_or_insert_with(|| {
                            reply
                                .variants
                                .iter()
                                .map(|v| fold_str(&v.body.src))
                                .collect()
                        });
                        bodies
                            .iter()
                            .filter_map(|b| self.compact(b, word, limit))
                            .map(|(s, _)| s)
                            .max()
                            .map(|s| (s, Field::Body))
                    }
                },
            };
            let (s, f) = best?;
            total += s;
            fields.push(f);
        }
        let variant = (0..titles.len())
            .max_by_key(|&v| (title_score[v], std::cmp::Reverse(v)))
            .unwrap_or(0);
        Some(Hit {
            reply,
            score: total,
            variant,
            id_ranges: ranges(id_idx),
            title_ranges: ranges(std::mem::take(&mut title_idx[variant])),
            fields,
        })
    }
}

/// How far apart the matched characters of a word may lie. Skim alone accepts
/// letters scattered over a whole paragraph ("refund" in any long text); a
/// typo or a dropped letter stays within this.
fn span_limit(word: &str) -> usize {
    2 * word.chars().count() + 2
}

impl Searcher {
    /// A skim match whose characters lie within `limit` of each other.
    fn compact(&self, text: &str, word: &str, limit: usize) -> Option<(i64, Vec<usize>)> {
        let (score, idx) = self.matcher.fuzzy_indices(text, word)?;
        let span = idx.last()? - idx.first()? + 1;
        (span <= limit).then_some((score, idx))
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

/// Every reply that matches, best first; ties keep library order.
pub fn search<'a>(
    replies: &'a [Reply],
    query: &str,
    keep: impl Fn(&Reply) -> bool + Sync,
) -> Vec<Hit<'a>> {
    let Some(searcher) = Searcher::new(query) else {
        return Vec::new();
    };
    let mut hits: Vec<Hit> = replies
        .iter()
        .filter(|r| keep(r))
        .filter_map(|r| searcher.hit(r))
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.score));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::parse::parse_file;

    fn lib(text: &str) -> Vec<Reply> {
        let p = parse_file("t.toml", text, 0, "en");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        p.replies
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
"#;

    #[test]
    fn title_hit_ranks_above_body_hit() {
        let r = lib(LIB);
        let hits = search(&r, "refund", |_| true);
        let ids: Vec<_> = hits.iter().map(|h| h.reply.id.as_str()).collect();
        assert_eq!(ids, ["refund", "delay"]);
        assert_eq!(hits[1].fields, [Field::Body]);
    }

    #[test]
    fn every_word_must_match_in_any_order() {
        let r = lib(LIB);
        let hits = search(&r, "delayed order", |_| true);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].reply.id, "delay");
        assert!(search(&r, "refund zebra", |_| true).is_empty());
    }

    #[test]
    fn accents_and_case_fold_and_highlights_stay_on_originals() {
        let r = lib(LIB);
        let hits = search(&r, "DEVOLUCION", |_| true);
        assert_eq!(hits[0].reply.id, "devolucion");
        let hits = search(&r, "envio", |_| true);
        assert_eq!(hits[0].reply.id, "devolucion");
        let hits = search(&r, "devolución producto", |_| true);
        let h = &hits[0];
        assert_eq!(h.variant, 1);
        let title: Vec<char> = h.reply.variants[1].title.chars().collect();
        let shown: String = h
            .title_ranges
            .iter()
            .flat_map(|r| title[r.clone()].iter())
            .collect();
        assert!(shown.contains("Devolución"), "{shown}");
    }

    #[test]
    fn ranges_merge_adjacent_indices() {
        assert_eq!(ranges(vec![3, 1, 2, 7]), vec![1..4, 7..8]);
    }
}
