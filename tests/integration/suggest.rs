//! Issue 12, `reply suggest`: a customer's message in, the replies that
//! answer it out, in the message's language, with the words that matched;
//! "no good match" and exit 1 below the threshold; the message from an
//! argument, stdin or the clipboard; `--render` and `render --for` with
//! render's safety; values from declared patterns, never a name; the term
//! index in the cache, updated when a file changes; the `--json` shape.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;

use crate::support::*;

/// Tab-separated rows of `reply suggest` for a script.
fn rows(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// A library with declared variables, to find values in messages.
const LIB: &str = r#"
[late]
title = "Order late"
tags = ["orders"]
examples = ["my order has not arrived", "where is my parcel"]
body = "Hi {{ customer | default(value=\"there\") }}, order {{ order }} is on its way. {{ agent }}"

[late.vars.order]
pattern = '[A-Z]-\d{4}'

[late.vars.customer]
pattern = '\w+'

[late.translations.es]
title = "Pedido retrasado"
examples = ["mi pedido no ha llegado", "donde esta mi paquete"]
body = "Hola{% if customer %} {{ customer }}{% endif %}, el pedido {{ order }} está en camino. {{ agent }}"

[refund]
title = "Refund sent"
tags = ["refunds"]
examples = ["where is my refund", "money back please"]
body = "Hi {{ customer | default(value=\"there\") }}, your refund is on its way. {{ agent }}"
"#;

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("r.toml", LIB);
    s
}

#[test]
fn english_and_spanish_messages_get_the_right_reply_in_their_language() {
    let ran = Run::new()
        .bare()
        .args([
            "suggest",
            "hola, hice un pedido hace 10 días y todavía no me ha llegado nada",
        ])
        .success();
    let r = rows(&ran.stdout);
    assert_eq!(r[0][0], "order-delay", "{ran}");
    assert_eq!(
        r[0][1],
        "Pedido retrasado: disculpas y nueva fecha estimada"
    );
    assert_eq!(r[0][2], "es");
    let score: f64 = r[0][3].parse().unwrap();
    assert!((0.0..=1.0).contains(&score), "{ran}");
    // The words that matched, as the customer wrote them.
    assert!(
        r[0][4].contains("llegado") && r[0][4].contains("pedido"),
        "{ran}"
    );
    assert!(r.len() <= 5, "the default limit is 5: {ran}");

    let ran = Run::new()
        .bare()
        .args(["suggest", "my parcle hasnt arived yet", "-n", "2"])
        .success();
    let r = rows(&ran.stdout);
    assert_eq!(
        (r[0][0].as_str(), r[0][2].as_str()),
        ("order-delay", "en"),
        "{ran}"
    );
    assert!(r[0][4].contains("arived"), "a typo matches: {ran}");
    assert_eq!(r.len(), 2);
}

#[test]
fn lang_chooses_the_variant_whatever_the_message() {
    let ran = Run::new()
        .bare()
        .args(["suggest", "where is my refund", "--lang", "es", "-n", "1"])
        .success();
    let r = rows(&ran.stdout);
    assert_eq!(r[0][0], "refund-issued", "{ran}");
    assert_eq!(r[0][2], "es");
    assert_eq!(r[0][1], "Reembolso procesado: cuándo llega el dinero");
}

#[test]
fn the_message_comes_from_the_argument_or_stdin() {
    let s = sandbox();
    let by_arg = s.run().args(["suggest", "where is my parcel"]).success();
    let by_stdin = s
        .run()
        .arg("suggest")
        .stdin("where is my parcel\n")
        .success();
    let by_dash = s
        .run()
        .args(["suggest", "-"])
        .stdin("where is my parcel")
        .success();
    assert_eq!(by_arg.stdout, by_stdin.stdout);
    assert_eq!(by_arg.stdout, by_dash.stdout);
    assert_eq!(ids(&by_arg.stdout)[0], "late");
    // Nothing on stdin (not a terminal, empty): a usage error, no guess.
    s.run()
        .arg("suggest")
        .stderr_contains("the message is empty")
        .code(2);
    s.run()
        .args(["suggest", "   "])
        .stderr_contains("the message is empty")
        .code(2);
}

