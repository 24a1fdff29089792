//! `reply search`: fuzzy search, best first, matches highlighted on a terminal.

use serde::Serialize;

use super::{App, JSON_VERSION, Run, Source, keep, usage};
use crate::cli::SearchArgs;
use crate::deliver::{Style, highlight, table};
use crate::diag::{Error, Result};
use crate::find::{Field, nudge_hits, search};
use crate::util::escape::sanitize;

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    title: &'a str,
    lang: &'a str,
    score: i64,
    /// How much it is used (see `history::frecency`): it orders near-equal matches.
    frecency: f64,
    matches: Matches<'a>,
    #[serde(flatten)]
    source: Source,
}

/// Matched characters as `[start, end)` pairs of character indices.
#[derive(Serialize)]
struct Matches<'a> {
    id: Vec<[usize; 2]>,
    title: Vec<[usize; 2]>,
    fields: &'a [Field],
}

fn pairs(r: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    r.iter().map(|r| [r.start, r.end]).collect()
}

/// Where the words matched, for people: the best field of any word.
fn matched_in(fields: &[Field]) -> &'static str {
    match fields.iter().min() {
        Some(Field::Id) => "in id",
        Some(Field::Title) => "in title",
        Some(Field::Tags) => "in tags",
        Some(Field::Body) | None => "in text",
    }
}

impl Run for SearchArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        super::sync::staleness(app);
        let cat = app.catalog(true)?;
        let query = self.query.join(" ");
        let (platform, lang) = (self.filter.platform.as_deref(), self.filter.lang.as_deref());
        let mut hits = search(&cat.entries, cat.bodies(), &query, |r| {
            keep(r, platform, lang)
        });
        if hits.is_empty() {
            return Err(
                Error::no_match(format!("no reply matches `{}`", query.trim())).hint(
                    "every word must match somewhere; try fewer or shorter words, or `reply list`",
                ),
            );
        }
        let used = usage::frecency(app, &cat);
        nudge_hits(&mut hits, &used);
        hits.truncate(self.limit.max(1));
        if self.json.json {
            let items: Vec<Item> = hits
                .iter()
                .map(|h| Item {
                    id: h.entry.id(),
                    title: h.title(),
                    lang: h.lang(),
                    score: h.score,
                    frecency: used.get(h.index),
                    matches: Matches {
                        id: pairs(&h.id_ranges),
                        title: pairs(&h.title_ranges),
                        fields: &h.fields,
                    },
                    source: app.source(&cat, h.entry),
                })
                .collect();
            return app.json(
                &serde_json::json!({ "version": JSON_VERSION, "query": query, "results": items }),
            );
        }
        let color = app.out.color;
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| {
                let id = highlight(color, h.entry.id(), &h.id_ranges);
                let mut row = vec![
                    app.out.paint(Style::Id, &id),
                    highlight(color, h.title(), &h.title_ranges),
                ];
                if h.lang() != h.entry.lang() {
                    row.push(
                        app.out
                            .paint(Style::Dim, &format!("[{}]", sanitize(h.lang(), false))),
                    );
                } else if app.out.tty {
                    row.push(String::new());
                }
                // On a terminal, say where it matched: a hit in the text alone
                // is otherwise a mystery.
                if app.out.tty {
                    row.push(app.out.paint(Style::Dim, matched_in(&h.fields)));
                }
                row
            })
            .collect();
        let text = table(&rows, app.out.tty);
        app.out.write(&text)?;
        Ok(())
    }
}
