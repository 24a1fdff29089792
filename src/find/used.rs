//! How use nudges a ranking. The ranked list is cut into bands of replies
//! that match about equally well; within a band, the replies sent more
//! (their frecency, `history::frecency`) come first, and the ranking's own
//! order stays for equal frecency (so without history nothing moves). A
//! reply never leaves its band: use never lifts a worse match over a
//! better one, nor a reply that does not match at all into the list.

use super::fuzzy::Hit;
use crate::history::Frecency;

/// How far below the best of its band a search hit may score and still be
/// in it: a tenth (the same word at another place in a title, say).
const SEARCH_BAND: i64 = 10;
/// The same for suggestions (scores between 0 and 1): a twentieth.
pub const SUGGEST_BAND: f64 = 0.05;

/// Reorders `items` (best first) within bands. A band starts at the first
/// item not yet in one and takes the items after it for which
/// `same_band(start, item)` holds, up to the first for which it does not.
pub fn nudge<T>(items: &mut [T], same_band: impl Fn(&T, &T) -> bool, used: impl Fn(&T) -> f64) {
    let mut start = 0;
    while start < items.len() {
        let mut end = start + 1;
        while end < items.len() && same_band(&items[start], &items[end]) {
            end += 1;
        }
        if end - start > 1 {
            // Stable: equal frecency keeps the ranking's order.
            items[start..end].sort_by(|a, b| used(b).total_cmp(&used(a)));
        }
        start = end;
    }
}

/// Search hits, best first, nudged by use: a band holds hits whose words
/// matched in the same kinds of field (id or title, tags, text), as many of
/// them spelt out whole, and whose scores are within a tenth of its best.
pub fn nudge_hits(hits: &mut [Hit], used: &Frecency) {
    if used.is_empty() {
        return;
    }
    nudge(
        hits,
        |top, h| {
            let (tier, skim) = top.quality();
            let (other_tier, other) = h.quality();
            tier == other_tier && other >= skim - skim.max(0) / SEARCH_BAND
        },
        |h| used.get(h.index),
    );
}

/// `items` with the most used first and the others in their order: for a
/// list where all match alike (the picker before a word is typed, `list
/// --sort used`).
pub fn most_used_first<T>(items: &mut [T], used: impl Fn(&T) -> f64) {
    nudge(items, |_, _| true, used);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator: the test needs many cases, not a crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// (tier, score, frecency)
    type Item = (u8, i64, f64);

    #[test]
    fn use_reorders_only_within_a_band_of_near_equal_matches() {
        let mut rng = Lcg(7);
        for _ in 0..2_000 {
            let n = 1 + rng.next(12) as usize;
            let mut items: Vec<Item> = (0..n)
                .map(|_| {
                    (
                        rng.next(3) as u8,
                        rng.next(300) as i64,
                        rng.next(4) as f64 * 2.5,
                    )
                })
                .collect();
            // Ranked as search ranks: tier first, then score.
            items.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
            let before = items.clone();
            nudge(
                &mut items,
                |top, x| top.0 == x.0 && x.1 >= top.1 - top.1 / SEARCH_BAND,
                |x| x.2,
            );
            for i in 0..n {
                for j in i + 1..n {
                    let (a, b) = (items[i], items[j]);
                    // Above a better match only within its tier, and within a tenth.
                    let better_below = b.0 > a.0 || (b.0 == a.0 && b.1 > a.1);
                    assert!(
                        !better_below || (a.0 == b.0 && a.1 >= b.1 - b.1 / SEARCH_BAND),
                        "{before:?} became {items:?}"
                    );
                }
            }
            let key = |x: &Item| (x.0, x.1, x.2.to_bits());
            let (mut after, mut was) = (items.clone(), before.clone());
            after.sort_by_key(key);
            was.sort_by_key(key);
            assert_eq!(after, was, "nothing added or lost");
        }
    }

    #[test]
    fn without_use_nothing_moves_and_the_most_used_lead_a_band() {
        let mut items: Vec<Item> = vec![(1, 100, 0.0), (1, 95, 3.0), (1, 91, 9.0), (1, 80, 50.0)];
        let band = |top: &Item, x: &Item| top.0 == x.0 && x.1 >= top.1 - top.1 / SEARCH_BAND;
        let mut none = items.clone();
        nudge(&mut none, band, |_| 0.0);
        assert_eq!(none, items);
        nudge(&mut items, band, |x| x.2);
        // 80 is more than a tenth below 100: its own band, whatever its use.
        assert_eq!(
            items,
            [(1, 91, 9.0), (1, 95, 3.0), (1, 100, 0.0), (1, 80, 50.0)]
        );
        let mut all = vec![(0, 1, 1.0), (0, 2, 0.0), (0, 3, 5.0)];
        most_used_first(&mut all, |x| x.2);
        assert_eq!(all, [(0, 3, 5.0), (0, 1, 1.0), (0, 2, 0.0)]);
    }
}
