//! Ranking with the usage history: near-equal matches ordered by use, the
//! same order as before without history, and a much-used reply that matches
//! worse (or not at all) never lifted over a better match.

use super::{searched, send};
use crate::support::*;

/// Two equally good matches for `refund`, then one in tags, one in the text,
/// one that does not match.
const EQUALS: &str = r#"
[refund-issued]
title = "Refund issued: when the money arrives"
body = "Your money is on its way back to your card."

[partial-refund]
title = "Partial refund for a damaged item"
body = "We have sent part of your payment back."

[late-parcel]
title = "Late parcel"
tags = ["refund"]
body = "Sorry, the carrier is late."

[exchange]
title = "Exchange an item"
body = "If you prefer a refund instead, tell us."

[thanks]
title = "Thanks for your message"
body = "Thank you, we are glad to help."
"#;

/// The best match for `refund` (`refund-issued`), and worse ones: letters
/// scattered in the id and title (which skim scores within 5 % of it), the
/// word only in a title, only in tags, only in the text; one not at all.
const WORSE: &str = r#"
[refund-issued]
title = "Refund issued: when the money arrives"
body = "Your money is on its way back to your card."

[reopen-fund]
title = "Reopen a fund request"
body = "Your request is open again."

[money-back]
title = "Refund processed"
body = "Done."

[late-parcel]
title = "Late parcel"
tags = ["refund"]
body = "Sorry, the carrier is late."

[exchange]
title = "Exchange an item"
body = "If you prefer a refund instead, tell us."

[thanks]
title = "Thanks for your message"
body = "Thank you, we are glad to help."
"#;

fn sandbox(lib: &str) -> Sandbox {
    let s = Sandbox::new();
    s.library_file("lib.toml", lib);
    s
}

#[test]
fn near_equal_matches_are_ordered_by_use_recent_use_weighing_more() {
    let s = sandbox(EQUALS);
    let plain = ["refund-issued", "partial-refund", "late-parcel", "exchange"];
    assert_eq!(searched(&s, "refund", &[]), plain);
    s.run()
        .arg("refund")
        .stderr_contains("Rendering `refund-issued`")
        .success();

    // Sent three times 24 days ago: it now comes first among equals, and
    // only there; a query's best match follows.
    for _ in 0..3 {
        s.run()
            .args(["render", "partial-refund", "--print", "--record"])
            .env("REPLY_NOW", "2026-11-01T10:00")
            .success();
    }
    let used = ["partial-refund", "refund-issued", "late-parcel", "exchange"];
    assert_eq!(searched(&s, "refund", &[]), used);
    s.run()
        .arg("refund")
        .stderr_contains("Rendering `partial-refund`")
        .success();
    let v = s
        .run()
        .args(["search", "refund", "--json"])
        .success()
        .json();
    assert_eq!(
        v["results"][0]["frecency"], 3.0,
        "3 × 1 (a week to a month old)"
    );
    assert_eq!(v["results"][1]["frecency"], 0.0);
    assert!(v["results"][0]["score"].as_i64() < v["results"][1]["score"].as_i64());

    // Once today outweighs three times three weeks ago (4 > 3).
    send(&s, "refund-issued", 1);
    assert_eq!(searched(&s, "refund", &[]), plain);
    // Deterministic with --now: seen from a day when both are old alike.
    assert_eq!(
        searched(&s, "refund", &[("REPLY_NOW", "2027-06-01T09:00")]),
        used,
        "3 × 0.25 against 1 × 0.25"
    );
    let later = s
        .run()
        .args(["--now", "2027-06-01T09:00", "search", "refund"])
        .success();
    assert_eq!(ids(&later.stdout), used, "--now is REPLY_NOW");
}

#[test]
fn a_much_used_reply_never_rises_above_a_better_match() {
    let s = sandbox(WORSE);
    let plain = searched(&s, "refund", &[]);
    assert_eq!(
        plain,
        [
            "refund-issued",
            "reopen-fund",
            "money-back",
            "late-parcel",
            "exchange"
        ]
    );
    for id in [
        "reopen-fund",
        "money-back",
        "late-parcel",
        "exchange",
        "thanks",
    ] {
        send(&s, id, 50);
    }
    // Every one of them used fifty times today, the best match never: the
    // order stays, and the reply that does not match stays out.
    assert_eq!(searched(&s, "refund", &[]), plain);
    s.run()
        .args(["refund", "--print"])
        .stdout("Your money is on its way back to your card.")
        .stderr_contains("Rendering `refund-issued`")
        .success();
    let v = s
        .run()
        .args(["search", "refund", "--json"])
        .success()
        .json();
    assert_eq!(v["results"][1]["id"], "reopen-fund");
    assert_eq!(v["results"][1]["frecency"], 200.0);
    // Where every reply matches alike (no query), use decides.
    let listed = ids(&s.run().args(["list", "--sort", "used"]).success().stdout);
    assert_eq!(
        listed,
        [
            "reopen-fund",
            "money-back",
            "late-parcel",
            "exchange",
            "thanks",
            "refund-issued"
        ]
    );
    assert_eq!(
        ids(&s.run().arg("list").success().stdout)[0],
        "refund-issued",
        "plain `list` keeps library order"
    );
}

#[test]
fn suggest_breaks_ties_by_use_and_never_lifts_a_weaker_suggestion() {
    let s = sandbox(
        r#"
[twin-a]
title = "Where is my parcel"
body = "Your parcel is on its way with the carrier."

[twin-b]
title = "Where is my parcel"
body = "Your parcel is on its way with the carrier."

[parcel-size]
title = "Parcel size limits"
body = "We ship parcels up to 30 kg."
"#,
    );
    let suggested = |s: &Sandbox| {
        let v = s
            .run()
            .args(["suggest", "where is my parcel?", "--json"])
            .success()
            .json();
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(suggested(&s), ["twin-a", "twin-b", "parcel-size"]);
    send(&s, "parcel-size", 40);
    assert_eq!(suggested(&s), ["twin-a", "twin-b", "parcel-size"]);
    send(&s, "twin-b", 1);
    assert_eq!(suggested(&s), ["twin-b", "twin-a", "parcel-size"]);
    s.run()
        .args(["render", "--for", "where is my parcel?", "--print"])
        .stderr_contains("Rendering `twin-b`")
        .success();
}
