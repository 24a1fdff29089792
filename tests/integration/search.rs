//! Issue 2, `reply search`: every word must match, in any order; id and title
//! hits rank above body-only hits; no match is exit 1.

use crate::support::*;

const LIB: &str = r#"
[late-parcel]
title = "Parcel running late"
tags = ["shipping"]
body = "Your package is delayed, sorry. A refund is possible."

[refund-issued]
title = "Refund issued"
tags = ["billing"]
body = "Your money is on its way."

[welcome]
title = "Welcome aboard"
body = "Glad to have you."
"#;

#[test]
fn one_word_finds_its_reply() {
    Run::new()
        .library_file("lib.toml", LIB)
        .args(["search", "welcome"])
        .stdout("welcome\tWelcome aboard\n")
        .success();
}

#[test]
fn several_words_must_each_match_in_any_order() {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    for q in [
        &["parcel", "late"][..],
        &["late", "parcel"],
        &["late parcel"],
        &["running", "parcel", "late"],
    ] {
        let out = s.run().arg("search").args(q).success().stdout;
        assert_eq!(ids(&out), ["late-parcel"], "query {q:?}");
    }
    // One word matching nowhere: no result at all.
    s.run().args(["search", "parcel", "zebra"]).code(1);
}

#[test]
fn a_hit_in_id_or_title_ranks_above_a_hit_only_in_the_body() {
    let s = Sandbox::new();
    // late-parcel comes first in the file and mentions "refund" in its body only.
    s.library_file("lib.toml", LIB);
    let out = s.run().args(["search", "refund"]).success().stdout;
    assert_eq!(ids(&out), ["refund-issued", "late-parcel"], "{out}");
    // A title-only hit (the id does not contain the word) also outranks the body.
    let s = Sandbox::new();
    s.library_file(
        "lib.toml",
        r#"
[a-first]
title = "Something else"
body = "We will send a voucher soon."

[b-second]
title = "Voucher codes"
body = "Here it is."
"#,
    );
    let out = s.run().args(["search", "voucher"]).success().stdout;
    assert_eq!(ids(&out), ["b-second", "a-first"], "{out}");
}

#[test]
fn no_match_is_exit_1_with_a_short_message() {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    let out = s.run().args(["search", "xylophone"]).stdout("").code(1);
    let err = out.stderr.clone();
    assert!(err.contains("xylophone"), "{err}");
    assert!(err.lines().count() <= 3, "not short: {err}");
    no_panic(&err);
}

#[test]
fn limit_caps_the_number_of_results() {
    let s = Sandbox::new();
    let mut text = String::new();
    for i in 0..30 {
        text.push_str(&reply(&format!("note-{i:02}"), &format!("Note {i}"), "x"));
    }
    s.library_file("notes.toml", &text);
    let out = s.run().args(["search", "note"]).success().stdout;
    assert!(out.lines().count() >= 20, "{out}");
    for n in [1usize, 3, 30] {
        let out = s
            .run()
            .args(["search", "note", "--limit", &n.to_string()])
            .success()
            .stdout;
        assert_eq!(out.lines().count(), n, "--limit {n}");
        let out = s
            .run()
            .args(["search", "note", "-n", &n.to_string()])
            .success()
            .stdout;
        assert_eq!(out.lines().count(), n, "-n {n}");
    }
}

#[test]
fn search_output_is_tab_separated_when_not_a_terminal() {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    let out = s.run().args(["search", "refund"]).success().stdout;
    for l in out.lines() {
        let cols: Vec<_> = l.split('\t').collect();
        assert!(cols.len() >= 2, "{l}");
    }
    assert!(out.starts_with("refund-issued\tRefund issued"));
}

#[test]
fn words_may_match_in_different_fields() {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    // "welcome" in the title, "glad" in the body.
    let out = s.run().args(["search", "glad", "welcome"]).success().stdout;
    assert_eq!(ids(&out), ["welcome"]);
    // "billing" is a tag, "money" is in the body.
    let out = s
        .run()
        .args(["search", "money", "billing"])
        .success()
        .stdout;
    assert_eq!(ids(&out), ["refund-issued"]);
}
