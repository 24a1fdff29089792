//! Staleness: which git libraries were last synced longer ago than their
//! `sync_every`, the one-line note `list`, `search` and `render` print about
//! them, and, with `auto_sync = true`, starting one detached background
//! `reply sync` for them: at most once per interval, however many commands
//! run meanwhile, and never waited for.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;

use super::state::{self, State};
use super::{Spec, Team, status};
use crate::util::lock::Lock;

/// With `auto_sync` on and no `sync_every`, a library is synced at most this often.
pub const AUTO_DEFAULT: Duration = Duration::from_secs(86_400);

/// A library due for a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub name: String,
    pub path: PathBuf,
    /// Its last sync; `None`: never (or not cloned yet).
    pub last: Option<NaiveDateTime>,
    pub every: Duration,
    /// The incoming revision its last sync refused, if it did.
    pub refused: Option<String>,
}

/// How often `spec` should be synced, if at all.
fn interval(spec: &Spec, team: &Team) -> Option<Duration> {
    spec.sync_every.or(team.auto_sync.then_some(AUTO_DEFAULT))
}

/// The git libraries of `specs` last synced longer ago than their interval
/// (or never), as of `now`. Costs a read of one small file and a few
/// `stat`s, and nothing at all when no library has an interval.
pub fn overdue(specs: &[Spec], team: &Team, now: NaiveDateTime) -> Vec<Due> {
    let wanted: Vec<(&Spec, Duration)> = specs
        .iter()
        .filter_map(|s| interval(s, team).map(|i| (s, i)))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let st = team.state.as_deref().map(State::load).unwrap_or_default();
    wanted
        .into_iter()
        .filter(|(s, _)| {
            // A clone still to make, or a checkout: plain folders are never stale.
            (s.url.is_some() && !s.path.exists()) || status::in_checkout(&s.path)
        })
        .filter_map(|(s, every)| {
            let rec = st.get(&s.path);
            let last = rec
                .and_then(|r| r.synced.as_deref())
                .and_then(state::parse_time);
            let due = last.is_none_or(|t| state::age(t, now) >= every);
            due.then(|| Due {
                name: s.name.clone(),
                path: s.path.clone(),
                last,
                every,
                refused: rec.and_then(|r| r.refused.clone()),
            })
        })
        .collect()
}