#[test]
fn below_the_threshold_it_says_no_good_match_and_exits_1() {
    let ran = Run::new()
        .bare()
        .args(["suggest", "what is the meaning of life"])
        .stderr_contains("no good match")
        .code(1);
    assert_eq!(ran.stdout, "");
    // The threshold can be lowered, and is checked.
    let s = sandbox();
    s.run()
        .args([
            "suggest",
            "parcel zebra giraffe elephant",
            "--min-score",
            "0.9",
        ])
        .stderr_contains("no good match")
        .stderr_contains("the closest, `late`")
        .code(1);
    s.run()
        .args([
            "suggest",
            "parcel zebra giraffe elephant",
            "--min-score",
            "0",
        ])
        .stdout_contains("late\t")
        .success();
    s.run()
        .args(["suggest", "parcel", "--min-score", "1.5"])
        .stderr_contains("not between 0 and 1")
        .code(2);
}

#[test]
fn values_come_from_declared_patterns_and_never_the_name() {
    let s = sandbox();
    let ran = s
        .run()
        .args([
            "suggest",
            "Hi, I'm Ana. My order A-1042 has not arrived",
            "-n",
            "1",
        ])
        .success();
    let r = rows(&ran.stdout);
    assert_eq!(r[0][0], "late");
    // `customer` declares a pattern that "Ana" matches: still never proposed.
    assert_eq!(r[0][5], "order=A-1042", "{ran}");
}

#[test]
fn render_renders_the_best_suggestion_with_renders_rules() {
    let s = sandbox();
    // Without --fill the value found is not used: render's missing-value error.
    s.run()
        .args([
            "suggest",
            "mi pedido A-1042 no ha llegado",
            "--render",
            "-a",
            "Sam",
        ])
        .stderr_contains("needs a value for `order`")
        .code(2);
    s.run()
        .args([
            "suggest",
            "mi pedido A-1042 no ha llegado",
            "--render",
            "--fill",
            "-a",
            "Sam",
            "-c",
            "Ana",
        ])
        .stdout("Hola Ana, el pedido A-1042 está en camino. Sam")
        .stderr_contains("Rendering `late`")
        .success();
    // A value given with -v wins over the one found.
    s.run()
        .args([
            "suggest",
            "my order A-1042 has not arrived",
            "--render",
            "--fill",
            "-a",
            "Sam",
            "-v",
            "order=B-2000",
        ])
        .stdout("Hi there, order B-2000 is on its way. Sam")
        .success();
    // And `render --for`: the message's language unless --lang says.
    s.run()
        .args([
            "render",
            "--for",
            "donde esta mi paquete",
            "-a",
            "Sam",
            "-v",
            "order=A-1234",
        ])
        .stdout("Hola, el pedido A-1234 está en camino. Sam")
        .stderr_contains("best suggestion for the message")
        .success();
    s.run()
        .args([
            "render",
            "--for",
            "donde esta mi paquete",
            "-a",
            "Sam",
            "-v",
            "order=A-1234",
            "-l",
            "en",
        ])
        .stdout("Hi there, order A-1234 is on its way. Sam")
        .success();
    s.run()
        .args([
            "render",
            "--for",
            "what is the meaning of life",
            "-a",
            "Sam",
        ])
        .stderr_contains("no good match")
        .code(1);
}

#[test]
fn json_shape() {
    let s = sandbox();
    let v = s
        .run()
        .args([
            "suggest",
            "where is my parcel? order A-1042",
            "--json",
            "-n",
            "1",
        ])
        .success()
        .json();
    let file = s.lib().join("r.toml").display().to_string();
    let score = v["suggestions"][0]["score"].clone();
    assert!(
        score.as_f64().is_some_and(|x| x > 0.12 && x <= 1.0),
        "{v:#}"
    );
    assert_eq!(
        v,
        json!({
            "version": 1,
            "message": "where is my parcel? order A-1042",
            "lang": "en",
            "min_score": 0.12,
            "suggestions": [{
                "id": "late",
                "title": "Order late",
                "lang": "en",
                "score": score,
                "matched": ["where", "parcel", "order"],
                "values": [{"name": "order", "value": "A-1042"}],
                "library": s.lib().display().to_string(),
                "layer": "REPLY_LIBRARY",
                "file": file,
                "line": 2
            }]
        })
    );
}

