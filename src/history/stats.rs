//! What `reply stats` tells from the usage log: the replies sent most, by
//! platform, language, public or private, how they were found (and how often
//! the first result was the one sent), and the replies never sent. Also the
//! export a lead merges across a team: per-day counts only, no time finer
//! than a day, no agent's name unless they give one; exports are other
//! people's files, so every field is checked before it is counted.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::usage::{Counts, Found, MAX_NAME, Sent, Use, When, per_day};

/// Per-day counts, by day and what was sent.
pub type PerDay = BTreeMap<(NaiveDate, Sent), Counts>;

/// The start of `--since TEXT` before `now`: a duration (`7d`, `12h`, `2w`)
/// or a day (`2026-11-01`, from its midnight).
pub fn since(text: &str, now: NaiveDateTime) -> Option<NaiveDateTime> {
    if let Ok(day) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return day.and_hms_opt(0, 0, 0);
    }
    let d = crate::util::units::parse_duration(text)?;
    now.checked_sub_signed(chrono::TimeDelta::from_std(d).ok()?)
}

/// The per-day counts of the uses since `start` (all without one). A
/// record counts when its time is in the period; a day's count when its day is.
pub fn per_day_since(uses: &[Use], start: Option<NaiveDateTime>, today: NaiveDate) -> PerDay {
    per_day(uses.iter().filter(|u| {
        // A period ends today: records after it (a clock set back, or
        // `--now` in the past) are not in it.
        u.when.day() <= today
            && match (start, u.when) {
                (None, _) => true,
                (Some(s), When::At(t)) => t >= s,
                (Some(s), When::Day(d)) => d >= s.date(),
            }
    }))
}

/// How often a reply was sent.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReplyCount {
    pub id: String,
    pub library: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlatformCount {
    /// `None`: rendered for no platform in particular.
    pub platform: Option<String>,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LangCount {
    pub lang: String,
    pub count: u64,
}

/// How replies were found: by each way, how many were sent, how many of
/// those were chosen from a list, and how many of those were its first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FoundCount {
    pub how: Found,
    pub count: u64,
    pub ranked: u64,
    pub first: u64,
}

/// A library's replies that were not sent in the period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Unsent {
    pub library: String,
    /// How many replies the library has in effect.
    pub replies: usize,
    pub never_sent: Vec<String>,
}

/// The statistics of a period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// The first and last day counted.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sent: u64,
    pub most_sent: Vec<ReplyCount>,
    pub by_platform: Vec<PlatformCount>,
    pub by_lang: Vec<LangCount>,
    pub public: u64,
    pub private: u64,
    pub found: Vec<FoundCount>,
    pub never_sent: Vec<Unsent>,
}

/// Largest count first, then by name.
fn ranked<K: Ord>(m: HashMap<K, u64>) -> Vec<(K, u64)> {
    let mut v: Vec<(K, u64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

impl Report {
    /// The report of `days` over `from..=to`. `libraries`: each library in
    /// use, by name, with the ids of its replies in effect, for the replies
    /// never sent.
    pub fn of(
        days: &PerDay,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        libraries: &[(String, Vec<String>)],
    ) -> Report {
        let mut replies: HashMap<(&str, &str), u64> = HashMap::new();
        let mut platforms: HashMap<Option<&str>, u64> = HashMap::new();
        let mut langs: HashMap<&str, u64> = HashMap::new();
        let mut found: BTreeMap<Found, (u64, u64, u64)> = BTreeMap::new();
        let (mut public, mut private) = (0u64, 0u64);
        for ((_, s), c) in days {
            let n = u64::from(c.count);
            *replies.entry((&s.id, &s.library)).or_default() += n;
            *platforms.entry(s.platform.as_deref()).or_default() += n;
            *langs.entry(&s.lang).or_default() += n;
            let f = found.entry(s.found).or_default();
            f.0 += n;
            f.1 += u64::from(c.ranked);
            f.2 += u64::from(c.first);
            if s.public {
                public += n;
            } else {
                private += n;
            }
        }
        let sent_ids: BTreeSet<&str> = days.keys().map(|(_, s)| s.id.as_str()).collect();
        Report {
            from,
            to,
            sent: public + private,
            most_sent: ranked(replies)
                .into_iter()
                .map(|((id, library), count)| ReplyCount {
                    id: id.to_string(),
                    library: library.to_string(),
                    count,
                })
                .collect(),
            by_platform: ranked(platforms)
                .into_iter()
                .map(|(p, count)| PlatformCount {
                    platform: p.map(str::to_string),
                    count,
                })
                .collect(),
            by_lang: ranked(langs)
                .into_iter()
                .map(|(l, count)| LangCount {
                    lang: l.to_string(),
                    count,
                })
                .collect(),
            public,
            private,
            found: Found::ALL
                .iter()
                .map(|&how| {
                    let (count, ranked, first) = found.get(&how).copied().unwrap_or_default();
                    FoundCount {
                        how,
                        count,
                        ranked,
                        first,
                    }
                })
                .collect(),
            never_sent: libraries
                .iter()
                .map(|(library, ids)| Unsent {
                    library: library.clone(),
                    replies: ids.len(),
                    never_sent: ids
                        .iter()
                        .filter(|id| !sent_ids.contains(id.as_str()))
                        .cloned()
                        .collect(),
                })
                .collect(),
        }
    }
}

/// What `--export` writes, and `--merge` reads.
pub const EXPORT_FORMAT: &str = "reply-stats";
pub const EXPORT_VERSION: u32 = 1;

/// An export: per-day counts, the agent's name only if they gave it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub agent: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub counts: Vec<ExportCount>,
}

/// One day's count of one kind of delivery.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExportCount {
    pub day: NaiveDate,
    pub sent: Sent,
    pub count: u32,
    pub ranked: u32,
    pub first: u32,
}

