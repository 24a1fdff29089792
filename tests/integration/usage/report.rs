//! `reply history` and `reply stats`: what they show of the log, the export
//! a lead merges (counts per day, no time, no name unless given), and the
//! checks an export from someone else passes before it is counted.

use serde_json::Value;

use super::{lines, log_line, log_path};
use crate::support::*;

const LIB: &str = r#"
[order-delay]
title = "Order delayed"
body = "Your order is late."
public = "Sorry! Check your DMs."

[order-delay.translations.es]
title = "Pedido retrasado"
body = "Tu pedido llega tarde."

[refund-issued]
title = "Refund issued"
body = "Your money is on its way."

[thanks]
title = "Thanks for your message"
body = "Thank you."

[never-used]
title = "A reply nobody sends"
body = "Hm."
"#;

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    s
}

/// Renders recorded at `now`, each with its arguments.
fn sends(s: &Sandbox, now: &str, runs: &[&[&str]]) {
    for args in runs {
        s.run()
            .args(["--now", now, "render"])
            .args(args.iter())
            .args(["--print", "--record"])
            .success();
    }
}

/// A week of one agent's work: order-delay most, in two languages and on two
/// platforms, once in public; found by id, by a query, and suggested.
fn a_week(s: &Sandbox) {
    sends(
        s,
        "2026-11-19T10:00",
        &[&["order-delay", "-p", "instagram"], &["thanks"]],
    );
    sends(
        s,
        "2026-11-24T16:20",
        &[
            &["order-delay", "--lang", "es", "-p", "whatsapp"],
            &["refnd"],
        ],
    );
    sends(
        s,
        "2026-11-25T09:05",
        &[
            &["order-delay", "--public", "-p", "instagram"],
            &["--for", "my order is late"],
        ],
    );
}

#[test]
fn history_shows_what_was_sent_oldest_first_and_clear_empties_it() {
    let s = sandbox();
    s.run()
        .arg("history")
        .stdout("")
        .stderr("The usage history is empty\n")
        .success();
    a_week(&s);
    s.run()
        .arg("history")
        .stdout(
            "2026-11-19 10:00\torder-delay\tlib\ten\tinstagram\tprivate\tid\n\
             2026-11-19 10:00\tthanks\tlib\ten\t-\tprivate\tid\n\
             2026-11-24 16:20\torder-delay\tlib\tes\twhatsapp\tprivate\tid\n\
             2026-11-24 16:20\trefund-issued\tlib\ten\t-\tprivate\tsearch #1\n\
             2026-11-25 09:05\torder-delay\tlib\ten\tinstagram\tpublic\tid\n\
             2026-11-25 09:05\torder-delay\tlib\ten\t-\tprivate\tsuggest #1\n",
        )
        .success();
    let recent = s.run().args(["history", "--since", "1h"]).success();
    assert_eq!(recent.stdout.lines().count(), 2, "{}", recent.stdout);
    let since_day = s.run().args(["history", "--since", "2026-11-24"]).success();
    assert_eq!(since_day.stdout.lines().count(), 4);
    s.run()
        .args(["history", "--since", "soon"])
        .stderr_contains("--since soon is not a period")
        .code(2);
    s.run()
        .args(["history", "--clear"])
        .stdout("")
        .stderr_contains("Cleared the usage history: 6 messages")
        .success();
    assert!(!log_path(&s).exists());
    s.run()
        .arg("history")
        .stderr("The usage history is empty\n")
        .success();
}

#[test]
fn older_records_show_as_counts_per_day() {
    let s = sandbox();
    let text = format!(
        "{}{}",
        log_line("2026-10-02", "thanks", 12, "search"),
        log_line("2026-11-25T08:00:00", "thanks", 1, "id")
    );
    s.write("home/.local/state/reply/usage.jsonl", &text);
    s.run()
        .arg("history")
        .stdout(
            "2026-10-02\t12×\tthanks\tlib\ten\t-\tprivate\tsearch (6 of 12 first)\n\
             2026-11-25 08:00\t\tthanks\tlib\ten\t-\tprivate\tid\n",
        )
        .success();
}

