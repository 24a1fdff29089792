//! The usage log, `$XDG_STATE_HOME/reply/usage.jsonl`: one line of JSON per
//! reply delivered to a person, saying when, which reply, from which library,
//! in which language, for which platform, public or private, and how it was
//! found. Never a value: no customer, order, message text or variable.
//!
//! A record is appended with one `write` on a file opened for appending, and
//! is far shorter than what the system writes in one piece, so processes that
//! append at once never interleave; they hold a shared lock, which compaction
//! takes exclusively, so no record goes to a file being replaced. Reading
//! takes no lock: a last line still being written is left for the next
//! reader. A damaged line is skipped and counted.
//!
//! Past [`BOUND`] bytes the log is compacted to at most [`TARGET`]: records
//! older than [`DETAIL_DAYS`] days become per-day counts, which keep every
//! figure `stats` and the ranking use (both count by day); if that is not
//! enough, newer records too; then the oldest days go.

mod compact;
mod line;

pub use compact::{Counts, compact, per_day};
pub use line::{Brief, Damage, Loaded, encode, parse, parse_brief};

use std::io::{self, Read, Seek, Write};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::util::{fs, lock};

/// The log's file name in the state folder.
pub const FILE: &str = "usage.jsonl";
/// Past this size an append compacts the log.
pub const BOUND: u64 = 2 << 20;
/// What compaction brings the log under.
pub const TARGET: u64 = 1 << 20;
/// Days (today included) whose records compaction keeps one by one, with their time.
pub const DETAIL_DAYS: u64 = 7;
/// The longest reply id or library name recorded.
pub const MAX_NAME: usize = 200;
const MAX_LANG: usize = 35;
const MAX_PLATFORM: usize = 64;
/// The longest line written or read: a quarter of PIPE_BUF (4096), the size
/// POSIX guarantees is written in one piece.
pub const MAX_LINE: usize = 1024;
/// Of a log that grew far past its bound (compaction failing every time),
/// only the end is read.
const READ_LIMIT: u64 = 4 * BOUND;
const LOCK_WAIT: Duration = Duration::from_secs(2);
const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// How the reply sent was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Found {
    /// Its exact id was typed.
    Id,
    /// The best match for a query (`reply refund`).
    Search,
    /// Chosen in the picker.
    Picker,
    /// Suggested for a customer's message.
    Suggest,
}

impl Found {
    pub const ALL: [Found; 4] = [Found::Id, Found::Search, Found::Picker, Found::Suggest];

    pub fn label(self) -> &'static str {
        match self {
            Found::Id => "id",
            Found::Search => "search",
            Found::Picker => "picker",
            Found::Suggest => "suggest",
        }
    }
}

/// How a reply was found, and where it stood in the list it was chosen from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct How {
    pub found: Found,
    /// 1 for the first result; `None` when there was no list (an exact id).
    pub rank: Option<u32>,
}

impl How {
    pub fn new(found: Found, rank: Option<u32>) -> How {
        How { found, rank }
    }
}

/// What was sent: the reply and what of it. Never a value. (As a team
/// export writes it; the log itself has shorter keys.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sent {
    pub id: String,
    /// The library's name (`Layer::name`): `user`, `starter`, a folder's name.
    pub library: String,
    pub lang: String,
    pub platform: Option<String>,
    pub public: bool,
    pub found: Found,
}

/// When: a record's local time, or the day of a per-day count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    At(NaiveDateTime),
    Day(NaiveDate),
}

impl When {
    pub fn day(self) -> NaiveDate {
        match self {
            When::At(t) => t.date(),
            When::Day(d) => d,
        }
    }
}

/// One line of the log: one delivery, a batch (`--each --record`), or a
/// day's count of the same delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Use {
    pub when: When,
    pub sent: Sent,
    /// How many messages (1 for one delivery).
    pub count: u32,
    /// For one delivery found in a list: its place there (1: the first).
    pub rank: Option<u32>,
    /// Of `count`, how many were found in a list, and how many of those first.
    pub ranked: u32,
    pub first: u32,
}

impl Use {
    /// `count` messages sent at `at`, found as `how` says (a rank only counts
    /// for one message: a batch was found once).
    pub fn at(at: NaiveDateTime, sent: Sent, how: How, count: u32) -> Use {
        let rank = how.rank.filter(|_| count == 1);
        Use {
            when: When::At(at),
            sent,
            count: count.max(1),
            rank,
            ranked: u32::from(rank.is_some()),
            first: u32::from(rank == Some(1)),
        }
    }
}

/// The usage log at `path`, with its bounds.
#[derive(Debug, Clone)]
pub struct Log {
    pub path: PathBuf,
    pub bound: u64,
    pub target: u64,
}

