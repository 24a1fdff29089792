//! Frecency: how much a reply is used, recent uses weighing more, as zoxide
//! ranks folders. Each message sent counts with a weight for its age in
//! days (today 4, the 6 days before 2, then 1 up to a month, 0.5 up to three
//! months, 0.25 after); a reply's frecency is the sum. Ages count whole days,
//! so the per-day counts of a compacted log give exactly the same scores.
//! Replies are known by id: the one in effect is the one that was sent.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::usage::{Damage, Log, Use};
use crate::library::Catalog;

/// What one message sent `age` days ago (0: today) adds to its reply's frecency.
pub fn weight(age: i64) -> f64 {
    match age {
        // A clock set back makes a use look newer than today: it is today's.
        ..=0 => 4.0,
        1..=6 => 2.0,
        7..=29 => 1.0,
        30..=89 => 0.5,
        _ => 0.25,
    }
}

/// Each reply's frecency, by id.
pub fn by_id(uses: &[Use], today: NaiveDate) -> HashMap<&str, f64> {
    let mut scores: HashMap<&str, f64> = HashMap::new();
    for u in uses {
        let age = (today - u.when.day()).num_days();
        *scores.entry(u.sent.id.as_str()).or_default() += f64::from(u.count) * weight(age);
    }
    scores
}

/// The frecency of the replies of one catalog, by their place in its
/// entries; 0 for a reply never sent.
#[derive(Debug, Clone, Default)]
pub struct Frecency {
    by_entry: HashMap<usize, f64>,
}

impl Frecency {
    pub fn of(uses: &[Use], today: NaiveDate, cat: &Catalog) -> Frecency {
        Frecency {
            by_entry: by_id(uses, today)
                .into_iter()
                .filter_map(|(id, s)| Some((cat.position(id)?, s)))
                .collect(),
        }
    }

    /// The frecency in `log`, read without keeping its records; with the
    /// lines that could not be read.
    pub fn read(log: &Log, today: NaiveDate, cat: &Catalog) -> std::io::Result<(Frecency, Damage)> {
        let mut by_entry: HashMap<usize, f64> = HashMap::new();
        let damage = log.read_brief(|b| {
            if let Some(entry) = cat.position(b.id) {
                let age = (today - b.day).num_days();
                *by_entry.entry(entry).or_default() += f64::from(b.count) * weight(age);
            }
        })?;
        Ok((Frecency { by_entry }, damage))
    }

    /// Scores given directly (for tests and benchmarks).
    pub fn from_scores(scores: impl IntoIterator<Item = (usize, f64)>) -> Frecency {
        Frecency {
            by_entry: scores.into_iter().collect(),
        }
    }

    pub fn get(&self, entry: usize) -> f64 {
        self.by_entry.get(&entry).copied().unwrap_or(0.0)
    }

    pub fn is_empty(&self) -> bool {
        self.by_entry.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::usage::{Found, How, Sent, Use, When};

    fn used(id: &str, day: &str, count: u32) -> Use {
        let sent = Sent {
            id: id.into(),
            library: "team".into(),
            lang: "en".into(),
            platform: None,
            public: false,
            found: Found::Id,
        };
        let mut u = Use::at(
            NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            sent,
            How::new(Found::Id, None),
            count,
        );
        if count > 1 {
            u.when = When::Day(u.when.day());
        }
        u
    }

    #[test]
    fn recent_uses_weigh_more_and_counts_add_up() {
        let today = NaiveDate::parse_from_str("2026-11-25", "%Y-%m-%d").unwrap();
        let uses = [
            used("daily", "2026-11-25", 1),
            used("daily", "2026-11-24", 1),
            used("old-staple", "2026-08-01", 30),
            used("future", "2026-11-30", 1),
        ];
        let s = by_id(&uses, today);
        assert_eq!(s["daily"], 4.0 + 2.0);
        assert_eq!(s["old-staple"], 30.0 * 0.25);
        assert_eq!(s["future"], 4.0);
        // The same messages counted per day score the same.
        let one_by_one: Vec<Use> = (0..30)
            .map(|_| used("old-staple", "2026-08-01", 1))
            .collect();
        assert_eq!(by_id(&one_by_one, today)["old-staple"], 30.0 * 0.25);
    }

    #[test]
    fn weights_fall_with_age() {
        let w: Vec<f64> = [0, 1, 6, 7, 29, 30, 89, 90, 400]
            .iter()
            .map(|&d| weight(d))
            .collect();
        assert_eq!(w, [4.0, 2.0, 2.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25]);
    }
}
