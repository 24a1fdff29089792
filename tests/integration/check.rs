//! Issue 3, `reply check`: compiler-style diagnostics for every rule, the exit
//! codes, `--deny-warnings`, `--format json`, and a clean starter library.

use crate::support::*;

const CLEAN: &str =
    "[clean]\ntitle = \"Clean\"\nbody = \"Hi {{ customer }}, thanks for writing.\"\n\n";

/// Runs `reply check` with extra arguments: (exit code, stdout and stderr together).
fn check(s: &Sandbox, args: &[&str]) -> (i32, String) {
    let out = s.run().arg("check").args(args).output();
    no_panic(&out.stderr);
    (out.code(), out.both())
}

/// A library with the clean reply, then `text` in `t.toml` starting on line 5.
fn lib(text: &str) -> (Sandbox, String) {
    let s = Sandbox::new();
    let path = s.library_file("t.toml", &format!("{CLEAN}{text}"));
    (s, path.display().to_string())
}

/// The diagnostic line `file:line:…: severity: …`, with the caret display after it.
#[track_caller]
fn diagnostic<'a>(out: &'a str, file: &str, line: usize, severity: &str) -> &'a str {
    let head = format!("{file}:{line}:");
    let start = out
        .match_indices(&head)
        .map(|(i, _)| i)
        .find(|&i| {
            out[i..]
                .lines()
                .next()
                .is_some_and(|l| l.contains(&format!(": {severity}:")))
        })
        .unwrap_or_else(|| panic!("no {severity} at {head} in:\n{out}"));
    let rest = &out[start..];
    let first = rest.lines().next().unwrap();
    // Column, then the message.
    let after = &first[head.len()..];
    let col = after.split(':').next().unwrap();
    assert!(col.parse::<usize>().is_ok(), "no column in {first:?}");
    // The quoted line and a caret follow.
    let block: Vec<&str> = rest.lines().take(5).collect();
    assert!(
        block.iter().skip(1).any(|l| l.contains('^')),
        "no caret after {first:?}:\n{out}"
    );
    first
}

fn column(diag: &str, file: &str) -> usize {
    diag[file.len() + 1..]
        .split(':')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
}

#[track_caller]
fn no_diagnostics(out: &str) {
    assert!(
        !out.contains(": error:") && !out.contains(": warning:"),
        "unexpected diagnostics:\n{out}"
    );
}

#[test]
fn a_clean_library_passes() {
    let (s, _) = lib("");
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 0, "{out}");
    no_diagnostics(&out);
    let (code, out) = check(&s, &["--deny-warnings"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_starter_library_passes_with_no_errors_and_no_warnings() {
    let s = Sandbox::new();
    let out = s.run().bare().args(["check", "--deny-warnings"]).code(0);
    no_diagnostics(&out.both());
    // The same files as copied by `init`.
    s.run().bare().arg("init").success();
    let out = s.run().bare().args(["check", "--deny-warnings"]).code(0);
    no_diagnostics(&out.both());
}

#[test]
fn toml_errors_are_errors_with_position() {
    let (s, file) = lib("[broken]\ntitle = \"Broken\"\ntags = [\"a\" \"b\"]\n");
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 2, "{out}");
    let d = diagnostic(&out, &file, 7, "error");
    assert_eq!(column(d, &file), 13, "{d}");
}

#[test]
fn unknown_fields_are_errors_naming_them() {
    let (s, file) = lib("[typo]\ntittle = \"T\"\nbody = \"Hi {{ customer }}\"\n");
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 2, "{out}");
    let d = diagnostic(&out, &file, 6, "error");
    assert_eq!(column(d, &file), 1);
    assert!(d.contains("tittle"), "{d}");
    assert!(out.contains("title"), "{out}");
}

#[test]
fn duplicate_ids_are_errors_naming_both_places() {
    let s = Sandbox::new();
    let a = s.library_file("a.toml", CLEAN).display().to_string();
    let b = s
        .library_file("b.toml", &format!("# again\n{CLEAN}"))
        .display()
        .to_string();
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("{a}:1")) && out.contains(&format!("{b}:2")),
        "both places:\n{out}"
    );
    assert!(out.contains("clean"));
}

