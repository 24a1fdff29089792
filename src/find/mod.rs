//! Finding replies: the one lookup from what a person typed to a reply (an
//! exact id, else the best fuzzy match), with one "did you mean"; fuzzy
//! search itself lives in `fuzzy`; `suggest` ranks replies for a customer's
//! message; `used` orders near-equal matches by how much they are used.

pub mod fuzzy;
pub mod suggest;
pub mod used;

pub use fuzzy::{Field, Hit, search, search_among};
pub use used::{most_used_first, nudge_hits};

use crate::diag::{Error, Result};
use crate::history::Frecency;
use crate::library::{Catalog, Entry, Library};

/// How a query was resolved to a reply.
pub struct Found<'a> {
    pub entry: &'a Entry,
    /// `false` when the id was not typed exactly and fuzzy search chose it.
    pub exact: bool,
}

/// An exact id, or else (unless `exact_only`) the best fuzzy match, as
/// `search` ranks it with the frecency `used` gives (asked only then).
pub fn lookup<'a>(
    cat: &'a Catalog,
    query: &str,
    exact_only: bool,
    used: impl FnOnce() -> Frecency,
) -> Result<Found<'a>> {
    let query = query.trim();
    if exact_only {
        return find_exact(cat, query, true).map(|entry| Found { entry, exact: true });
    }
    if let Some(entry) = cat.get(query) {
        return Ok(Found { entry, exact: true });
    }
    if let Some(why) = cat.broken_home(query) {
        return Err(why.into());
    }
    // Only a fuzzy search reads the bodies: an exact id stays fast.
    let mut hits = search(&cat.entries, cat.bodies(), query, |_| true);
    if hits.len() > 1 {
        nudge_hits(&mut hits, &used());
    }
    match hits.into_iter().next() {
        Some(hit) => Ok(Found {
            entry: hit.entry,
            exact: false,
        }),
        None => Err(Error::no_match(format!("no reply matches `{query}`"))
            .hint("`reply list` shows every reply; `reply search WORDS` searches")),
    }
}

/// The entry for an exact id, or an error that says why there is none: the
/// file it is in has errors, or no reply has it (with the closest ids).
pub fn exact<'a>(cat: &'a Catalog, id: &str) -> Result<&'a Entry> {
    find_exact(cat, id, false)
}

/// `exact`; `flag`: the person asked for exactness with `--exact`, which the
/// hint then mentions.
fn find_exact<'a>(cat: &'a Catalog, id: &str, flag: bool) -> Result<&'a Entry> {
    if let Some(entry) = cat.get(id) {
        return Ok(entry);
    }
    if let Some(why) = cat.broken_home(id) {
        return Err(why.into());
    }
    let close = did_you_mean(cat, id);
    let mut hint = if close.is_empty() {
        "`reply list` shows every id".to_string()
    } else {
        format!(
            "did you mean {}?",
            close
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if flag {
        hint.push_str(" (drop --exact to allow fuzzy matching)");
    }
    Err(Error::no_match(format!("no reply has the id `{id}`")).hint(hint))
}

/// Up to three ids close to `id`: a typo of one (edit distance), or the best
/// fuzzy matches.
pub fn did_you_mean(cat: &Catalog, id: &str) -> Vec<String> {
    let mut close: Vec<String> =
        crate::util::suggest::closest(id, cat.entries.iter().map(Entry::id))
            .map(str::to_string)
            .into_iter()
            .collect();
    // Only hits in the id or a title: a word found somewhere in a body says
    // nothing about which id was meant.
    let named = search(&cat.entries, cat.bodies(), id, |_| true)
        .into_iter()
        .filter(|h| h.fields.iter().all(|f| *f <= Field::Title));
    for hit in named {
        if close.len() >= 3 {
            break;
        }
        if !close.iter().any(|c| c == hit.entry.id()) {
            close.push(hit.entry.id().to_string());
        }
    }
    close
}

/// Reads the file that holds `entry`, and checks that the id is not
/// ambiguous (defined twice in one layer: rendering either would be a guess)
/// and is still there.
pub fn open(cat: &Catalog, entry: &Entry) -> Result<Library> {
    if let Some(d) = cat.conflict(entry.id()) {
        return Err(d.clone().into());
    }
    let lib = cat.open(entry);
    if lib.get(entry.id()).is_none() {
        // The file changed between listing and reading it.
        return Err(match lib.diagnostics.first() {
            Some(d) => d.clone().into(),
            None => Error::data(format!(
                "reply `{}` is no longer in {}",
                entry.id(),
                cat.file(entry).name
            )),
        });
    }
    Ok(lib)
}
