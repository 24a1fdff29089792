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

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Read, Seek, Write};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{Days, NaiveDate, NaiveDateTime};
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

/// A log line as written: short keys, the optional ones left out.
/// Times, days and platforms are borrowed from the text read (they never
/// need escaping; see [`encode`]): an allocation each per line took a
/// third of the time of reading a log.
#[derive(Serialize, Deserialize)]
struct Line<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
    t: Option<&'a str>,
    #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
    day: Option<&'a str>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    n: u32,
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    lib: Cow<'a, str>,
    #[serde(borrow)]
    lang: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
    platform: Option<&'a str>,
    public: bool,
    found: Found,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rank: Option<u32>,
    #[serde(default, skip_serializing_if = "is_zero")]
    ranked: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    first: u32,
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The line for `u`, its end included; an error when it cannot be recorded
/// (a name too long, or one that is empty).
pub fn encode(u: &Use) -> io::Result<String> {
    let s = &u.sent;
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, what.to_string());
    if !fits(&s.id, MAX_NAME) {
        return Err(bad("the reply id is too long to record"));
    }
    if !fits(&s.library, MAX_NAME) {
        return Err(bad("the library's name is too long to record"));
    }
    let plain = |p: &str| {
        fits(p, MAX_PLATFORM) && !p.chars().any(|c| c == '"' || c == '\\' || c.is_control())
    };
    if !fits(&s.lang, MAX_LANG) || !s.platform.as_deref().is_none_or(plain) {
        return Err(bad("the language or platform name cannot be recorded"));
    }
    let (t, day) = match u.when {
        When::At(at) => (Some(at.format(TIME_FORMAT).to_string()), None),
        When::Day(d) => (None, Some(d.format("%Y-%m-%d").to_string())),
    };
    let single = matches!(u.when, When::At(_)) && u.count == 1;
    let line = Line {
        t: t.as_deref(),
        day: day.as_deref(),
        n: u.count,
        id: Cow::Borrowed(&s.id),
        lib: Cow::Borrowed(&s.library),
        lang: Cow::Borrowed(&s.lang),
        platform: s.platform.as_deref(),
        public: s.public,
        found: s.found,
        rank: u.rank.filter(|_| single),
        // One delivery's rank says both.
        ranked: if single { 0 } else { u.ranked },
        first: if single { 0 } else { u.first },
    };
    let mut text = serde_json::to_string(&line).map_err(io::Error::other)?;
    text.push('\n');
    if text.len() > MAX_LINE {
        return Err(bad("the record is too long"));
    }
    Ok(text)
}

fn fits(name: &str, max: usize) -> bool {
    !name.is_empty() && name.len() <= max
}

/// `2026-11-25T09:30:05`, as the log writes it. By hand: chrono's general
/// parser took half the time of reading a log.
fn parse_time(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |at: usize| number(&b[at..at + 2]);
    parse_day(&s[..10])?.and_hms_opt(n(11)?, n(14)?, n(17)?)
}

/// `2026-11-25`.
fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(number(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..10])?)
}

/// Digits as a number; `None` for anything else.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

/// A line read back, checked, still borrowing the text; `None` when it is
/// damaged: not JSON, a field missing or out of range, counts that do not
/// add up.
fn decode(bytes: &[u8]) -> Option<(Line<'_>, When)> {
    if bytes.len() > MAX_LINE {
        return None;
    }
    let l: Line = match canonical(bytes) {
        Some(l) => l,
        None => serde_json::from_slice(bytes).ok()?,
    };
    let when = match (&l.t, &l.day) {
        (Some(t), None) => When::At(parse_time(t)?),
        (None, Some(d)) => When::Day(parse_day(d)?),
        _ => return None,
    };
    let single = matches!(when, When::At(_)) && l.n == 1;
    let ok = l.n >= 1
        && fits(&l.id, MAX_NAME)
        && fits(&l.lib, MAX_NAME)
        && fits(&l.lang, MAX_LANG)
        && l.platform.is_none_or(|p| fits(p, MAX_PLATFORM))
        && l.rank.is_none_or(|r| r >= 1 && single)
        && l.first <= l.ranked
        && l.ranked <= l.n
        && (!single || l.ranked == 0);
    ok.then_some((l, when))
}