#[test]
fn empty_title_or_body_are_errors() {
    for (text, line, field) in [
        (
            "[e]\ntitle = \"\"\nbody = \"Hi {{ customer }}\"\n",
            6,
            "title",
        ),
        (
            "[e]\ntitle = \"  \"\nbody = \"Hi {{ customer }}\"\n",
            6,
            "title",
        ),
        ("[e]\ntitle = \"T\"\nbody = \"\"\n", 7, "body"),
        (
            "[e]\ntitle = \"T\"\nbody = \"\"\"\n\n   \n\"\"\"\n",
            7,
            "body",
        ),
    ] {
        let (s, file) = lib(text);
        let (code, out) = check(&s, &[]);
        assert_eq!(code, 2, "{text:?}: {out}");
        let d = diagnostic(&out, &file, line, "error");
        assert!(d.contains(field) && d.contains('e'), "{d}");
    }
}

#[test]
fn missing_title_or_body_are_errors() {
    for (text, field) in [
        ("[e]\nbody = \"Hi {{ customer }}\"\n", "title"),
        ("[e]\ntitle = \"T\"\n", "body"),
    ] {
        let (s, file) = lib(text);
        let (code, out) = check(&s, &[]);
        assert_eq!(code, 2, "{out}");
        let d = diagnostic(&out, &file, 5, "error");
        assert!(d.contains(field), "{d}");
    }
}

#[test]
fn template_syntax_errors_in_any_variant_are_errors() {
    for (text, line) in [
        ("[t]\ntitle = \"T\"\nbody = \"Hi {{ customer \"\n", 7),
        (
            "[t]\ntitle = \"T\"\nbody = \"Hi {{ customer }}\"\npublic = \"Thanks {% if x %}\"\n",
            8,
        ),
        (
            "[t]\ntitle = \"T\"\nbody = \"Hi {{ customer }}\"\n\n[t.translations.es]\ntitle = \"T\"\nbody = \"\"\"\nHola\n{{ customer | nofilter }}\n\"\"\"\n",
            13,
        ),
        (
            "[t]\ntitle = \"T\"\nbody = \"Hi {{ customer }}\"\n\n[t.translations.es]\ntitle = \"T\"\nbody = \"Hola {{ customer }}\"\npublic = \"Gracias {{ }}\"\n",
            12,
        ),
    ] {
        let (s, file) = lib(text);
        let (code, out) = check(&s, &[]);
        assert_eq!(code, 2, "{text:?}:\n{out}");
        let d = diagnostic(&out, &file, line, "error");
        assert!(d.contains('t'), "{d}");
    }
}

#[test]
fn a_translation_missing_its_body_is_an_error() {
    let (s, file) = lib(
        "[t]\ntitle = \"T\"\nbody = \"Hi {{ customer }}\"\n\n[t.translations.es]\ntitle = \"Hola\"\n",
    );
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 2, "{out}");
    let d = diagnostic(&out, &file, 9, "error");
    assert!(d.contains("es") && d.contains("body"), "{d}");
}

#[test]
fn a_reply_over_the_limit_of_a_platform_it_lists_is_an_error() {
    let long = "a".repeat(1100);
    let (s, file) = lib(&format!(
        "[long]\ntitle = \"Long\"\nplatforms = [\"instagram\", \"email\"]\nbody = \"Hi {{{{ customer }}}}, {long}\"\n"
    ));
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 2, "{out}");
    let d = out
        .lines()
        .find(|l| l.starts_with(&format!("{file}:")) && l.contains(": error:"))
        .unwrap_or_else(|| panic!("no error:\n{out}"));
    assert!(d.contains("instagram") && d.contains("long"), "{d}");
    // The same text for a platform without that limit is fine.
    let (s, _) = lib(&format!(
        "[long]\ntitle = \"Long\"\nplatforms = [\"email\", \"x\"]\nbody = \"Hi {{{{ customer }}}}, {long}\"\n"
    ));
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn sms_limits_in_check_follow_the_config() {
    let text = format!(
        "[sms]\ntitle = \"SMS\"\nplatforms = [\"sms\"]\nbody = \"Hi {{{{ customer }}}}, {}\"\n",
        "a".repeat(200)
    );
    let (s, _) = lib(&text);
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 0, "{out}");
    s.config("[platforms.sms]\nmax_segments = 1\n");
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("sms"), "{out}");
}

