//! `reply list`: every reply in effect, one a line.

use serde::Serialize;

use super::{JSON_VERSION, keep, layer_name, origin, write_json};
use crate::App;
use crate::cli::ListArgs;
use crate::error::Result;
use crate::output::{Style, sanitize, table};

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    title: &'a str,
    tags: Vec<&'a str>,
    lang: &'a str,
    languages: Vec<&'a str>,
    platforms: Vec<&'a str>,
    has_public: bool,
    #[serde(flatten)]
    origin: super::Origin,
}

pub fn run(app: &mut App, args: &ListArgs) -> Result<()> {
    let cat = app.catalog(true)?;
    let entries: Vec<_> = cat
        .entries
        .iter()
        .filter(|r| args.tag.as_deref().is_none_or(|t| r.has_tag(t)))
        .filter(|r| {
            keep(
                r,
                args.filter.platform.as_deref(),
                args.filter.lang.as_deref(),
            )
        })
        .collect();
    if args.json.json {
        let items: Vec<Item> = entries
            .iter()
            .map(|r| Item {
                id: r.id(),
                title: r.title(),
                tags: r.tags().collect(),
                lang: r.lang(),
                languages: r.languages().collect(),
                platforms: r.platforms().collect(),
                has_public: r.has_public,
                origin: origin(app, &cat, r),
            })
            .collect();
        return write_json(
            app,
            &serde_json::json!({ "version": JSON_VERSION, "replies": items }),
        );
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|r| {
            // With --lang, show the title people will see in that language.
            let title = args
                .filter
                .lang
                .as_deref()
                .and_then(|l| r.titles().find(|t| t.0.eq_ignore_ascii_case(l)))
                .map_or(r.title(), |t| t.1);
            vec![
                app.out.paint(Style::Id, &sanitize(r.id(), false)),
                sanitize(title, false),
                app.out.paint(
                    Style::Dim,
                    &sanitize(&r.tags().collect::<Vec<_>>().join(","), false),
                ),
                app.out.paint(Style::Dim, &layer_name(app, cat.layer(r))),
            ]
        })
        .collect();
    let text = table(&rows, app.out.tty);
    app.out.write(&text)?;
    Ok(())
}
