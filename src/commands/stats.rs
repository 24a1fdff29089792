//! `reply stats [--since WHEN] [--json]`: what the usage log says of a period
//! (30 days by default); `--export [--as NAME]` prints its per-day counts for
//! a lead, `--merge FILE…` reports on several agents' exports together.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::history::{note_if_off, since_flag};
use super::{App, JSON_VERSION, Run, usage};
use crate::cli::StatsArgs;
use crate::deliver::{Style, table};
use crate::diag::{Diagnostic, Error, Result};
use crate::history::stats::{
    Export, PerDay, Report, check_name, days_before, per_day_since, read_export,
};
use crate::history::usage::MAX_NAME;
use crate::util::escape::sanitize;
use crate::util::units::plural;

/// The largest export read: far above a year of a busy agent's counts.
const MAX_EXPORT: u64 = 16 << 20;
/// Replies listed by name in the human report, per list.
const SHOWN: usize = 10;

/// Whose counts a merged report holds.
struct Merged {
    files: usize,
    agents: Vec<Option<String>>,
}

impl Run for StatsArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let today = app.settings.clock.now.date();
        let start = match since_flag(app, self.since.as_deref())? {
            Some(s) => Some(s),
            None if self.merge.is_empty() => Some(
                days_before(today, 29)
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default(),
            ),
            None => None,
        };
        let (days, from, to, merged) = if self.merge.is_empty() {
            let loaded = usage::read(app);
            let days = per_day_since(&loaded.uses, start, today);
            (days, start.map(|s| s.date()), today, None)
        } else {
            let exports = read_exports(app, &self.merge)?;
            let mut days = PerDay::new();
            for e in &exports {
                e.add_to(&mut days);
            }
            if let Some(s) = start {
                days.retain(|(d, _), _| *d >= s.date());
            }
            let first = exports.iter().map(|e| e.from).min();
            let from = match (start, first) {
                (Some(s), Some(f)) => Some(s.date().max(f)),
                (s, f) => s.map(|s| s.date()).or(f),
            };
            let to = exports.iter().map(|e| e.to).max().unwrap_or(today);
            let agents = exports.iter().map(|e| e.agent.clone()).collect();
            let merged = Merged {
                files: exports.len(),
                agents,
            };
            (days, from, to, Some(merged))
        };
        if self.export {
            let agent = match &self.agent {
                Some(a) => {
                    check_name("the name given to --as", a, MAX_NAME).map_err(Error::usage)?;
                    Some(a.clone())
                }
                None => None,
            };
            return app.json(&Export::new(&days, agent, from.unwrap_or(to), to));
        }
        let cat = app.catalog(false)?;
        let mut libraries: Vec<(String, Vec<String>)> = Vec::new();
        for e in &cat.entries {
            let name = cat.layer(e).name();
            match libraries.iter_mut().find(|(n, _)| *n == name) {
                Some((_, ids)) => ids.push(e.id().to_string()),
                None => libraries.push((name, vec![e.id().to_string()])),
            }
        }
        let report = Report::of(&days, from, Some(to), &libraries);
        if self.json {
            let body = serde_json::to_value(&report)
                .map_err(|e| Error::data(format!("cannot encode JSON: {e}")))?;
            // `version` first, as in every other document.
            let mut v = serde_json::json!({ "version": JSON_VERSION });
            if let (Some(out), serde_json::Value::Object(fields)) = (v.as_object_mut(), body) {
                out.extend(fields);
            }
            v["exports"] = match &merged {
                Some(m) => serde_json::json!({ "files": m.files, "agents": m.agents }),
                None => serde_json::Value::Null,
            };
            return app.json(&v);
        }
        if merged.is_none() {
            note_if_off(app);
        }
        let text = human(app, &report, merged.as_ref());
        app.out.write(&text)?;
        Ok(())
    }
}

/// The exports named, each read and checked; an error names the file.
fn read_exports(app: &mut App<'_>, files: &[std::path::PathBuf]) -> Result<Vec<Export>> {
    let mut seen = BTreeSet::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for f in files {
        let name = sanitize(&app.settings.show_path(f), false);
        if let Ok(real) = std::fs::canonicalize(f)
            && !seen.insert(real)
        {
            return Err(Error::usage(format!("{name} is given twice to --merge"))
                .hint("each agent's export counts once"));
        }
        let text = crate::util::fs::read_regular(f, MAX_EXPORT)
            .map_err(|e| Error::data(format!("cannot read the export {name}: {e}")))?;
        let export = read_export(&text).map_err(|e| {
            Error::data(format!("{name}: {}", sanitize(&e, false)))
                .hint("--merge reads the files `reply stats --export` writes")
        })?;
        // Two agents' exports are alike only when they sent the very same
        // replies on the same days: more often a copy, so say it, and count
        // both (the lead knows which it is).
        if let Some((other, _)) = texts.iter().find(|(_, t)| *t == text) {
            app.out.diagnostic(
                &Diagnostic::warning(
                    "stats-merge",
                    format!(
                        "{name} is the same export as {other}, byte for byte: both are counted"
                    ),
                )
                .hint("leave one out if it is a copy"),
            );
        }
        texts.push((name, text));
        out.push(export);
    }
    Ok(out)
}

