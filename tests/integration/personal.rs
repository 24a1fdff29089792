//! Issue 3, personal touches: `first_name`, `greeting()` and `today | date`,
//! at fixed times from `--now` or `REPLY_NOW`.

use crate::support::*;

const LIB: &str = r#"
[hello]
title = "Hello"
body = "{{ greeting() }} {{ customer | first_name }}, today is {{ today | date }}."

[hello.translations.es]
title = "Hola"
body = "{{ greeting() }} {{ customer | first_name }}, hoy es {{ today | date }}."
"#;

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("p.toml", LIB);
    s
}

#[test]
fn first_name_takes_the_first_word_and_skips_a_courtesy_title() {
    let s = sandbox();
    for (full, first) in [
        ("Ana María López", "Ana"),
        ("Dr. Ana Ruiz", "Ana"),
        ("Mr. John Smith", "John"),
        ("Mrs Jane Doe", "Jane"),
        ("Ms. Lee", "Lee"),
        ("  José   Pérez ", "José"),
        ("Cher", "Cher"),
    ] {
        let out = s
            .run()
            .args(["render", "hello", "-c", full])
            .success()
            .stdout;
        assert_eq!(
            out,
            format!("Good morning {first}, today is 25 November 2026."),
            "{full:?}"
        );
    }
}

#[test]
fn greeting_follows_the_time_and_the_reply_language() {
    let s = sandbox();
    for (time, en, es) in [
        ("2026-11-25T09:30", "Good morning", "Buenos días"),
        ("2026-11-25T15:00", "Good afternoon", "Buenas tardes"),
        ("2026-11-25T21:00", "Good evening", "Buenas noches"),
    ] {
        let out = s
            .run()
            .args(["render", "hello", "-c", "Ana", "--now", time])
            .success()
            .stdout;
        assert_eq!(
            out,
            format!("{en} Ana, today is 25 November 2026."),
            "{time}"
        );
        let out = s
            .run()
            .args(["render", "hello", "-c", "Ana", "--lang", "es"])
            .env("REPLY_NOW", time)
            .success()
            .stdout;
        assert_eq!(
            out,
            format!("{es} Ana, hoy es 25 de noviembre de 2026."),
            "{time}"
        );
    }
}

#[test]
fn date_is_written_out_in_the_reply_language() {
    let s = sandbox();
    for (now, en, es) in [
        (
            "2026-11-25T09:30",
            "25 November 2026",
            "25 de noviembre de 2026",
        ),
        ("2027-01-05T09:30", "5 January 2027", "5 de enero de 2027"),
        ("2026-05-31T09:30", "31 May 2026", "31 de mayo de 2026"),
    ] {
        s.run()
            .args(["render", "hello", "-c", "Ana", "--now", now])
            .stdout(format!("Good morning Ana, today is {en}."))
            .success();
        s.run()
            .args(["render", "hello", "-c", "Ana", "--now", now, "-l", "es"])
            .stdout(format!("Buenos días Ana, hoy es {es}."))
            .success();
    }
}

#[test]
fn now_flag_wins_over_reply_now() {
    let s = sandbox();
    s.run()
        .args(["render", "hello", "-c", "Ana", "--now", "2026-03-02T15:00"])
        .env("REPLY_NOW", "2026-11-25T09:30")
        .stdout("Good afternoon Ana, today is 2 March 2026.")
        .success();
}

#[test]
fn a_bad_now_is_an_error() {
    let s = sandbox();
    let out = s
        .run()
        .args(["render", "hello", "-c", "Ana", "--now", "tomorrow"])
        .stdout("")
        .code(2);
    assert!(out.stderr.contains("tomorrow"));
}