#[test]
fn stats_count_every_way_and_name_what_was_never_sent() {
    let s = sandbox();
    a_week(&s);
    let v = s.run().args(["stats", "--json"]).success().json();
    assert_eq!(v["version"], 1);
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2026-10-27"), Some("2026-11-25"))
    );
    assert_eq!(v["sent"], 6);
    assert_eq!(
        v["most_sent"][0],
        serde_json::json!({"id": "order-delay", "library": "lib", "count": 4})
    );
    assert_eq!(
        v["by_platform"],
        serde_json::json!([
            {"platform": null, "count": 3},
            {"platform": "instagram", "count": 2},
            {"platform": "whatsapp", "count": 1}
        ])
    );
    assert_eq!(
        v["by_lang"],
        serde_json::json!([{"lang": "en", "count": 5}, {"lang": "es", "count": 1}])
    );
    assert_eq!(
        (v["public"].as_u64(), v["private"].as_u64()),
        (Some(1), Some(5))
    );
    assert_eq!(
        v["found"],
        serde_json::json!([
            {"how": "id", "count": 4, "ranked": 0, "first": 0},
            {"how": "search", "count": 1, "ranked": 1, "first": 1},
            {"how": "picker", "count": 0, "ranked": 0, "first": 0},
            {"how": "suggest", "count": 1, "ranked": 1, "first": 1}
        ])
    );
    assert_eq!(
        v["never_sent"],
        serde_json::json!([{"library": "lib", "replies": 4, "never_sent": ["never-used"]}])
    );
    assert_eq!(v["exports"], Value::Null);

    // A shorter period leaves out what came before it.
    let week = s
        .run()
        .args(["stats", "--since", "2d", "--json"])
        .success()
        .json();
    assert_eq!(week["sent"], 4);
    assert_eq!(
        week["never_sent"][0]["never_sent"],
        serde_json::json!(["thanks", "never-used"])
    );

    let human = s.run().arg("stats").success().stdout;
    contains_all(
        &human,
        &[
            "6 messages sent from 2026-10-27 to 2026-11-25",
            "Most sent",
            "order-delay    4  lib",
            "By platform        none 3, instagram 2, whatsapp 1",
            "By language        en 5, es 1",
            "Public/private     1 public, 5 private",
            "How found          id 4, search 1, suggest 1",
            "First result sent  search 1 of 1 (100%), suggest 1 of 1 (100%)",
            "Never sent",
            "lib  1 of 4: never-used",
        ],
    );
}

/// Two agents' exports, Ana named, Bo not.
fn exports(lead: &Sandbox) -> (std::path::PathBuf, std::path::PathBuf) {
    let ana = sandbox();
    a_week(&ana);
    let text = ana
        .run()
        .args(["stats", "--export", "--as", "Ana"])
        .success()
        .stdout;
    let a = lead.write("ana.json", &text);
    let bo = sandbox();
    sends(
        &bo,
        "2026-11-20T11:11",
        &[&["thanks"], &["thanks", "-p", "sms"]],
    );
    let text = bo.run().args(["stats", "--export"]).success().stdout;
    let b = lead.write("bo.json", &text);
    (a, b)
}

#[test]
fn an_export_holds_counts_per_day_and_no_name_unless_given() {
    let lead = sandbox();
    let (a, b) = exports(&lead);
    let ana: Value = serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    let bo_text = std::fs::read_to_string(&b).unwrap();
    let bo: Value = serde_json::from_str(&bo_text).unwrap();
    assert_eq!(
        (ana["format"].as_str(), ana["version"].as_u64()),
        (Some("reply-stats"), Some(1))
    );
    assert_eq!(ana["agent"], "Ana");
    assert_eq!(bo["agent"], Value::Null);
    assert_eq!(
        (bo["from"].as_str(), bo["to"].as_str()),
        (Some("2026-10-27"), Some("2026-11-25"))
    );
    assert_eq!(
        bo["counts"],
        serde_json::json!([
            {"day": "2026-11-20", "sent": {"id": "thanks", "library": "lib", "lang": "en", "platform": null,
             "public": false, "found": "id"}, "count": 1, "ranked": 0, "first": 0},
            {"day": "2026-11-20", "sent": {"id": "thanks", "library": "lib", "lang": "en", "platform": "sms",
             "public": false, "found": "id"}, "count": 1, "ranked": 0, "first": 0}
        ])
    );
    // No time of day anywhere, and nothing of the person without --as.
    assert!(
        !bo_text.contains("11:11") && !bo_text.contains("T11"),
        "{bo_text}"
    );
    // The names in an export are checked like any other.
    sandbox()
        .run()
        .args(["stats", "--export", "--as", "a\u{1b}]0;x\u{7}"])
        .stderr_contains("the name given to --as holds control characters")
        .code(2);
}

