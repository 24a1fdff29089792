//! Compaction: records past the days kept in detail become per-day counts,
//! so the log stays under its bound and keeps every figure stats and the
//! ranking use.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use super::*;

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
