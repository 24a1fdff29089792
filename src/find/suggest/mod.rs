//! Suggest: from a customer's message to the replies that answer it, best
//! first, each with the language variant to send, a score between 0 and 1,
//! the words of the message that matched (so a person sees why), and the
//! values the message already holds for the reply's declared variables.
//!
//! The one entry point is [`suggest`]; `reply suggest`, `reply render --for`
//! and the picker call it. Ranking (`rank`) is BM25F over the catalog's term
//! index (`library::catalog::terms`); the language comes from `lang`;
//! proposed values from `values`.
//!
//! ```no_run
//! # use reply::find::suggest::{suggest, Options};
//! # fn show(cat: &reply::library::Catalog) {
//! let found = suggest(cat, "hola, mi pedido no ha llegado", &Options::default());
//! for s in &found.items {
//!     println!("{} [{}] {:.2} {:?}", s.entry.id(), s.lang(), s.score, s.matched);
//! }
//! # }
//! ```

mod lang;
mod rank;
mod values;

pub use lang::detect;
pub use rank::{Params, Ranked, matched_words, rank};
pub use values::{Proposed, propose};

use crate::library::catalog::terms::{Analysis, primary};
use crate::library::{Catalog, Entry};

/// Below this score a reply is not offered: "no good match". Chosen on the
/// evaluation set (benches/RESULTS.md): it keeps most messages no reply
/// answers out, and nearly every right answer in.
pub const MIN_SCORE: f64 = 0.12;

/// What to suggest.
#[derive(Debug, Clone)]
pub struct Options {
    /// At most this many suggestions.
    pub limit: usize,
    /// Only replies scoring at least this (0 to 1).
    pub min_score: f64,
    /// The language to answer in, whatever the message's (`--lang`).
    pub lang: Option<String>,
    /// The language a message that could be either is taken for (the
    /// config's `lang`).
    pub prefer_lang: Option<String>,
    /// Only replies written for this platform (or for all).
    pub platform: Option<String>,
    /// Look for values in the message (opens each suggested reply's file).
    pub values: bool,
    /// How much each reply is used: it orders replies whose scores are
    /// within a twentieth of each other (`find::used`).
    pub used: crate::history::Frecency,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limit: 5,
            min_score: MIN_SCORE,
            lang: None,
            prefer_lang: None,
            platform: None,
            values: true,
            used: Default::default(),
        }
    }
}

/// One suggested reply.
#[derive(Debug, Clone)]
pub struct Suggestion<'a> {
    pub entry: &'a Entry,
    /// The variant to send: an index into `entry.titles()`.
    pub variant: usize,
    /// Between 0 and 1; comparable across messages and libraries.
    pub score: f64,
    /// The words of the message that matched, as written, in message order.
    pub matched: Vec<String>,
    /// Values found in the message for the reply's declared variables.
    pub values: Vec<Proposed>,
}

impl Suggestion<'_> {
    pub fn title(&self) -> &str {
        self.entry.title_at(self.variant).map_or("", |t| t.1)
    }

    pub fn lang(&self) -> &str {
        self.entry.title_at(self.variant).map_or("", |t| t.0)
    }
}

/// What [`suggest`] found.
#[derive(Debug, Clone)]
pub struct Suggestions<'a> {
    /// The message's language: `Options::lang`, else detected, else `None`.
    pub lang: Option<String>,
    /// Best first; empty when nothing scored `min_score`: "no good match".
    pub items: Vec<Suggestion<'a>>,
    /// The best reply under the threshold, when nothing cleared it (its
    /// score says how far off it was).
    pub closest: Option<Suggestion<'a>>,
}

/// The replies of `cat` that best answer `message`, best first.
pub fn suggest<'a>(cat: &'a Catalog, message: &str, opts: &Options) -> Suggestions<'a> {
    let index = cat.terms();
    let langs: Vec<&str> = index.langs().iter().map(|l| l.code.as_str()).collect();
    let lang = match &opts.lang {
        Some(l) => Some(primary(l)),
        None => detect(
            message,
            &langs,
            opts.prefer_lang.as_deref().map(primary).as_deref(),
        ),
    };
    let params = Params::SUGGEST;
    let analysis = Analysis::default();
    let platform = opts.platform.as_deref();
    let (words, ranked) = rank(cat, index, message, &params, analysis, |e| {
        platform.is_none_or(|p| e.fits_platform(p))
    });
    let make = |r: &Ranked| {
        let entry = &cat.entries[r.entry];
        let doc = index.docs()[r.doc as usize];
        // The message's language when the reply has it; else the variant
        // whose words matched.
        let variant = lang
            .as_deref()
            .and_then(|l| entry.languages().position(|x| primary(x) == l))
            .unwrap_or(doc.variant as usize);
        let matched = matched_words(index, &words, &params, analysis, r.doc)
            .into_iter()
            .map(|i| message[words[i].start..words[i].end].to_string());
        let mut matched_unique: Vec<String> = Vec::new();
        for m in matched {
            if !matched_unique.iter().any(|x| x.eq_ignore_ascii_case(&m)) {
                matched_unique.push(m);
            }
        }
        let values = if opts.values {
            crate::find::open(cat, entry)
                .ok()
                .and_then(|lib| lib.get(entry.id()).map(|r| propose(r, message)))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        Suggestion {
            entry,
            variant,
            score: f64::from(r.score),
            matched: matched_unique,
            values,
        }
    };
    let mut good: Vec<&Ranked> = ranked
        .iter()
        .take_while(|r| f64::from(r.score) >= opts.min_score)
        .collect();
    if !opts.used.is_empty() {
        let band = crate::find::used::SUGGEST_BAND as f32;
        crate::find::used::nudge(
            &mut good,
            |top, r| r.score >= top.score * (1.0 - band),
            |r| opts.used.get(r.entry),
        );
    }
    let items: Vec<Suggestion> = good.into_iter().take(opts.limit).map(make).collect();
    let closest = if items.is_empty() {
        ranked.first().map(make)
    } else {
        None
    };
    Suggestions {
        lang,
        items,
        closest,
    }
}