/// "3 days", "5 hours", "12 minutes": how long, roughly, as people say it.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    // A whole number of a unit in that unit ("1 day"), else the largest
    // unit that makes two or more ("36 hours", not "1 day").
    let whole = |u: u64| s >= u && s.is_multiple_of(u);
    let (n, unit) = match s {
        s if s >= 2 * 86_400 || whole(86_400) => (s / 86_400, "day"),
        s if s >= 2 * 3600 || whole(3600) => (s / 3600, "hour"),
        s if s >= 120 || whole(60) => (s / 60, "minute"),
        s => (s, "second"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// The note about `due` libraries: one line. `background`: a sync of them
/// was just started.
pub fn note(due: &[Due], now: NaiveDateTime, background: bool) -> Option<String> {
    let first = due.first()?;
    let names: Vec<&str> = due.iter().map(|d| d.name.as_str()).collect();
    let names = match names.as_slice() {
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => return None,
    };
    let when = match (due.len(), first.last) {
        (1, Some(t)) => format!("was last synced {} ago", human(state::age(t, now))),
        (1, None) => "has not been synced yet".to_string(),
        _ => format!(
            "were last synced more than {} ago",
            human(due.iter().map(|d| d.every).min().unwrap_or(first.every))
        ),
    };
    let refused = due
        .iter()
        .find_map(|d| d.refused.as_deref().map(|r| (d.name.as_str(), r)))
        .map(|(n, r)| {
            format!(
                "; {n}'s last sync refused revision {} (it has errors)",
                super::sync::short(r)
            )
        })
        .unwrap_or_default();
    let what = if background {
        "syncing in the background".to_string()
    } else {
        "run `reply sync`".to_string()
    };
    Some(format!("{names} {when}{refused}: {what}"))
}

/// What starting a background sync needs.
pub struct Launch<'a> {
    /// The `reply` binary.
    pub exe: &'a Path,
    /// Arguments before the library names: `sync --background --quiet --now …`.
    pub args: Vec<String>,
}

/// Starts one detached `reply sync` for the libraries of `due` that no
/// background sync was started for within their interval. Returns the
/// libraries it was started for (none when another process is deciding the
/// same thing right now, or all were started lately).
pub fn start_background(
    due: &[Due],
    team: &Team,
    now: NaiveDateTime,
    launch: &Launch<'_>,
) -> std::io::Result<Vec<String>> {
    let Some(dir) = team.state.as_deref() else {
        return Ok(Vec::new());
    };
    std::fs::create_dir_all(dir)?;
    // Whoever holds this lock decides; the others go on with their command.
    let Ok(_decider) = Lock::exclusive(&dir.join(".auto-sync.lock"), Duration::ZERO) else {
        return Ok(Vec::new());
    };
    let st = State::load(dir);
    let names: Vec<&Due> = due
        .iter()
        .filter(|d| {
            st.get(&d.path)
                .and_then(|r| r.started.as_deref())
                .and_then(state::parse_time)
                .is_none_or(|t| state::age(t, now) >= d.every)
        })
        .collect();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut c = std::process::Command::new(launch.exe);
    c.args(&launch.args)
        .arg("--")
        .args(names.iter().map(|d| d.name.as_str()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // Its own session: a Ctrl-C meant for this command does not reach it,
    // and git in it can never ask anything on the terminal.
    super::git::detach(&mut c);
    let child = c.spawn()?;
    let pid = child.id();
    // Not waited for: it outlives this command, and is reparented when this exits.
    drop(child);
    let keys: Vec<String> = names.iter().map(|d| state::key(&d.path)).collect();
    state::update(dir, |s| {
        for k in keys {
            let rec = s.libraries.entry(k).or_default();
            rec.started = Some(state::time(now));
            rec.pid = Some(pid);
        }
    })?;
    Ok(names.iter().map(|d| d.name.clone()).collect())
}

/// A background sync's test pause (`REPLY_TEST_PAUSE_SYNC=DIR`): it says it
/// started (`DIR/started-PID`), then waits for `DIR/go`, a minute at most.
pub fn pause(dir: &Path) {
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(dir.join(format!("started-{}", std::process::id())), b"");
    let until = std::time::Instant::now() + Duration::from_secs(60);
    while !dir.join("go").exists() && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        state::parse_time(s).unwrap()
    }

    fn due(name: &str, last: Option<&str>) -> Due {
        Due {
            name: name.into(),
            path: PathBuf::from(name),
            last: last.map(t),
            every: Duration::from_secs(86_400),
            refused: None,
        }
    }

    #[test]
    fn the_note_is_one_line_for_any_number_of_libraries() {
        let now = t("2026-11-25T09:30:00");
        assert_eq!(
            note(&[due("acme", Some("2026-11-22T09:00:00"))], now, false).as_deref(),
            Some("acme was last synced 3 days ago: run `reply sync`")
        );
        assert_eq!(
            note(&[due("acme", None)], now, true).as_deref(),
            Some("acme has not been synced yet: syncing in the background")
        );
        let mut b = due("brand", Some("2026-11-20T09:00:00"));
        b.refused = Some("8c9d7e6aaaa".into());
        assert_eq!(
            note(&[due("acme", None), due("x", None), b], now, false).as_deref(),
            Some(
                "acme, x and brand were last synced more than 1 day ago; brand's last sync refused revision 8c9d7e6 (it has errors): run `reply sync`"
            )
        );
        assert_eq!(note(&[], now, false), None);
    }

    #[test]
    fn ages_read_as_people_say_them() {
        assert_eq!(human(Duration::from_secs(30)), "30 seconds");
        assert_eq!(human(Duration::from_secs(3 * 60)), "3 minutes");
        assert_eq!(human(Duration::from_secs(5 * 3600)), "5 hours");
        assert_eq!(human(Duration::from_secs(86_400)), "1 day");
        assert_eq!(human(Duration::from_secs(86_400 + 60)), "24 hours");
        assert_eq!(human(Duration::from_secs(3 * 86_400 + 5)), "3 days");
    }
}
