//! `reply list`: every reply in effect, one a line.

use serde::Serialize;

use super::{App, JSON_VERSION, Run, Source, keep, usage};
use crate::cli::{ListArgs, ListSort};
use crate::deliver::{Style, table};
use crate::diag::Result;
use crate::util::escape::sanitize;

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
    source: Source,
}

impl Run for ListArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        super::sync::staleness(app);
        let cat = app.catalog(true)?;
        let (platform, lang) = (self.filter.platform.as_deref(), self.filter.lang.as_deref());
        let mut entries: Vec<(usize, &crate::library::Entry)> = cat
            .entries
            .iter()
            .enumerate()
            .filter(|(_, r)| self.tag.as_deref().is_none_or(|t| r.has_tag(t)))
            .filter(|(_, r)| keep(r, platform, lang))
            .collect();
        // Only this order reads the usage log: a plain list stays as fast as it was.
        if self.sort == ListSort::Used {
            let used = usage::frecency(app, &cat);
            crate::find::most_used_first(&mut entries, |(i, _)| used.get(*i));
        }
        let entries: Vec<&crate::library::Entry> = entries.into_iter().map(|(_, e)| e).collect();
        if self.json.json {
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
                    source: app.source(&cat, r),
                })
                .collect();
            return app.json(&serde_json::json!({ "version": JSON_VERSION, "replies": items }));
        }
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|r| {
                // With --lang, show the title people will see in that language.
                let title = lang
                    .and_then(|l| r.titles().find(|t| t.0.eq_ignore_ascii_case(l)))
                    .map_or(r.title(), |t| t.1);
                vec![
                    app.out.paint(Style::Id, &sanitize(r.id(), false)),
                    sanitize(title, false),
                    app.out.paint(
                        Style::Dim,
                        &sanitize(&r.tags().collect::<Vec<_>>().join(","), false),
                    ),
                    app.out
                        .paint(Style::Dim, &sanitize(&app.place(cat.layer(r)), false)),
                ]
            })
            .collect();
        let text = table(&rows, app.out.tty);
        app.out.write(&text)?;
        Ok(())
    }
}
