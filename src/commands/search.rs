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
    /// Matched characters as [start, end) character indices.
    matches: Matches<'a>,
    #[serde(flatten)]
    origin: super::Origin,
}

#[derive(Serialize)]
struct Matches<'a> {
    id: &'a [std::ops::Range<usize>],
    title: &'a [std::ops::Range<usize>],
    fields: &'a [Field],
}

pub fn run(app: &mut App, args: &SearchArgs) -> Result<()> {
    let lib = app.library(true)?;
    let query = args.query.join(" ");
    let platform = args.platform.as_deref();
    let lang = args.lang.as_deref();
    let mut hits = search(&lib.replies, &query, |r| keep(r, platform, lang));
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
                id: &h.reply.id,
                title: &h.reply.variants[h.variant].title,
                lang: &h.reply.variants[h.variant].lang,
                score: h.score,
                matches: Matches {
                    id: &h.id_ranges,
                    title: &h.title_ranges,
                    fields: &h.fields,
                },
                origin: origin(app, &lib, h.reply),
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
            let v = &h.reply.variants[h.variant];
            let id = highlight(color, &h.reply.id, &h.id_ranges);
            let mut row = vec![
                if color {
                    app.out.paint(Style::Id, &id)
                } else {
                    id
                },
                highlight(color, &v.title, &h.title_ranges),
            ];
            if v.lang != h.reply.lang() {
                row.push(
                    app.out
                        .paint(Style::Dim, &format!("[{}]", sanitize(&v.lang, false))),
                );
            }
            row
        })
        .collect();
    let text = table(&rows, app.out.tty);
    app.out.write(&text)?;
    Ok(())
}