/// `a, b, c and 4 more`.
fn some_of(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(SHOWN)
        .map(|i| sanitize(i, false))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        s.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    s
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".into();
    }
    format!("{:.0}%", 100.0 * part as f64 / whole as f64)
}

fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) if f == t => format!("on {f}"),
        (Some(f), Some(t)) => format!("from {f} to {t}"),
        (None, Some(t)) => format!("up to {t}"),
        _ => String::new(),
    }
}

/// The report as people read it.
fn human(app: &App<'_>, r: &Report, merged: Option<&Merged>) -> String {
    let mut out = String::new();
    if let Some(m) = merged {
        let named: Vec<String> = m
            .agents
            .iter()
            .flatten()
            .map(|a| sanitize(a, false))
            .collect();
        let unnamed = m.agents.len() - named.len();
        let mut who = named.join(", ");
        if unnamed > 0 {
            if !who.is_empty() {
                who.push_str(" and ");
            }
            who.push_str(&format!("{unnamed} unnamed"));
        }
        out.push_str(&format!(
            "{} ({who})\n",
            plural(m.files as u64, "export", "exports")
        ));
    }
    out.push_str(&format!(
        "{} sent {}\n",
        plural(r.sent, "message", "messages"),
        period(r.from, r.to)
    ));
    let head = |t: &str| format!("\n{}\n", app.out.paint(Style::Bold, t));
    if !r.most_sent.is_empty() {
        out.push_str(&head("Most sent"));
        let rows: Vec<Vec<String>> = r
            .most_sent
            .iter()
            .take(SHOWN)
            .map(|c| {
                vec![
                    format!("  {}", app.out.paint(Style::Id, &sanitize(&c.id, false))),
                    c.count.to_string(),
                    app.out.paint(Style::Dim, &sanitize(&c.library, false)),
                ]
            })
            .collect();
        out.push_str(&table(&rows, true));
        if r.most_sent.len() > SHOWN {
            out.push_str(&format!(
                "  and {} more (--json lists them all)\n",
                r.most_sent.len() - SHOWN
            ));
        }
        let join = |items: Vec<String>| items.join(", ");
        let found_rows: Vec<Vec<String>> = vec![
            vec![
                "By platform".into(),
                join(
                    r.by_platform
                        .iter()
                        .map(|p| {
                            let name = p.platform.as_deref().unwrap_or("none");
                            format!("{} {}", sanitize(name, false), p.count)
                        })
                        .collect(),
                ),
            ],
            vec![
                "By language".into(),
                join(
                    r.by_lang
                        .iter()
                        .map(|l| format!("{} {}", sanitize(&l.lang, false), l.count))
                        .collect(),
                ),
            ],
            vec![
                "Public/private".into(),
                format!("{} public, {} private", r.public, r.private),
            ],
            vec![
                "How found".into(),
                join(
                    r.found
                        .iter()
                        .filter(|f| f.count > 0)
                        .map(|f| format!("{} {}", f.how.label(), f.count))
                        .collect(),
                ),
            ],
            vec![
                "First result sent".into(),
                join(
                    r.found
                        .iter()
                        .filter(|f| f.ranked > 0)
                        .map(|f| {
                            format!(
                                "{} {} of {} ({})",
                                f.how.label(),
                                f.first,
                                f.ranked,
                                percent(f.first, f.ranked)
                            )
                        })
                        .collect(),
                ),
            ],
        ];
        out.push('\n');
        let kept: Vec<Vec<String>> = found_rows
            .into_iter()
            .filter(|r| !r[1].is_empty())
            .collect();
        out.push_str(&table(&kept, true));
    }
    let unsent: Vec<Vec<String>> = r
        .never_sent
        .iter()
        .filter(|u| !u.never_sent.is_empty())
        .map(|u| {
            vec![
                format!("  {}", sanitize(&u.library, false)),
                format!(
                    "{} of {}: {}",
                    u.never_sent.len(),
                    u.replies,
                    some_of(&u.never_sent)
                ),
            ]
        })
        .collect();
    if !unsent.is_empty() {
        out.push_str(&head("Never sent"));
        out.push_str(&table(&unsent, true));
    }
    out
}
