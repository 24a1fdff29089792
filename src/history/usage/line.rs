//! One line of the usage log: written with the keys short and the optional
//! ones left out, read by hand for the lines `encode` writes (serde for any
//! other), damaged lines counted and skipped.

use std::borrow::Cow;
use std::io;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::*;

/// A log line as written: short keys, the optional ones left out.
/// Times, days and platforms are borrowed from the text read (they never
/// need escaping; see [`encode`]): an allocation each per line took a
/// third of the time of reading a log.
#[derive(Serialize, Deserialize)]
pub(super) struct Line<'a> {
    #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
    pub(super) t: Option<&'a str>,
    #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
    pub(super) day: Option<&'a str>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub(super) n: u32,
    #[serde(borrow)]
    pub(super) id: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) lib: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) lang: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
    pub(super) platform: Option<&'a str>,
    pub(super) public: bool,
    pub(super) found: Found,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rank: Option<u32>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(super) ranked: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(super) first: u32,
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
pub(super) fn parse_time(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |at: usize| number(&b[at..at + 2]);
    parse_day(&s[..10])?.and_hms_opt(n(11)?, n(14)?, n(17)?)
}

/// `2026-11-25`.
pub(super) fn parse_day(s: &str) -> Option<NaiveDate> {
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
pub(super) fn decode(bytes: &[u8]) -> Option<(Line<'_>, When)> {
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
pub(super) fn canonical(line: &[u8]) -> Option<Line<'_>> {
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