impl Export {
    pub fn new(days: &PerDay, agent: Option<String>, from: NaiveDate, to: NaiveDate) -> Export {
        Export {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            agent,
            from,
            to,
            counts: days
                .iter()
                .map(|((day, s), c)| ExportCount {
                    day: *day,
                    sent: s.clone(),
                    count: c.count,
                    ranked: c.ranked,
                    first: c.first,
                })
                .collect(),
        }
    }

    /// Adds the export's counts to `days`.
    pub fn add_to(&self, days: &mut PerDay) {
        for c in &self.counts {
            days.entry((c.day, c.sent.clone()))
                .or_default()
                .add(Counts {
                    count: c.count,
                    ranked: c.ranked,
                    first: c.first,
                });
        }
    }
}

/// A name from someone else's file: not empty, not too long, nothing that
/// could drive a terminal.
pub fn check_name(what: &str, name: &str, max: usize) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if name.len() > max {
        return Err(format!("{what} is longer than {max} bytes"));
    }
    if name.chars().any(char::is_control) {
        return Err(format!("{what} holds control characters"));
    }
    Ok(())
}

/// Reads an export, checking every field; the error says where, for a
/// message that names the file.
pub fn read_export(text: &str) -> Result<Export, String> {
    let head: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("not JSON (line {}, column {}): {e}", e.line(), e.column()))?;
    let format = head.get("format").and_then(|f| f.as_str());
    if format != Some(EXPORT_FORMAT) {
        return Err("not a `reply stats --export` file (no \"format\": \"reply-stats\")".into());
    }
    match head.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(EXPORT_VERSION) => {}
        Some(v) if v > u64::from(EXPORT_VERSION) => {
            return Err(format!(
                "made by a newer reply (export version {v}; this one reads {EXPORT_VERSION})"
            ));
        }
        _ => return Err("its \"version\" is missing or not one reply wrote".into()),
    }
    let export: Export = serde_json::from_value(head).map_err(|e| e.to_string())?;
    if export.from > export.to {
        return Err(format!(
            "its period runs backwards (from {} to {})",
            export.from, export.to
        ));
    }
    if let Some(a) = &export.agent {
        check_name("the agent's name", a, MAX_NAME)?;
    }
    for (i, c) in export.counts.iter().enumerate() {
        let at = |e: String| format!("counts[{i}]: {e}");
        if c.day < export.from || c.day > export.to {
            return Err(at(format!(
                "day {} is outside the export's period ({} to {})",
                c.day, export.from, export.to
            )));
        }
        let s = &c.sent;
        check_name("the id", &s.id, MAX_NAME).map_err(at)?;
        check_name("the library", &s.library, MAX_NAME).map_err(at)?;
        check_name("the language", &s.lang, 35).map_err(at)?;
        if let Some(p) = &s.platform {
            check_name("the platform", p, 64).map_err(at)?;
        }
        if c.count == 0 || c.ranked > c.count || c.first > c.ranked {
            return Err(at(format!(
                "the counts do not add up (count {}, ranked {}, first {}): \
                 need 0 < count, ranked <= count, first <= ranked",
                c.count, c.ranked, c.first
            )));
        }
    }
    Ok(export)
}