#[test]
fn a_body_not_using_the_customer_is_a_warning() {
    let (s, file) =
        lib("[w]\ntitle = \"W\"\nbody = \"Thanks for writing, we will be in touch.\"\n");
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 0, "{out}");
    let d = diagnostic(&out, &file, 7, "warning");
    assert!(d.contains("customer") && d.contains('w'), "{d}");
    // `first_name` of the customer counts as using it.
    let (s, _) = lib("[w]\ntitle = \"W\"\nbody = \"Hi {{ customer | first_name }}.\"\n");
    let (_, out) = check(&s, &[]);
    no_diagnostics(&out);
}

#[test]
fn a_translation_with_different_variables_is_a_warning() {
    let (s, file) = lib(
        "[v]\ntitle = \"V\"\nbody = \"Hi {{ customer }}, order {{ order }}.\"\n\n[v.translations.es]\ntitle = \"V\"\nbody = \"Hola {{ customer }}.\"\n",
    );
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 0, "{out}");
    let d = out
        .lines()
        .find(|l| l.starts_with(&format!("{file}:")) && l.contains(": warning:"))
        .unwrap_or_else(|| panic!("no warning:\n{out}"));
    assert!(d.contains("order") && d.contains("es"), "{d}");
    let line: usize = d[file.len() + 1..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((9..=11).contains(&line), "{d}");
}

#[test]
fn shouting_and_runs_of_punctuation_are_warnings() {
    for (body, what) in [
        (
            "Hi {{ customer }}, this is VERY IMPORTANT news.",
            "VERY IMPORTANT",
        ),
        ("Hi {{ customer }}, DO NOT reply.", "DO NOT"),
        ("Hi {{ customer }}, thanks!!", "!!"),
        ("Hi {{ customer }}, really??", "??"),
        ("Hi {{ customer }}, what?!?!", "?"),
    ] {
        let (s, file) = lib(&format!("[loud]\ntitle = \"Loud\"\nbody = \"{body}\"\n"));
        let (code, out) = check(&s, &[]);
        assert_eq!(code, 0, "{body}: {out}");
        let d = diagnostic(&out, &file, 7, "warning");
        assert!(d.contains("loud"), "{d}");
        assert!(d.contains(what) || out.contains(what), "{body}: {d}");
        let (code, _) = check(&s, &["--deny-warnings"]);
        assert_eq!(code, 2, "{body} with --deny-warnings");
    }
}

#[test]
fn one_capital_word_or_one_mark_is_not_shouting() {
    for body in [
        "Hi {{ customer }}, see our FAQ.",
        "Hi {{ customer }}, thanks!",
        "Hi {{ customer }}, is it OK?",
        "Hi {{ customer }}, I am Sam from the EU team.",
    ] {
        let (s, _) = lib(&format!("[calm]\ntitle = \"Calm\"\nbody = \"{body}\"\n"));
        let (code, out) = check(&s, &["--deny-warnings"]);
        assert_eq!(code, 0, "{body}: {out}");
        no_diagnostics(&out);
    }
}

#[test]
fn a_long_public_text_is_a_warning() {
    let at = "a".repeat(280);
    let (s, _) = lib(&format!(
        "[p]\ntitle = \"P\"\nbody = \"Hi {{{{ customer }}}}\"\npublic = \"{at}\"\n"
    ));
    let (_, out) = check(&s, &[]);
    no_diagnostics(&out);
    let over = "a".repeat(281);
    let (s, file) = lib(&format!(
        "[p]\ntitle = \"P\"\nbody = \"Hi {{{{ customer }}}}\"\npublic = \"{over}\"\n"
    ));
    let (code, out) = check(&s, &[]);
    assert_eq!(code, 0, "{out}");
    let d = diagnostic(&out, &file, 8, "warning");
    assert!(d.contains("280") || out.contains("280"), "{d}");
}

#[test]
fn private_variables_in_public_are_warnings() {
    for var in ["order", "email", "phone"] {
        let (s, file) = lib(&format!(
            "[p]\ntitle = \"P\"\nbody = \"Hi {{{{ customer }}}}, {{{{ {var} }}}}\"\npublic = \"Thanks! Ref {{{{ {var} }}}}\"\n"
        ));
        let (code, out) = check(&s, &[]);
        assert_eq!(code, 0, "{out}");
        let d = diagnostic(&out, &file, 8, "warning");
        assert!(d.contains(var), "{d}");
        let shown = format!("public = \"Thanks! Ref {{{{ {var} }}}}\"");
        assert_eq!(column(d, &file), shown.find(var).unwrap() + 1, "{d}");
    }
    // The customer's name in public is fine.
    let (s, _) = lib(
        "[p]\ntitle = \"P\"\nbody = \"Hi {{ customer }}\"\npublic = \"Thanks {{ customer | first_name }}, check your DMs.\"\n",
    );
    let (_, out) = check(&s, &[]);
    no_diagnostics(&out);
}

