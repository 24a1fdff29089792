//! BM25F over the term index: each term of the message, in each language the
//! library has, scores the documents (reply variants) of that language that
//! hold it, by its rarity and by how often it appears in each field, each
//! field with its own weight and length normalisation. A reply's score is
//! that of its best variant, divided by what a document matching every term
//! of the message would approach, so it lies between 0 and 1 whatever the
//! library's size and the message's length: a threshold can then mean the
//! same thing everywhere.

use std::collections::HashMap;

use crate::library::catalog::terms::{
    Analysis, Analyzer, FIELD_COUNT, Posting, TermField, TermIndex, Word, words,
};
use crate::library::{Catalog, Entry};

/// How a message is scored: BM25F's parameters, and the extras.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Term frequency saturation.
    pub k1: f32,
    /// Weight of a match in each field (id, title, tags, body, examples).
    pub weights: [f32; FIELD_COUNT],
    /// Length normalisation of each field (0: none, 1: full).
    pub b: [f32; FIELD_COUNT],
    /// Each field normalised on its own (BM25F); else all fields with a
    /// weight as one bag of words, as plain BM25.
    pub per_field: bool,
    /// A word the library lacks may match a term one edit away (a typo).
    pub fuzzy: bool,
    /// How much a word the library lacks counts against the score.
    pub unknown: f32,
}

/// What a typo's match is worth, against the word itself.
const FUZZY_WEIGHT: f32 = 0.7;
/// Shorter stems are never matched by a typo: too many words are one edit
/// away from them.
const FUZZY_MIN_CHARS: usize = 4;
/// Words of a message looked at: a pasted e-mail thread says what it is
/// about well before that.
const MAX_WORDS: usize = 400;

impl Params {
    /// What `reply suggest` uses (chosen on the evaluation set, see
    /// benches/RESULTS.md): examples weigh most, then the title, the id and
    /// tags, then the body; short fields are barely length-normalised.
    pub const SUGGEST: Params = Params {
        k1: 1.0,
        weights: [1.5, 2.0, 1.5, 1.0, 6.0],
        b: [0.3, 0.3, 0.3, 0.75, 0.5],
        per_field: true,
        fuzzy: true,
        unknown: 0.8,
    };

    /// Plain BM25: one bag of words without the examples, no typo matching.
    pub const PLAIN: Params = Params {
        k1: 1.2,
        weights: [1.0, 1.0, 1.0, 1.0, 0.0],
        b: [0.75; FIELD_COUNT],
        per_field: false,
        fuzzy: false,
        unknown: 0.8,
    };
}

/// One reply's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Index into `Catalog::entries`.
    pub entry: usize,
    /// Its best document (variant) in the index.
    pub doc: u32,
    /// Between 0 and 1.
    pub score: f32,
    /// Indices (into the message's words) of the words that matched it.
    pub matched: Vec<usize>,
}

/// BM25's inverse document frequency, never negative.
fn idf(df: u32, n: u32) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Whether `a` and `b` are at most one edit apart (insert, delete,
/// substitute, or swap two neighbours).
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let start = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if start == short.len() {
        return true;
    }
    if short.len() == long.len() {
        short[start + 1..] == long[start + 1..]
            || (start + 1 < short.len()
                && short[start] == long[start + 1]
                && short[start + 1] == long[start]
                && short[start + 2..] == long[start + 2..])
    } else {
        short[start..] == long[start + 1..]
    }
}

/// The term of the index one edit away from `term` (same language), the
/// most common if several: what a misspelt word most likely meant.
fn nearest(index: &TermIndex, lang_prefix: &str, term: &str) -> Option<usize> {
    let stem = term.strip_prefix(lang_prefix)?;
    let n = stem.chars().count();
    if n < FUZZY_MIN_CHARS {
        return None;
    }
    index
        .with_prefix(lang_prefix)
        .filter(|&t| {
            let other = &index.term(t)[lang_prefix.len()..];
            other.len().abs_diff(stem.len()) <= 4
                && other.chars().count() >= FUZZY_MIN_CHARS
                && one_edit(stem, other)
        })
        .max_by_key(|&t| (index.df(t), std::cmp::Reverse(t)))
}

