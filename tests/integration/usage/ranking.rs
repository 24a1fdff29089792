//! Ranking with the usage history: near-equal matches ordered by use, the
//! same order as before without history, and a much-used reply that matches
//! worse (or not at all) never lifted over a better match.

use super::{
    EXCHANGE, LATE_PARCEL, MONEY_BACK, PARTIAL_REFUND, REFUND_ISSUED, REOPEN_FUND, THANKS,
    searched, send, with_replies,
};
use crate::support::*;

/// The reply a bare `reply refund` renders, as its note on stderr names it.
fn rendered(s: &Sandbox) -> String {
    let ran = s.run().args(["refund", "--print"]).success();
    let note = ran.stderr.split('`').nth(1).unwrap_or_default();
    note.to_string()
}

/// `reply search refund --json`'s results.
fn results(s: &Sandbox) -> Vec<serde_json::Value> {
    let v = s
        .run()
        .args(["search", "refund", "--json"])
        .success()
        .json();
    v["results"].as_array().cloned().unwrap_or_default()
}

#[test]
fn near_equal_matches_are_ordered_by_use_recent_use_weighing_more() {
    // Two equally good matches for `refund`, one in tags, one in the text,
    // one that does not match.
    let s = with_replies(&[REFUND_ISSUED, PARTIAL_REFUND, LATE_PARCEL, EXCHANGE, THANKS]);
    let plain = ["refund-issued", "partial-refund", "late-parcel", "exchange"];
    assert_eq!(searched(&s, "refund", &[]), plain);
    assert_eq!(rendered(&s), "refund-issued");

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
    assert_eq!(rendered(&s), "partial-refund");
    let r = results(&s);
    assert_eq!(r[0]["frecency"], 3.0, "3 × 1 (a week to a month old)");
    assert_eq!(r[1]["frecency"], 0.0);
    assert!(r[0]["score"].as_i64() < r[1]["score"].as_i64());

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
    // The best match for `refund`, and worse ones: letters scattered in the
    // id and title (which skim scores within 5 % of it), the word only in a
    // title, only in tags, only in the text; one not at all.
    let s = with_replies(&[
        REFUND_ISSUED,
        REOPEN_FUND,
        MONEY_BACK,
        LATE_PARCEL,
        EXCHANGE,
        THANKS,
    ]);
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
    assert_eq!(rendered(&s), "refund-issued");
    let r = results(&s);
    assert_eq!(
        (&r[1]["id"], &r[1]["frecency"]),
        (&"reopen-fund".into(), &200.0.into())
    );
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
    let s = Sandbox::new();
    s.library_file(
        "lib.toml",
        "[twin-a]\ntitle = \"Where is my parcel\"\nbody = \"Your parcel is on its way.\"\n\
         [twin-b]\ntitle = \"Where is my parcel\"\nbody = \"Your parcel is on its way.\"\n\
         [parcel-size]\ntitle = \"Parcel size limits\"\nbody = \"We ship parcels up to 30 kg.\"\n",
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
