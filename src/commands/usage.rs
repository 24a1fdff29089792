//! The usage log as the commands use it: recording a message that reached a
//! person, and reading the frecency ranking needs. Neither ever fails a
//! command: a log that cannot be written or read is a warning at most, and
//! a damaged one is told once a run.

use std::sync::atomic::{AtomicBool, Ordering};

use super::App;
use crate::compose::Job;
use crate::diag::Diagnostic;
use crate::history::Frecency;
use crate::history::usage::{Damage, How, Loaded, Log, Sent, Use};
use crate::library::{Catalog, Part};
use crate::util::escape::sanitize;

/// Whether this run has told of damage in the log: once is enough.
static TOLD: AtomicBool = AtomicBool::new(false);

/// The usage log, wherever the settings put it.
pub fn log(app: &App<'_>) -> Option<Log> {
    app.settings.usage_log.clone().map(Log::new)
}

fn shown(app: &App<'_>, log: &Log) -> String {
    sanitize(&app.settings.show_path(&log.path), false)
}

/// Says, once a run, that lines of the log were skipped (or dropped).
fn tell_damage(app: &mut App<'_>, log: &Log, damage: Damage, dropped: bool) {
    let Damage {
        lines: damaged,
        first,
    } = damage;
    if damaged == 0 || TOLD.swap(true, Ordering::Relaxed) {
        return;
    }
    let (lines, were) = if damaged == 1 {
        ("line", "was")
    } else {
        ("lines", "were")
    };
    let at = first.map_or(String::new(), |n| format!(" (the first at line {n})"));
    let what = if dropped {
        format!("{were} dropped when it was compacted")
    } else {
        format!("could not be read and {were} skipped")
    };
    app.out.diagnostic(
        &Diagnostic::warning(
            "usage-log",
            format!(
                "{damaged} {lines} of the usage log {}{at} {what}",
                shown(app, log)
            ),
        )
        .hint("the rest of the history is used; `reply history --clear` empties it"),
    );
}

/// Everything in the log (nothing when there is none, or it cannot be read).
pub fn read(app: &mut App<'_>) -> Loaded {
    let Some(log) = log(app) else {
        return Loaded::default();
    };
    match log.read() {
        Ok(loaded) => {
            tell_damage(app, &log, loaded.damage, false);
            loaded
        }
        Err(e) => {
            cannot_read(app, &log, &e);
            Loaded::default()
        }
    }
}

fn cannot_read(app: &mut App<'_>, log: &Log, e: &std::io::Error) {
    let where_ = shown(app, log);
    app.out
        .warn(&format!("warning: cannot read the usage log {where_}: {e}"));
}

/// The frecency of `cat`'s replies, for ranking; none when history is off.
pub fn frecency(app: &mut App<'_>, cat: &Catalog) -> Frecency {
    if app.settings.history.is_err() {
        return Frecency::default();
    }
    let Some(log) = log(app) else {
        return Frecency::default();
    };
    match Frecency::read(&log, app.settings.clock.now.date(), cat) {
        Ok((used, damage)) => {
            tell_damage(app, &log, damage, false);
            used
        }
        Err(e) => {
            cannot_read(app, &log, &e);
            Frecency::default()
        }
    }
}

/// What was sent when `job` rendered: the reply and what of it, never a value.
pub fn sent(job: &Job, how: How) -> Sent {
    let layer = job
        .lib
        .files
        .get(job.reply.file)
        .and_then(|f| job.lib.layers.get(f.layer));
    Sent {
        id: job.reply.id.clone(),
        library: layer.map_or_else(|| "starter".into(), |l| l.name()),
        lang: job.variant.lang.clone(),
        platform: job.platform.as_ref().map(|p| p.name.clone()),
        public: job.part == Part::Public,
        found: how.found,
    }
}

/// Records `count` messages of `job` (found as `how` says) in the usage log,
/// unless history is off. A failure is a warning: the message went out.
pub fn record(app: &mut App<'_>, job: &Job, how: How, count: u32) {
    if app.settings.history.is_err() || count == 0 {
        return;
    }
    let Some(log) = log(app) else {
        return;
    };
    let now = app.settings.clock.now;
    let u = Use::at(now, sent(job, how), how, count);
    match log.append(&u, now.date()) {
        Ok(done) => {
            let damage = Damage {
                lines: done.dropped,
                first: None,
            };
            tell_damage(app, &log, damage, true);
        }
        Err(e) => {
            let where_ = shown(app, &log);
            app.out.warn(&format!(
                "warning: could not record `{}` in the usage log {where_}: {e}",
                sanitize(&job.reply.id, false)
            ));
        }
    }
}