#[test]
fn merged_exports_report_on_the_team() {
    let lead = sandbox();
    let (a, b) = exports(&lead);
    let v = lead
        .run()
        .arg("stats")
        .arg("--json")
        .arg("--merge")
        .args([&a, &b])
        .success()
        .json();
    assert_eq!(v["sent"], 8);
    assert_eq!(
        v["exports"],
        serde_json::json!({"files": 2, "agents": ["Ana", null]})
    );
    assert_eq!(v["most_sent"][0]["id"], "order-delay");
    assert_eq!(
        v["most_sent"][1],
        serde_json::json!({"id": "thanks", "library": "lib", "count": 3})
    );
    assert_eq!(
        v["never_sent"],
        serde_json::json!([{"library": "lib", "replies": 4, "never_sent": ["never-used"]}])
    );
    let human = lead
        .run()
        .arg("stats")
        .arg("--merge")
        .args([&a, &b])
        .success()
        .stdout;
    contains_all(
        &human,
        &[
            "2 exports (Ana and 1 unnamed)",
            "8 messages sent from 2026-10-27 to 2026-11-25",
        ],
    );
    // --since narrows a merge; a merge can be exported again.
    let narrow = lead
        .run()
        .args(["stats", "--since", "2026-11-24", "--json", "--merge"])
        .args([&a, &b])
        .success()
        .json();
    assert_eq!(narrow["sent"], 4);
    let again = lead
        .run()
        .args(["stats", "--export", "--merge"])
        .args([&a, &b])
        .success()
        .stdout;
    let again_file = lead.write("team.json", &again);
    let v2 = lead
        .run()
        .args(["stats", "--json", "--merge"])
        .arg(&again_file)
        .success()
        .json();
    assert_eq!(v2["sent"], 8);

    // A copy of an export under another name is counted, and said.
    let copy = lead.write("copy.json", &std::fs::read_to_string(&a).unwrap());
    let out = lead
        .run()
        .args(["stats", "--json", "--merge"])
        .arg(&a)
        .arg(&copy)
        .stderr_contains("is the same export as")
        .success();
    assert_eq!(out.json()["exports"]["files"], 2);
}

#[test]
fn an_export_from_someone_else_is_checked_before_it_counts() {
    let lead = sandbox();
    let (a, _) = exports(&lead);
    let good: Value = serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "broken.json",
            "{\n  \"format\": \"reply-stats\",\n  oops".into(),
            "broken.json: not JSON (line 3, column 3)",
        ),
        (
            "other.json",
            "{\"name\": \"a package.json\"}".into(),
            "other.json: not a `reply stats --export` file",
        ),
        (
            "newer.json",
            {
                let mut v = good.clone();
                v["version"] = 2.into();
                v.to_string()
            },
            "newer.json: made by a newer reply",
        ),
        (
            "tampered.json",
            {
                let mut v = good.clone();
                v["counts"][0]["first"] = 99.into();
                v.to_string()
            },
            "tampered.json: counts[0]: the counts do not add up",
        ),
        (
            "hostile.json",
            {
                let mut v = good.clone();
                v["counts"][1]["sent"]["id"] = "\u{1b}]52;c;aGk=\u{7}".into();
                v.to_string()
            },
            "hostile.json: counts[1]: the id holds control characters",
        ),
        (
            "extra.json",
            {
                let mut v = good.clone();
                v["customers"] = serde_json::json!(["Ana López"]);
                v.to_string()
            },
            "extra.json: unknown field `customers`",
        ),
    ];
    for (name, text, want) in cases {
        let f = lead.write(name, &text);
        let ran = lead
            .run()
            .arg("stats")
            .arg("--merge")
            .arg(&a)
            .arg(&f)
            .stderr_contains(want)
            .stderr_contains("--merge reads the files `reply stats --export` writes")
            .code(2);
        assert!(!ran.stderr.contains('\u{1b}'), "escaped: {}", ran.stderr);
        assert_eq!(ran.stdout, "", "nothing counted");
    }
    lead.run()
        .args(["stats", "--merge", "missing.json"])
        .stderr_contains("cannot read the export missing.json")
        .code(2);
    lead.run()
        .arg("stats")
        .arg("--merge")
        .arg(&a)
        .arg(lead.path("./ana.json"))
        .stderr_contains("is given twice to --merge")
        .code(2);
    // Bounded: a file far larger than any export is not read.
    let big = lead.path("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(17 << 20)
        .unwrap();
    lead.run()
        .arg("stats")
        .arg("--merge")
        .arg(&big)
        .stderr_contains("larger than 16 MB")
        .code(2);
    assert!(lines(&lead).is_empty(), "merging records nothing");
}