/// One term of the message in one language, with what it matched.
struct QueryTerm {
    weight: f32,
    postings: Vec<Posting>,
}

/// Every reply that `keep` accepts and some word of `message` matches, best
/// first (ties in catalog order). `index` must be the catalog's (the same
/// files in the same order), built with `analysis`.
pub fn rank(
    cat: &Catalog,
    index: &TermIndex,
    message: &str,
    params: &Params,
    analysis: Analysis,
    keep: impl Fn(&Entry) -> bool,
) -> (Vec<Word>, Vec<Ranked>) {
    let message_words: Vec<Word> = words(message).take(MAX_WORDS).collect();
    let docs = index.docs();
    let mut scores = vec![0f32; docs.len()];
    let mut touched: Vec<u32> = Vec::new();
    // Per language: its query terms and the best score a document could near.
    let mut per_lang: Vec<(Vec<QueryTerm>, f32)> = Vec::with_capacity(index.langs().len());
    for stats in index.langs() {
        let analyzer = Analyzer::new(&stats.code, analysis);
        let prefix = format!("{}:", stats.code);
        // Each term once, however often the message repeats it.
        let mut seen = std::collections::HashSet::new();
        let order: Vec<String> = message_words
            .iter()
            .filter_map(|w| analyzer.term(&w.folded))
            .filter(|t| seen.insert(t.clone()))
            .collect();
        let mut query = Vec::new();
        let mut ceiling = 0f32;
        for t in order {
            let found = index.find(&t).map(|x| (x, 1.0)).or_else(|| {
                params
                    .fuzzy
                    .then(|| nearest(index, &prefix, &t).map(|x| (x, FUZZY_WEIGHT)))
                    .flatten()
            });
            let Some((term, weight)) = found else {
                ceiling += params.unknown * idf(0, stats.docs);
                continue;
            };
            let w = weight * idf(index.df(term), stats.docs);
            ceiling += w;
            query.push(QueryTerm {
                weight: w,
                postings: index.postings(term),
            });
        }
        for q in &query {
            for p in &q.postings {
                let Some(d) = docs.get(p.doc as usize) else {
                    continue;
                };
                let tf = weighted_tf(params, &p.tf, &d.lens, &stats.avg);
                let s = &mut scores[p.doc as usize];
                if *s == 0.0 {
                    touched.push(p.doc);
                }
                *s += q.weight * tf / (params.k1 + tf);
            }
        }
        per_lang.push((query, ceiling));
    }

    // Each reply takes its best variant.
    let base = file_bases(index);
    let mut entry_of = vec![u32::MAX; base.last().copied().unwrap_or(0) as usize];
    for (i, e) in cat.entries.iter().enumerate() {
        if let Some(slot) = base
            .get(e.file as usize)
            .and_then(|b| entry_of.get_mut((b + e.nth) as usize))
        {
            *slot = i as u32;
        }
    }
    let mut best: HashMap<u32, (f32, u32)> = HashMap::new();
    for doc in touched {
        let d = docs[doc as usize];
        let ceiling = per_lang[d.lang as usize].1;
        if ceiling <= 0.0 {
            continue;
        }
        let Some(&e) = base
            .get(d.file as usize)
            .and_then(|b| entry_of.get((b + d.nth) as usize))
            .filter(|&&e| e != u32::MAX)
        else {
            continue; // shadowed, or a duplicate id
        };
        if !keep(&cat.entries[e as usize]) {
            continue;
        }
        let s = scores[doc as usize] / ceiling;
        let slot = best.entry(e).or_insert((s, doc));
        if s > slot.0 || (s == slot.0 && doc < slot.1) {
            *slot = (s, doc);
        }
    }
    let mut ranked: Vec<Ranked> = best
        .into_iter()
        .map(|(e, (score, doc))| Ranked {
            entry: e as usize,
            doc,
            score,
            matched: Vec::new(),
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
    (message_words, ranked)
}

/// The words of the message that matched document `doc`, in message order:
/// found again in the posting lists of its language's query terms. A word
/// that adds under a twentieth of the score (a "hello" every reply has) is
/// left out: it is not why the reply was chosen.
pub fn matched_words(
    index: &TermIndex,
    message: &[Word],
    params: &Params,
    analysis: Analysis,
    doc: u32,
) -> Vec<usize> {
    let Some(d) = index.docs().get(doc as usize) else {
        return Vec::new();
    };
    let stats = &index.langs()[d.lang as usize];
    let analyzer = Analyzer::new(&stats.code, analysis);
    let prefix = format!("{}:", stats.code);
    let mut part: HashMap<String, f32> = HashMap::new();
    let mut hits: Vec<(usize, String)> = Vec::new();
    for (i, w) in message.iter().enumerate() {
        let Some(t) = analyzer.term(&w.folded) else {
            continue;
        };
        if !part.contains_key(&t) {
            let found = index.find(&t).map(|x| (x, 1.0)).or_else(|| {
                params
                    .fuzzy
                    .then(|| nearest(index, &prefix, &t).map(|x| (x, FUZZY_WEIGHT)))
                    .flatten()
            });
            let score = found.map_or(0.0, |(term, weight)| {
                let postings = index.postings(term);
                postings
                    .binary_search_by_key(&doc, |p| p.doc)
                    .ok()
                    .map_or(0.0, |at| {
                        let tf = weighted_tf(params, &postings[at].tf, &d.lens, &stats.avg);
                        weight * idf(index.df(term), stats.docs) * tf / (params.k1 + tf)
                    })
            });
            part.insert(t.clone(), score);
        }
        hits.push((i, t));
    }
    let total: f32 = part.values().sum();
    hits.into_iter()
        .filter(|(_, t)| part.get(t).is_some_and(|&s| s > 0.0 && s >= total / 20.0))
        .map(|(i, _)| i)
        .collect()
}

/// Where each file's replies start in one numbering of every reply.
fn file_bases(index: &TermIndex) -> Vec<u32> {
    let mut base = Vec::with_capacity(index.files().len() + 1);
    let mut at = 0u32;
    for f in index.files() {
        base.push(at);
        at = at.saturating_add(f.replies);
    }
    base.push(at);
    base
}

/// The term's count in a document, each field weighted and normalised for
/// its length (BM25F); or, as plain BM25, the fields with a weight pooled.
fn weighted_tf(
    params: &Params,
    tf: &[u8; FIELD_COUNT],
    lens: &[u16; FIELD_COUNT],
    avg: &[f32; FIELD_COUNT],
) -> f32 {
    let norm = |b: f32, len: f32, avg: f32| {
        if avg > 0.0 {
            1.0 - b + b * len / avg
        } else {
            1.0
        }
    };
    if params.per_field {
        (0..FIELD_COUNT)
            .map(|f| {
                params.weights[f] * f32::from(tf[f]) / norm(params.b[f], f32::from(lens[f]), avg[f])
            })
            .sum()
    } else {
        let used = (0..FIELD_COUNT).filter(|&f| params.weights[f] > 0.0);
        let (mut n, mut len, mut mean) = (0f32, 0f32, 0f32);
        for f in used {
            n += f32::from(tf[f]);
            len += f32::from(lens[f]);
            mean += avg[f];
        }
        n / norm(params.b[TermField::Body as usize], len, mean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart() {
        for (a, b) in [
            ("arrive", "arive"),
            ("refund", "refnud"),
            ("pedido", "pedio"),
            ("cancel", "cancle"),
            ("same", "same"),
            ("order", "ordr"),
        ] {
            assert!(one_edit(a, b), "{a} {b}");
        }
        for (a, b) in [("refund", "fund"), ("order", "odrre"), ("abc", "xyz")] {
            assert!(!one_edit(a, b), "{a} {b}");
        }
    }

    #[test]
    fn idf_falls_with_document_frequency_and_stays_positive() {
        assert!(idf(1, 100) > idf(10, 100));
        assert!(idf(100, 100) > 0.0);
    }
}