#[test]
fn the_term_index_is_cached_and_follows_changed_files() {
    let s = sandbox();
    let msg = "I need my money back";
    let first = s.run().args(["suggest", msg, "-n", "1"]).success();
    assert_eq!(ids(&first.stdout), ["refund"]);
    let cached: Vec<String> = std::fs::read_dir(s.path("cache/reply"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(cached.iter().any(|n| n.ends_with(".terms")), "{cached:?}");
    // Same answer from the cache, and without it.
    let again = s.run().args(["suggest", msg, "-n", "1"]).success();
    let plain = s
        .run()
        .env("REPLY_NO_CACHE", "1")
        .args(["suggest", msg, "-n", "1"])
        .success();
    assert_eq!(first.stdout, again.stdout);
    assert_eq!(first.stdout, plain.stdout);
    // A new file with a better answer is seen at once.
    s.library_file(
        "more.toml",
        "[money-back]\ntitle = \"Money back guarantee\"\nexamples = [\"i need my money back\"]\nbody = \"Hi {{ customer }}\"\n",
    );
    let after = s.run().args(["suggest", msg, "-n", "1"]).success();
    assert_eq!(ids(&after.stdout), ["money-back"], "{after}");
    let plain = s
        .run()
        .env("REPLY_NO_CACHE", "1")
        .args(["suggest", msg, "-n", "1"])
        .success();
    assert_eq!(after.stdout, plain.stdout);
}

#[test]
fn library_text_and_the_message_are_escaped() {
    let s = Sandbox::new();
    s.library_file(
        "r.toml",
        "[evil]\ntitle = \"Refund \\u001b]52;c;SGk=\\u0007 now\"\nexamples = [\"refund please\"]\nbody = \"Hi {{ customer }}\"\n",
    );
    let ran = s
        .run()
        .args(["suggest", "refund\u{1b}[2J please"])
        .success();
    assert!(
        !ran.stdout.contains('\u{1b}') && !ran.stdout.contains('\u{7}'),
        "{ran}"
    );
    assert!(ran.stdout.contains("\\u{1b}]52"), "{ran}");
}

#[test]
fn check_hints_at_examples_and_warns_about_shared_ones() {
    let s = Sandbox::new();
    s.library_file("a.toml", &reply("a", "A", "Hi {{ customer }}"));
    // A library that never uses examples: one hint, and still clean.
    let ran = s.run().args(["check", "--deny-warnings"]).success();
    assert!(
        ran.both()
            .contains(": hint: no reply in this library has examples"),
        "{ran}"
    );
    assert!(ran.stderr.contains("0 warnings, 1 hint"), "{ran}");
    // Once one reply has them, the others should too; and no two share one.
    s.library_file(
        "b.toml",
        "[b]\ntitle = \"B\"\nexamples = [\"Where is my order?\"]\nbody = \"Hi {{ customer }}\"\n\
         [c]\ntitle = \"C\"\nexamples = [\"where is my ORDER\"]\nbody = \"Hi {{ customer }}\"\n",
    );
    let ran = s.run().args(["check", "--deny-warnings"]).code(2);
    contains_all(
        &ran.both(),
        &[
            "error: reply `a` has no examples",
            "`c` and `b` share the example",
        ],
    );
}

#[test]
fn from_clipboard_reads_the_desktop_clipboard() {
    // Without a display there is nothing to read: exit 3, and what to do.
    let s = sandbox();
    s.run()
        .args(["suggest", "--from-clipboard"])
        .stderr_contains("could not read the clipboard")
        .stderr_contains("pipe it in")
        .code(3);
    if !require_all(&["Xvfb", "xclip"]) {
        return;
    }
    let mut xvfb = Command::new("Xvfb")
        .args(["-displayfd", "1", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    // Xvfb writes its display number once it accepts connections.
    let mut number = String::new();
    let mut out = xvfb.stdout.take().expect("Xvfb stdout");
    let mut byte = [0u8; 1];
    while out.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        number.push(byte[0] as char);
    }
    let display = format!(":{}", number.trim());
    let mut xclip = s.command("xclip");
    xclip
        .args(["-selection", "clipboard", "-quiet", "-i"])
        .env("DISPLAY", &display)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut xclip = xclip.spawn().expect("xclip");
    {
        use std::io::Write;
        let mut stdin = xclip.stdin.take().expect("xclip stdin");
        stdin
            .write_all("¿dónde está mi paquete?".as_bytes())
            .expect("write to xclip");
    }
    // xclip owns the selection once it has read its input.
    std::thread::sleep(Duration::from_millis(300));
    let ran = s
        .run()
        .env("DISPLAY", &display)
        .args(["suggest", "--from-clipboard", "-n", "1"])
        .output();
    let _ = xclip.kill();
    let _ = xclip.wait();
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    assert_eq!(ran.code(), 0, "{ran}");
    let r = rows(&ran.stdout);
    assert_eq!(
        (r[0][0].as_str(), r[0][2].as_str()),
        ("late", "es"),
        "{ran}"
    );
}