/// The day `n` days before `day` (for periods), never before the calendar starts.
pub fn days_before(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(n)).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::usage::How;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn sent(id: &str, platform: Option<&str>, public: bool, found: Found) -> Sent {
        Sent {
            id: id.into(),
            library: "team".into(),
            lang: if id == "b" { "es" } else { "en" }.into(),
            platform: platform.map(str::to_string),
            public,
            found,
        }
    }

    fn sample() -> Vec<Use> {
        vec![
            Use::at(
                t("2026-11-25T09:00"),
                sent("a", Some("x"), false, Found::Search),
                How::new(Found::Search, Some(1)),
                1,
            ),
            Use::at(
                t("2026-11-25T09:05"),
                sent("a", Some("x"), false, Found::Search),
                How::new(Found::Search, Some(2)),
                1,
            ),
            Use::at(
                t("2026-11-20T09:00"),
                sent("b", None, true, Found::Id),
                How::new(Found::Id, None),
                1,
            ),
            Use::at(
                t("2026-10-01T09:00"),
                sent("c", None, false, Found::Id),
                How::new(Found::Id, None),
                1,
            ),
        ]
    }

    #[test]
    fn a_period_ends_today() {
        let days = per_day_since(&sample(), None, t("2026-10-31T10:00").date());
        let total: u32 = days.values().map(|c| c.count).sum();
        assert_eq!(
            total, 1,
            "only the October record is before that day: {days:?}"
        );
    }

    #[test]
    fn a_report_counts_every_way() {
        let now = t("2026-11-25T10:00");
        let start = since("30d", now).unwrap();
        let days = per_day_since(&sample(), Some(start), now.date());
        let libs = vec![(
            "team".to_string(),
            vec![
                "a".to_string(),
                "b".to_string(),
                "c".to_string(),
                "d".to_string(),
            ],
        )];
        let r = Report::of(&days, Some(start.date()), Some(now.date()), &libs);
        assert_eq!(r.sent, 3);
        assert_eq!(r.most_sent[0].id, "a");
        assert_eq!(r.most_sent[0].count, 2);
        assert_eq!((r.public, r.private), (1, 2));
        assert_eq!(r.by_platform[0].platform.as_deref(), Some("x"));
        assert_eq!(r.by_lang[1].lang, "es");
        let search = r.found.iter().find(|f| f.how == Found::Search).unwrap();
        assert_eq!((search.count, search.ranked, search.first), (2, 2, 1));
        assert_eq!(r.never_sent[0].never_sent, ["c", "d"]);
    }

    #[test]
    fn since_takes_durations_and_days() {
        let now = t("2026-11-25T10:00");
        assert_eq!(since("7d", now), Some(t("2026-11-18T10:00")));
        assert_eq!(since("2026-11-01", now), Some(t("2026-11-01T00:00")));
        assert_eq!(since("soon", now), None);
    }

    #[test]
    fn an_export_reads_back_and_merges() {
        let days = per_day_since(&sample(), None, t("2026-11-25T10:00").date());
        let from = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let e = Export::new(&days, Some("Ana".into()), from, to);
        let text = serde_json::to_string(&e).unwrap();
        assert!(!text.contains("09:0"), "no time finer than a day: {text}");
        let back = read_export(&text).unwrap();
        assert_eq!(back, e);
        let mut merged = PerDay::new();
        back.add_to(&mut merged);
        back.add_to(&mut merged);
        let r = Report::of(&merged, None, None, &[]);
        assert_eq!(r.sent, 8);
    }

    #[test]
    fn a_bad_export_says_what_is_wrong() {
        let days = per_day_since(
            &sample(),
            Some(t("2026-11-01T00:00")),
            t("2026-11-25T10:00").date(),
        );
        let from = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let good = serde_json::to_value(Export::new(&days, None, from, to)).unwrap();
        assert!(read_export(&good.to_string()).is_ok());
        let cases: Vec<(serde_json::Value, &str)> = vec![
            (
                serde_json::json!({"format": "x"}),
                "not a `reply stats --export` file",
            ),
            (
                {
                    let mut v = good.clone();
                    v["counts"][0]["day"] = "2026-10-01".into();
                    v
                },
                "counts[0]: day 2026-10-01 is outside the export's period",
            ),
            (
                {
                    let mut v = good.clone();
                    v["version"] = 9.into();
                    v
                },
                "newer reply",
            ),
            (
                {
                    let mut v = good.clone();
                    v["counts"][0]["first"] = 7.into();
                    v
                },
                "counts[0]: the counts do not add up",
            ),
            (
                {
                    let mut v = good.clone();
                    v["counts"][1]["sent"]["id"] = "\u{1b}]52;c;x\u{7}".into();
                    v
                },
                "counts[1]: the id holds control characters",
            ),
            (
                {
                    let mut v = good.clone();
                    v["spy"] = true.into();
                    v
                },
                "unknown field `spy`",
            ),
        ];
        for (v, want) in cases {
            let e = read_export(&v.to_string()).unwrap_err();
            assert!(e.contains(want), "{want}: {e}");
        }
        assert!(
            read_export("{")
                .unwrap_err()
                .starts_with("not JSON (line 1")
        );
    }
}