/// What an append did besides appending.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Appended {
    pub compacted: bool,
    /// Damaged lines compaction dropped.
    pub dropped: usize,
}

impl Log {
    pub fn new(path: PathBuf) -> Log {
        Log {
            path,
            bound: BOUND,
            target: TARGET,
        }
    }

    fn lock_path(&self) -> PathBuf {
        lock::beside(&self.path)
    }

    /// The log's text (its end, past [`READ_LIMIT`]), and whether that
    /// begins mid-file; nothing when there is no log yet.
    fn text(&self) -> io::Result<(Vec<u8>, bool)> {
        let mut file = match fs::open_regular(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), false)),
            Err(e) => return Err(e),
        };
        let len = file.metadata()?.len();
        let partial = len > READ_LIMIT;
        if partial {
            file.seek(io::SeekFrom::Start(len - READ_LIMIT))?;
        }
        let mut bytes = Vec::with_capacity(len.min(READ_LIMIT) as usize);
        file.take(READ_LIMIT).read_to_end(&mut bytes)?;
        Ok((bytes, partial))
    }

    /// Every record.
    pub fn read(&self) -> io::Result<Loaded> {
        let (bytes, partial) = self.text()?;
        Ok(parse(&bytes, partial))
    }

    /// What ranking needs of every record, given to `f`.
    pub fn read_brief(&self, f: impl FnMut(Brief<'_>)) -> io::Result<Damage> {
        let (bytes, partial) = self.text()?;
        Ok(parse_brief(&bytes, partial, f))
    }

    /// Appends `u` as one line; compacts the log if that takes it past its
    /// bound (`today` decides which days keep their detail).
    pub fn append(&self, u: &Use, today: NaiveDate) -> io::Result<Appended> {
        let line = encode(u)?;
        let lock_path = self.lock_path();
        let size = {
            let _shared = lock::Lock::shared(&lock_path, LOCK_WAIT)?;
            let mut file = open_append(&self.path)?;
            // A record is one `write`, so a log that does not end with a
            // line break was cut short (a crash, a full disk): start a line
            // of our own, or this record would be glued to the cut one and
            // lost with it. Two writers doing so leave an empty line, which
            // reading skips.
            let line = if ends_mid_line(&file)? {
                format!("\n{line}")
            } else {
                line
            };
            file.write_all(line.as_bytes())?;
            file.metadata()?.len()
        };
        if size <= self.bound {
            return Ok(Appended::default());
        }
        let _only = lock::Lock::exclusive(&lock_path, LOCK_WAIT)?;
        // Another process may have compacted it while this one waited.
        if std::fs::metadata(&self.path)?.len() <= self.bound {
            return Ok(Appended::default());
        }
        let loaded = self.read()?;
        let text = compact(&loaded.uses, today, self.target);
        fs::replace(&self.path, text.as_bytes())?;
        Ok(Appended {
            compacted: true,
            dropped: loaded.damage.lines,
        })
    }

    /// Empties the log; what it held.
    pub fn clear(&self) -> io::Result<Loaded> {
        let _only = lock::Lock::exclusive(&self.lock_path(), LOCK_WAIT)?;
        let loaded = self.read()?;
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(loaded),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(loaded),
            Err(e) => Err(e),
        }
    }
}

/// Whether the file's last byte is not a line break.
fn ends_mid_line(file: &std::fs::File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    let mut last = [0u8; 1];
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(&mut last, len - 1)?;
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        file.seek_read(&mut last, len - 1)?;
    }
    Ok(last[0] != b'\n')
}