#[test]
fn exit_codes_and_deny_warnings() {
    // Warnings only: 0, or 2 with --deny-warnings.
    let (s, _) = lib("[w]\ntitle = \"W\"\nbody = \"No name here.\"\n");
    assert_eq!(check(&s, &[]).0, 0);
    assert_eq!(check(&s, &["--deny-warnings"]).0, 2);
    // An error: 2 either way.
    let (s, _) = lib("[e]\ntitle = \"\"\nbody = \"Hi {{ customer }}\"\n");
    assert_eq!(check(&s, &[]).0, 2);
    assert_eq!(check(&s, &["--deny-warnings"]).0, 2);
}

#[test]
fn check_takes_paths() {
    let s = Sandbox::new();
    s.library_file("good.toml", CLEAN);
    let bad = s.write(
        "other/bad.toml",
        "[e]\ntitle = \"\"\nbody = \"Hi {{ customer }}\"\n",
    );
    // The default libraries are clean.
    assert_eq!(check(&s, &[]).0, 0);
    // A file given by path.
    let (code, out) = check(&s, &[bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    diagnostic(&out, &bad.display().to_string(), 2, "error");
    // A folder given by path.
    let (code, out) = check(&s, &[s.path("other").to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    // Several paths: the clean one does not hide the bad one.
    let (code, _) = check(&s, &[s.lib().to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    let (code, out) = check(&s, &[s.lib().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    // A path that does not exist is an error.
    let (code, out) = check(&s, &[s.path("nowhere").to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("nowhere"), "{out}");
}

#[test]
fn format_json_lists_every_diagnostic() {
    let (s, file) = lib(
        "[typo]\ntittle = \"T\"\nbody = \"x\"\n\n[loud]\ntitle = \"Loud\"\nbody = \"Hi {{ customer }}!!\"\n",
    );
    let out = s.run().args(["check", "--format", "json"]).code(2);
    let value: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    let mut found = Vec::new();
    collect(&value, &mut found);
    let error = found
        .iter()
        .find(|d| d.0 == "error" && d.2 == 6)
        .unwrap_or_else(|| panic!("no error on line 6: {value:#}"));
    assert_eq!(error.1, file);
    assert_eq!(error.3, 1);
    assert!(error.4.contains("tittle"), "{error:?}");
    let warning = found
        .iter()
        .find(|d| d.0 == "warning" && d.2 == 11)
        .unwrap_or_else(|| panic!("no warning on line 11: {value:#}"));
    assert!(warning.4.contains("!!"), "{warning:?}");
    // Clean: valid JSON with no error or warning.
    let (s, _) = lib("");
    let out = s.run().args(["check", "--format", "json"]).code(0);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut found = Vec::new();
    collect(&value, &mut found);
    assert!(found.is_empty(), "{value:#}");
}

/// (severity, file, line, column, message) of every object that looks like a diagnostic.
type Found = (String, String, u64, u64, String);

fn collect(v: &serde_json::Value, out: &mut Vec<Found>) {
    match v {
        serde_json::Value::Object(m) => {
            let sev = ["severity", "level", "kind"]
                .iter()
                .find_map(|k| m.get(*k).and_then(|x| x.as_str()));
            if let Some(sev) = sev.filter(|s| *s == "error" || *s == "warning") {
                let s = |k: &str| m.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                let n = |k: &str| m.get(k).and_then(|x| x.as_u64()).unwrap_or(0);
                let (file, line, col) = match m.get("location").or_else(|| m.get("span")) {
                    Some(serde_json::Value::Object(l)) => (
                        l.get("file")
                            .and_then(|x| x.as_str())
                            .unwrap_or("")
                            .to_string(),
                        l.get("line").and_then(|x| x.as_u64()).unwrap_or(0),
                        l.get("column").and_then(|x| x.as_u64()).unwrap_or(0),
                    ),
                    _ => (s("file"), n("line"), n("column")),
                };
                out.push((sev.to_string(), file, line, col, s("message")));
            }
            for x in m.values() {
                collect(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}