/// A line exactly as [`encode`] writes it (its keys in that order, strings
/// with nothing escaped), read by hand; `None` for anything else, which
/// serde then reads. A third of the time of serde for the lines of a log.
fn canonical(line: &[u8]) -> Option<Line<'_>> {
    // Checked once: the strings taken from it end at ASCII quotes.
    let s = std::str::from_utf8(line).ok()?;
    let b = s.as_bytes();
    let mut c = Cursor { s, b, at: 0 };
    c.expect(b"{")?;
    let (mut t, mut day) = (None, None);
    if c.key(b"t") {
        t = Some(c.text()?);
    } else if c.key(b"day") {
        day = Some(c.text()?);
    } else {
        return None;
    }
    let n = if c.key(b"n") { c.number()? } else { 1 };
    let id = c.field(b"id")?;
    let lib = c.field(b"lib")?;
    let lang = c.field(b"lang")?;
    let platform = if c.key(b"platform") {
        Some(c.text()?)
    } else {
        None
    };
    if !c.key(b"public") {
        return None;
    }
    let public = c.boolean()?;
    let found = match c.field(b"found")? {
        "id" => Found::Id,
        "search" => Found::Search,
        "picker" => Found::Picker,
        "suggest" => Found::Suggest,
        _ => return None,
    };
    let rank = if c.key(b"rank") {
        Some(c.number()?)
    } else {
        None
    };
    let ranked = if c.key(b"ranked") { c.number()? } else { 0 };
    let first = if c.key(b"first") { c.number()? } else { 0 };
    c.expect(b"}")?;
    (c.at == b.len()).then_some(Line {
        t,
        day,
        n,
        id: Cow::Borrowed(id),
        lib: Cow::Borrowed(lib),
        lang: Cow::Borrowed(lang),
        platform,
        public,
        found,
        rank,
        ranked,
        first,
    })
}

/// Where [`canonical`] is in a line.
struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn expect(&mut self, s: &[u8]) -> Option<()> {
        self.b[self.at..].starts_with(s).then(|| self.at += s.len())
    }

    /// `"KEY":` (after a comma unless it is the first), taken only if there.
    fn key(&mut self, key: &[u8]) -> bool {
        let comma = usize::from(self.at > 1);
        let rest = &self.b[self.at..];
        let fits = rest.len() >= comma + key.len() + 3
            && (comma == 0 || rest[0] == b',')
            && rest[comma] == b'"'
            && &rest[comma + 1..comma + 1 + key.len()] == key
            && &rest[comma + 1 + key.len()..comma + 3 + key.len()] == b"\":";
        if fits {
            self.at += comma + key.len() + 3;
        }
        fits
    }

    fn field(&mut self, key: &[u8]) -> Option<&'a str> {
        if self.key(key) { self.text() } else { None }
    }

    /// A string with nothing escaped in it.
    fn text(&mut self) -> Option<&'a str> {
        self.expect(b"\"")?;
        let rest = &self.b[self.at..];
        let end = rest
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
        if rest[end] != b'"' {
            return None;
        }
        let text = self.s.get(self.at..self.at + end)?;
        self.at += end + 1;
        Some(text)
    }

    fn number(&mut self) -> Option<u32> {
        let rest = &self.b[self.at..];
        let len = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        // A leading zero is not JSON: serde decides.
        if len == 0 || len > 9 || (len > 1 && rest[0] == b'0') {
            return None;
        }
        self.at += len;
        number(&rest[..len])
    }

    fn boolean(&mut self) -> Option<bool> {
        if self.expect(b"true").is_some() {
            Some(true)
        } else {
            self.expect(b"false").map(|()| false)
        }
    }
}

/// The record a checked line holds.
fn owned(l: Line, when: When) -> Use {
    let single = matches!(when, When::At(_)) && l.n == 1;
    let (ranked, first) = if single {
        (u32::from(l.rank.is_some()), u32::from(l.rank == Some(1)))
    } else {
        (l.ranked, l.first)
    };
    Use {
        when,
        sent: Sent {
            id: l.id.into_owned(),
            library: l.lib.into_owned(),
            lang: l.lang.into_owned(),
            platform: l.platform.map(str::to_string),
            public: l.public,
            found: l.found,
        },
        count: l.n,
        rank: l.rank,
        ranked,
        first,
    }
}

/// Lines that could not be read, skipped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Damage {
    pub lines: usize,
    /// The first of them (1-based), when the whole file was read.
    pub first: Option<usize>,
}

/// What a read of the log found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// In the order of the file.
    pub uses: Vec<Use>,
    pub damage: Damage,
}

/// What ranking needs of a record, borrowed from the text read: reading a
/// log for frecency allocates nothing per line.
#[derive(Debug, Clone, Copy)]
pub struct Brief<'a> {
    pub id: &'a str,
    pub day: NaiveDate,
    pub count: u32,
}