/// The log opened for appending, created private to its owner; never a
/// named pipe or a device (the open does not block, the type is checked).
fn open_append(path: &std::path::Path) -> io::Result<std::fs::File> {
    let not_regular = |meta: &std::fs::Metadata| {
        io::Error::other(format!(
            "{} is {}, not a regular file",
            path.display(),
            fs::kind_of(meta)
        ))
    };
    // Said before the open, which for a named pipe fails with a less clear error.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(not_regular(&meta));
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::Days;

    use super::line::{Line, canonical, decode, parse_day, parse_time};
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        parse_time(s).unwrap()
    }

    fn sent(id: &str, found: Found) -> Sent {
        Sent {
            id: id.into(),
            library: "team".into(),
            lang: "en".into(),
            platform: Some("instagram".into()),
            public: false,
            found,
        }
    }

    #[test]
    fn a_record_reads_back_as_written_and_holds_no_value() {
        let u = Use::at(
            at("2026-11-25T09:30:05"),
            sent("order-delay", Found::Search),
            How::new(Found::Search, Some(2)),
            1,
        );
        let line = encode(&u).unwrap();
        assert_eq!(
            line,
            "{\"t\":\"2026-11-25T09:30:05\",\"id\":\"order-delay\",\"lib\":\"team\",\"lang\":\"en\",\
             \"platform\":\"instagram\",\"public\":false,\"found\":\"search\",\"rank\":2}\n"
        );
        let back = parse(line.as_bytes(), false);
        assert_eq!(back.uses, [u]);
        assert_eq!(back.damage, Damage::default());
    }

    #[test]
    fn damaged_and_unfinished_lines_are_told_apart() {
        let good = encode(&Use::at(
            at("2026-11-25T09:30:00"),
            sent("a", Found::Id),
            How::new(Found::Id, None),
            1,
        ))
        .unwrap();
        let text = format!(
            "{good}not json\n{good}{{\"t\":\"2026-11-25T09:30:00\",\"id\":\"a\"}}\n\n{good}{{\"t\":\"2026"
        );
        let l = parse(text.as_bytes(), false);
        assert_eq!(
            (l.uses.len(), l.damage.lines, l.damage.first),
            (3, 2, Some(2))
        );
        // Counts that do not add up are damage too.
        let bad = "{\"day\":\"2026-11-20\",\"n\":2,\"id\":\"a\",\"lib\":\"t\",\"lang\":\"en\",\
                   \"public\":false,\"found\":\"search\",\"ranked\":1,\"first\":2}\n";
        assert_eq!(parse(bad.as_bytes(), false).damage.lines, 1);
        // Read from the middle: the first piece is not a line.
        let l = parse(format!("ial\"}}\n{good}").as_bytes(), true);
        assert_eq!((l.uses.len(), l.damage.lines), (1, 0));
    }

    #[test]
    fn lines_read_by_hand_read_as_serde_reads_them() {
        let mut lines = Vec::new();
        for (when, count, rank, platform) in [
            (When::At(at("2026-11-25T09:30:05")), 1, Some(3), Some("x")),
            (When::At(at("2026-11-25T09:30:05")), 1, None, None),
            (When::At(at("2026-11-25T09:30:05")), 40, None, Some("sms")),
            (When::Day(parse_day("2026-11-02").unwrap()), 7, None, None),
        ] {
            for found in Found::ALL {
                let mut s = sent("order-delay", found);
                s.platform = platform.map(str::to_string);
                s.public = count == 7;
                s.library = "équipe".into();
                let mut u = Use::at(at("2026-11-25T09:30:05"), s, How::new(found, rank), count);
                u.when = when;
                if count == 7 {
                    (u.ranked, u.first) = (5, 2);
                }
                lines.push(encode(&u).unwrap());
            }
        }
        for line in &lines {
            let bytes = line.trim_end().as_bytes();
            let fast = canonical(bytes).expect("written by encode: read by hand");
            let slow: Line = serde_json::from_slice(bytes).unwrap();
            assert_eq!(
                serde_json::to_string(&fast).unwrap(),
                serde_json::to_string(&slow).unwrap()
            );
        }
        // Anything else goes to serde: keys in another order, spaces,
        // escapes, trailing text.
        for other in [
            r#"{"id":"a","t":"2026-11-25T09:30:05","lib":"t","lang":"en","public":false,"found":"id"}"#,
            r#"{"t": "2026-11-25T09:30:05","id":"a","lib":"t","lang":"en","public":false,"found":"id"}"#,
            r#"{"t":"2026-11-25T09:30:05","id":"a","lib":"t\u00e9","lang":"en","public":false,"found":"id"}"#,
            r#"{"t":"2026-11-25T09:30:05","id":"a","lib":"t","lang":"en","public":false,"found":"id"}x"#,
            r#"{"t":"2026-11-25T09:30:05","n":01,"id":"a","lib":"t","lang":"en","public":false,"found":"id"}"#,
        ] {
            assert!(canonical(other.as_bytes()).is_none(), "{other}");
        }
        let escaped = decode(br#"{"id":"a","t":"2026-11-25T09:30:05","lib":"t\u00e9","lang":"en","public":false,"found":"id"}"#);
        assert_eq!(escaped.unwrap().0.lib, "té");
    }

    #[test]
    fn names_past_the_bound_are_not_recorded() {
        let mut s = sent("a", Found::Id);
        s.library = "x".repeat(MAX_NAME + 1);
        let u = Use::at(at("2026-11-25T09:30:00"), s, How::new(Found::Id, None), 1);
        assert!(encode(&u).is_err());
    }

    /// The uses `each` makes for every one of the `days` days up to `today`.
    fn daily(today: NaiveDate, days: u64, each: impl Fn(NaiveDate, &mut Vec<Use>)) -> Vec<Use> {
        let mut uses = Vec::new();
        for back in 0..days {
            each(today.checked_sub_days(Days::new(back)).unwrap(), &mut uses);
        }
        uses
    }

    fn log_of(uses: &[Use]) -> String {
        uses.iter().map(|u| encode(u).unwrap()).collect()
    }

    /// Per-day totals of a log's text, which compaction must keep.
    fn totals(text: &str) -> BTreeMap<(NaiveDate, Sent), Counts> {
        per_day(&parse(text.as_bytes(), false).uses)
    }

    #[test]
    fn compaction_keeps_every_count_and_the_last_week_in_detail() {
        let today = parse_day("2026-11-25").unwrap();
        let uses = daily(today, 40, |d, uses| {
            for (i, id) in ["a", "b", "a"].iter().enumerate() {
                let t = d.and_hms_opt(9, i as u32, 0).unwrap();
                let how = How::new(Found::Search, Some(i as u32 + 1));
                uses.push(Use::at(t, sent(id, Found::Search), how, 1));
            }
        });
        let before = log_of(&uses);
        let after = compact(
            &parse(before.as_bytes(), false).uses,
            today,
            before.len() as u64,
        );
        assert!(after.len() < before.len());
        assert_eq!(totals(&before), totals(&after));
        let l = parse(after.as_bytes(), false);
        let detailed = l.uses.iter().filter(|u| matches!(u.when, When::At(_)));
        assert_eq!(detailed.count(), 3 * DETAIL_DAYS as usize);
        // Compacting again changes nothing.
        assert_eq!(compact(&l.uses, today, before.len() as u64), after);
    }

    #[test]
    fn compaction_respects_its_target_however_much_there_is() {
        let today = parse_day("2026-11-25").unwrap();
        let uses = daily(today, 30, |d, uses| {
            for r in 0..50 {
                let t = d.and_hms_opt(10, 0, 0).unwrap();
                let how = How::new(Found::Id, None);
                uses.push(Use::at(t, sent(&format!("r{r}"), Found::Id), how, r + 1));
            }
        });
        for target in [100_000u64, 20_000, 3_000, 500] {
            let text = compact(&uses, today, target);
            assert!(text.len() as u64 <= target, "{target}: {}", text.len());
            let kept = parse(text.as_bytes(), false);
            assert_eq!(kept.damage.lines, 0);
            // What is dropped first is the oldest days.
            if target >= 3_000 {
                assert!(kept.uses.iter().any(|u| u.when.day() == today), "{target}");
            }
        }
    }

    #[test]
    fn a_record_after_a_line_cut_short_is_kept_on_a_line_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let log = Log::new(dir.path().join(FILE));
        let today = parse_day("2026-11-25").unwrap();
        let u = |id: &str| {
            Use::at(
                today.and_hms_opt(12, 0, 0).unwrap(),
                sent(id, Found::Id),
                How::new(Found::Id, None),
                1,
            )
        };
        log.append(&u("a"), today).unwrap();
        // A crash in the middle of a write, by hand or by a full disk.
        let mut text = std::fs::read_to_string(&log.path).unwrap();
        text.push_str(r#"{"t":"2026-11-25T12:00:00","id":"cut"#);
        std::fs::write(&log.path, text).unwrap();
        log.append(&u("b"), today).unwrap();
        log.append(&u("c"), today).unwrap();
        let loaded = log.read().unwrap();
        let ids: Vec<&str> = loaded.uses.iter().map(|u| u.sent.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(loaded.damage.lines, 1, "the cut line alone is damaged");
    }

    #[test]
    fn appends_and_compacts_under_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = Log::new(dir.path().join(FILE));
        log.bound = 6_000;
        log.target = 4_000;
        let today = parse_day("2026-11-25").unwrap();
        let mut compactions = 0;
        for n in 0..200u64 {
            let d = today.checked_sub_days(Days::new(19 - n / 10)).unwrap();
            let u = Use::at(
                d.and_hms_opt(12, 0, 0).unwrap(),
                sent("a", Found::Id),
                How::new(Found::Id, None),
                1,
            );
            let r = log.append(&u, d).unwrap();
            compactions += usize::from(r.compacted);
            assert!(std::fs::metadata(&log.path).unwrap().len() <= log.bound);
        }
        assert!(compactions > 0);
        let total: u32 = log.read().unwrap().uses.iter().map(|u| u.count).sum();
        assert_eq!(total, 200);
        let cleared = log.clear().unwrap();
        assert_eq!(cleared.uses.iter().map(|u| u.count).sum::<u32>(), 200);
        assert!(log.read().unwrap().uses.is_empty());
    }
}
