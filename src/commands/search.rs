//! `reply search`: fuzzy search, best first, matches highlighted on a terminal.

use serde::Serialize;

use super::{JSON_VERSION, keep, origin, write_json};
use crate::App;
use crate::cli::SearchArgs;
use crate::error::{Error, Result};
use crate::output::{Style, highlight, sanitize, table};
use crate::search::{Field, search};

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    title: &'a str,
    lang: &'a str,
    score: i64,
    matches: Matches<'a>,
    #[serde(flatten)]
    origin: super::Origin,
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

pub fn run(app: &mut App, args: &SearchArgs) -> Result<()> {
    let cat = app.catalog(true)?;
    let query = args.query.join(" ");
    let platform = args.filter.platform.as_deref();
    let lang = args.filter.lang.as_deref();
    let mut hits = search(&cat.entries, cat.bodies(), &query, |r| {
        keep(r, platform, lang)
    });
    if hits.is_empty() {
        return Err(Error::no_match(format!(
            "no reply matches `{}`",
            query.trim()
        )));
    }
    hits.truncate(args.limit.max(1));
    if args.json.json {
        let items: Vec<Item> = hits
            .iter()
            .map(|h| Item {
                id: h.entry.id(),
                title: h.title(),
                lang: h.lang(),
                score: h.score,
                matches: Matches {
                    id: pairs(&h.id_ranges),
                    title: pairs(&h.title_ranges),
                    fields: &h.fields,
                },
                origin: origin(app, &cat, h.entry),
            })
            .collect();
        return write_json(
            app,
            &serde_json::json!({ "version": JSON_VERSION, "query": query, "results": items }),
        );
    }
    let color = app.out.color;
    let rows: Vec<Vec<String>> = hits
        .iter()
        .map(|h| {
            let id = highlight(color, h.entry.id(), &h.id_ranges);
            let mut row = vec![
                if color {
                    app.out.paint(Style::Id, &id)
                } else {
                    id
                },
                highlight(color, h.title(), &h.title_ranges),
            ];
            if h.lang() != h.entry.lang() {
                row.push(
                    app.out
                        .paint(Style::Dim, &format!("[{}]", sanitize(h.lang(), false))),
                );
            }
            row
        })
        .collect();
    let text = table(&rows, app.out.tty);
    app.out.write(&text)?;
    Ok(())
}