/// Calls `f` with every record of `bytes` that can be read. `partial_start`:
/// the text begins mid-file, so its first line is only the end of one.
fn visit<'a>(bytes: &'a [u8], partial_start: bool, mut f: impl FnMut(Line<'a>, When)) -> Damage {
    let mut damage = Damage::default();
    // The text after the last line end is a record still being written, or
    // nothing: never damage.
    let Some(end) = bytes.iter().rposition(|&b| b == b'\n') else {
        return damage;
    };
    let mut lines = bytes[..end].split(|&b| b == b'\n').enumerate();
    if partial_start {
        lines.next();
    }
    for (i, line) in lines {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match decode(line) {
            Some((l, when)) => f(l, when),
            None => {
                damage.lines += 1;
                if !partial_start && damage.first.is_none() {
                    damage.first = Some(i + 1);
                }
            }
        }
    }
    damage
}

/// Every record in `bytes` (see [`visit`]).
pub fn parse(bytes: &[u8], partial_start: bool) -> Loaded {
    let mut uses = Vec::new();
    let damage = visit(bytes, partial_start, |l, when| uses.push(owned(l, when)));
    Loaded { uses, damage }
}

/// What ranking needs of every record in `bytes` (see [`visit`]).
pub fn parse_brief(bytes: &[u8], partial_start: bool, mut f: impl FnMut(Brief<'_>)) -> Damage {
    visit(bytes, partial_start, |l, when| {
        f(Brief {
            id: &l.id,
            day: when.day(),
            count: l.n,
        })
    })
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

/// A day's count of one kind of delivery.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub count: u32,
    pub ranked: u32,
    pub first: u32,
}

impl Counts {
    pub fn of(u: &Use) -> Counts {
        Counts {
            count: u.count,
            ranked: u.ranked,
            first: u.first,
        }
    }

    pub fn add(&mut self, o: Counts) {
        self.count = self.count.saturating_add(o.count);
        self.ranked = self.ranked.saturating_add(o.ranked).min(self.count);
        self.first = self.first.saturating_add(o.first).min(self.ranked);
    }
}

/// Per-day counts of every use, keyed by day and what was sent.
pub fn per_day<'a>(uses: impl IntoIterator<Item = &'a Use>) -> BTreeMap<(NaiveDate, Sent), Counts> {
    let mut days: BTreeMap<(NaiveDate, Sent), Counts> = BTreeMap::new();
    for u in uses {
        days.entry((u.when.day(), u.sent.clone()))
            .or_default()
            .add(Counts::of(u));
    }
    days
}

/// The compacted log: per-day counts of the records before `detail_from`
/// (all of them when `None`), then the later records as they were.
fn with_detail_from(uses: &[Use], detail_from: Option<NaiveDate>) -> Vec<Use> {
    let detailed =
        |u: &&Use| matches!(u.when, When::At(_)) && detail_from.is_some_and(|d| u.when.day() >= d);
    let counted = per_day(uses.iter().filter(|u| !detailed(u)));
    let mut out: Vec<Use> = counted
        .into_iter()
        .map(|((day, sent), c)| Use {
            when: When::Day(day),
            sent,
            count: c.count,
            rank: None,
            ranked: c.ranked,
            first: c.first,
        })
        .collect();
    out.extend(uses.iter().filter(detailed).cloned());
    out
}

/// The text of a log holding `uses`, at most `target` bytes: see the module.
pub fn compact(uses: &[Use], today: NaiveDate, target: u64) -> String {
    let week = today.checked_sub_days(Days::new(DETAIL_DAYS - 1));
    let render = |list: &[Use]| -> Vec<(NaiveDate, u32, String)> {
        list.iter()
            .filter_map(|u| encode(u).ok().map(|l| (u.when.day(), u.count, l)))
            .collect()
    };
    let size = |lines: &[(NaiveDate, u32, String)]| -> u64 {
        lines.iter().map(|l| l.2.len() as u64).sum()
    };
    for detail_from in [week, Some(today)] {
        let lines = render(&with_detail_from(uses, detail_from));
        if size(&lines) <= target {
            return lines.into_iter().map(|l| l.2).collect();
        }
    }
    // Every record as a day's count, oldest day first.
    let lines = render(&with_detail_from(uses, None));
    let mut total = size(&lines);
    let newest = lines.iter().map(|l| l.0).max();
    let mut start = 0;
    while total > target && lines.get(start).is_some_and(|l| Some(l.0) < newest) {
        total -= lines[start].2.len() as u64;
        start += 1;
    }
    let mut kept: Vec<(usize, &(NaiveDate, u32, String))> =
        lines[start..].iter().enumerate().collect();
    if total > target {
        // One day's counts alone are too many: the largest stay.
        kept.sort_by_key(|(i, l)| (std::cmp::Reverse(l.1), *i));
        let mut room = target;
        kept.retain(|(_, l)| {
            let n = l.2.len() as u64;
            let fits = n <= room;
            if fits {
                room -= n;
            }
            fits
        });
        kept.sort_by_key(|(i, _)| *i);
    }
    kept.into_iter().map(|(_, l)| l.2.clone()).collect()
}

#[cfg(test)]
mod tests {
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
