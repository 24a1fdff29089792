//! Tests that live with a reply (`[ID.tests.NAME]`): `reply test` runs them
//! (all, or the ids named) with a compiler-style report and a diff for a
//! wrong `expect`, exits 0 or 2; `reply check` reports their failures as
//! errors; the starter library's own tests all pass.

use crate::support::*;

const LATE: &str = r#"# Orders.
[late]
title = "Late order"
tags = ["orders"]
body = """
Hi {{ customer }}, order {{ order }} arrives {{ eta }}.
Sorry for the wait!
"""
public = "Sorry, {{ customer }}: we've sent you a DM."

[late.defaults]
eta = "within 3 days"

[late.translations.es]
title = "Pedido tarde"
body = "Hola {{ customer }}, tu pedido {{ order }} llega pronto."

[late.tests.en]
vars = { customer = "Ana", order = "A-1042" }
expect = """
Hi Ana, order A-1042 arrives within 3 days.
Sorry for the wait!
"""

[late.tests.es]
lang = "es"
vars = { customer = "Ana", order = "A-1042" }
contains = ["Hola Ana", "A-1042"]

[late.tests.public-x]
public = true
platform = "x"
vars = { customer = "Ana" }
max_chars = 280
not_contains = "A-1042"
"#;

#[test]
fn passing_tests_are_listed_and_exit_0() {
    let s = Sandbox::new();
    let file = s.library_file("orders.toml", LATE).display().to_string();
    s.run()
        .arg("test")
        .stdout(format!(
            "ok   late/en        {file}:18\nok   late/es        {file}:25\nok   late/public-x  {file}:30\n\n3 tests of 1 reply: 3 passed, 0 failed\n"
        ))
        .success();
    // The config's and the environment's values never reach a test.
    s.config("agent = \"Sam\"\n");
    s.run()
        .env("REPLY_CUSTOMER", "Bo")
        .args(["test", "late"])
        .stdout_contains("3 passed, 0 failed")
        .success();
}

#[test]
fn a_wrong_expect_is_a_diff_at_the_test_table() {
    let s = Sandbox::new();
    let file = s
        .library_file(
            "orders.toml",
            &LATE.replace("within 3 days.\nSorry", "today.\nSorry"),
        )
        .display()
        .to_string();
    let ran = s.run().args(["test", "late"]).code(2);
    contains_all(
        &ran.stdout,
        &[
            "FAIL late/en",
            &format!(
                "{file}:18:1: error: test `en` of reply `late` failed: the message is not the `expect`ed text"
            ),
            "18 | [late.tests.en]\n   | ^^^^^^^^^^^^^^^",
            "--- expect\n+++ rendered\n-Hi Ana, order A-1042 arrives today.\n+Hi Ana, order A-1042 arrives within 3 days.\n Sorry for the wait!",
            "3 tests of 1 reply: 2 passed, 1 failed",
        ],
    );
}

#[test]
fn every_kind_of_failure_is_reported() {
    let s = Sandbox::new();
    s.library_file(
        "orders.toml",
        &format!(
            "{LATE}\n[late.tests.missing]\nvars = {{ customer = \"Ana\" }}\ncontains = \"Ana\"\n\n[late.tests.long]\nvars = {{ customer = \"Ana\", order = \"A-1042\" }}\ncontains = \"refund\"\nnot_contains = \"Ana\"\nmax_chars = 20\n\n[late.tests.fr]\nlang = \"fr\"\nvars = {{ customer = \"Ana\", order = \"1\" }}\ncontains = \"x\"\n\n[late.tests.sms]\nplatform = \"sms\"\nvars = {{ customer = \"Ana\", order = \"{}\" }}\ncontains = \"x\"\n",
            "9".repeat(2000)
        ),
    );
    let ran = s.run().arg("test").code(2);
    contains_all(
        &ran.stdout,
        &[
            "test `missing` of reply `late` failed: it did not render: no value for `order`",
            "= hint: give it in the test's `vars`, e.g. vars = { order = \"…\" }",
            "test `long` of reply `late` failed: the message does not contain \"refund\"",
            "= note: the message contains \"Ana\"",
            "= note: the message is 63 characters, over `max_chars = 20`",
            "rendered:\n  | Hi Ana, order A-1042 arrives within 3 days.\n  | Sorry for the wait!",
            "test `fr` of reply `late` failed: it did not render: reply `late` has no `fr` variant (it has: en, es)",
            "test `sms` of reply `late` failed: it did not render: reply `late` is too long for sms",
            "7 tests of 1 reply: 3 passed, 4 failed",
        ],
    );
}

#[test]
fn check_counts_failed_tests_as_errors() {
    let s = Sandbox::new();
    s.library_file(
        "orders.toml",
        &LATE.replace("\"Hola Ana\"", "\"Hello Ana\""),
    );
    let ran = s.run().arg("check").code(2);
    contains_all(
        &ran.stdout,
        &["error: test `es` of reply `late` failed: the message does not contain \"Hello Ana\""],
    );
    s.library_file("orders.toml", LATE);
    s.run().arg("check").success();
}

#[test]
fn a_broken_test_table_fails_the_run() {
    let s = Sandbox::new();
    s.library_file(
        "orders.toml",
        &format!("{LATE}\n[late.tests.nothing]\nvars = {{ customer = \"Ana\" }}\n"),
    );
    let ran = s.run().arg("test").code(2);
    contains_all(
        &ran.stdout,
        &[
            "error: test `nothing` of reply `late` checks nothing",
            "1 error in the replies tested",
        ],
    );
}

#[test]
fn only_the_replies_named_and_an_unknown_id_is_exit_1() {
    let s = Sandbox::new();
    s.library_file("orders.toml", LATE);
    s.library_file(
        "other.toml",
        &reply("thanks", "Thanks", "Thanks {{ customer }}"),
    );
    s.run()
        .args(["test", "thanks"])
        .stdout("0 tests of 0 replies: 0 passed, 0 failed\n")
        .stderr_contains("no tests to run")
        .success();
    s.run()
        .args(["test", "lat"])
        .stderr_contains("no reply has the id `lat`")
        .stderr_contains("did you mean `late`?")
        .code(1);
}

#[test]
fn the_starter_library_passes_its_own_tests_in_every_language() {
    let s = Sandbox::new();
    let ran = s.run().bare().arg("test").success();
    let count = |lang: Option<&str>| {
        ran.stdout
            .lines()
            .filter(|l| l.starts_with("ok "))
            .filter(|l| lang.is_none_or(|x| l.contains(&format!("/{x}"))))
            .count()
    };
    assert!(count(None) > 0, "{ran}");
    // Every starter reply, in each of its languages.
    let list = s.run().bare().args(["list", "--json"]).success().json();
    for r in list["replies"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        for lang in r["languages"].as_array().unwrap() {
            let lang = lang.as_str().unwrap();
            assert!(
                ran.stdout
                    .lines()
                    .any(|l| l.starts_with("ok ") && l.contains(&format!(" {id}/{lang}"))),
                "no test of {id} in {lang}:\n{ran}"
            );
        }
    }
}
