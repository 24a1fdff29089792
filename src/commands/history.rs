//! `reply history [--since WHEN] [--json]`: the usage log, oldest first:
//! when, which reply, from which library, in which language, for which
//! platform, public or private, and how it was found. `--clear` empties it.

use serde::Serialize;

use super::{App, JSON_VERSION, Run, usage};
use crate::cli::HistoryArgs;
use crate::deliver::{Style, table};
use crate::diag::{Error, Result};
use crate::history::stats;
use crate::history::usage::{Found, Use, When};
use crate::util::escape::sanitize;

#[derive(Serialize)]
struct Item<'a> {
    /// `None` for a day's count (older records, compacted).
    time: Option<String>,
    day: String,
    count: u32,
    id: &'a str,
    library: &'a str,
    lang: &'a str,
    platform: Option<&'a str>,
    public: bool,
    found: Found,
    rank: Option<u32>,
    ranked: u32,
    first: u32,
}

/// The start of the period `--since` gives, checked.
pub(super) fn since_flag(
    app: &App<'_>,
    text: Option<&str>,
) -> Result<Option<chrono::NaiveDateTime>> {
    let Some(text) = text else {
        return Ok(None);
    };
    stats::since(text, app.settings.clock.now)
        .map(Some)
        .ok_or_else(|| {
            Error::usage(format!("--since {} is not a period", sanitize(text, false)))
                .hint("write a duration (7d, 12h, 2w) or a day (2026-11-01)")
        })
}

/// A note on stderr when recording is off, so an empty history is no mystery.
pub(super) fn note_if_off(app: &mut App<'_>) {
    if let Err(why) = app.settings.history {
        app.out.info(&format!(
            "Recording is off: {why} (`reply history` shows what was kept)"
        ));
    }
}

/// How it was found, as people read it: `search #2`, `id`, `picker (3 of 5 first)`.
fn how(u: &Use) -> String {
    let found = u.sent.found.label();
    match (u.rank, u.ranked) {
        (Some(r), _) => format!("{found} #{r}"),
        (None, 0) => found.to_string(),
        (None, ranked) => format!("{found} ({} of {ranked} first)", u.first),
    }
}

impl Run for HistoryArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let Some(log) = usage::log(app) else {
            return Err(Error::usage("there is no folder to keep the history in")
                .hint("set HOME or XDG_STATE_HOME"));
        };
        let shown = sanitize(&app.settings.show_path(&log.path), false);
        if self.clear {
            let cleared = log
                .clear()
                .map_err(|e| Error::data(format!("cannot clear the usage history {shown}: {e}")))?;
            let n: u64 = cleared.uses.iter().map(|u| u64::from(u.count)).sum();
            app.out.info(&format!(
                "Cleared the usage history: {n} message{} ({shown})",
                if n == 1 { "" } else { "s" }
            ));
            return Ok(());
        }
        let start = since_flag(app, self.since.as_deref())?;
        let loaded = usage::read(app);
        let mut uses: Vec<&Use> = loaded
            .uses
            .iter()
            .filter(|u| match (start, u.when) {
                (None, _) => true,
                (Some(s), When::At(t)) => t >= s,
                (Some(s), When::Day(d)) => d >= s.date(),
            })
            .collect();
        // A day's count first, then that day's records in their order.
        uses.sort_by_key(|u| (u.when.day(), matches!(u.when, When::At(_))));
        if self.json {
            let items: Vec<Item> = uses
                .iter()
                .map(|u| Item {
                    time: match u.when {
                        When::At(t) => Some(t.format("%Y-%m-%dT%H:%M:%S").to_string()),
                        When::Day(_) => None,
                    },
                    day: u.when.day().to_string(),
                    count: u.count,
                    id: &u.sent.id,
                    library: &u.sent.library,
                    lang: &u.sent.lang,
                    platform: u.sent.platform.as_deref(),
                    public: u.sent.public,
                    found: u.sent.found,
                    rank: u.rank,
                    ranked: u.ranked,
                    first: u.first,
                })
                .collect();
            return app.json(&serde_json::json!({
                "version": JSON_VERSION,
                "recording": app.settings.history.is_ok(),
                "records": items,
            }));
        }
        note_if_off(app);
        if uses.is_empty() {
            app.out.info(if start.is_some() {
                "Nothing was recorded in that period"
            } else {
                "The usage history is empty"
            });
            return Ok(());
        }
        // A column of counts only when some record counts more than one.
        let counts = uses.iter().any(|u| u.count != 1);
        let rows: Vec<Vec<String>> = uses
            .iter()
            .map(|u| {
                let when = match u.when {
                    When::At(t) => t.format("%Y-%m-%d %H:%M").to_string(),
                    When::Day(d) => d.to_string(),
                };
                let count = match u.count {
                    1 => String::new(),
                    n => format!("{n}×"),
                };
                let mut row = vec![when];
                if counts {
                    row.push(count);
                }
                row.extend([
                    app.out.paint(Style::Id, &sanitize(&u.sent.id, false)),
                    app.out.paint(Style::Dim, &sanitize(&u.sent.library, false)),
                    sanitize(&u.sent.lang, false),
                    sanitize(u.sent.platform.as_deref().unwrap_or("-"), false),
                    if u.sent.public { "public" } else { "private" }.to_string(),
                    how(u),
                ]);
                row
            })
            .collect();
        let text = table(&rows, app.out.tty);
        app.out.write(&text)?;
        Ok(())
    }
}
