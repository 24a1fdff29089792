//! Issue 2, `reply render`: finding the reply, the message on stdout, the
//! precedence of values, missing values, literal values and template errors.

use crate::support::*;

fn basic() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    s
}

const FULL: [&str; 8] = ["-c", "Ana", "-a", "Sam", "-b", "Acme", "-v", "order=A-1"];
const FULL_TEXT: &str =
    "Hi Ana, this is Sam from Acme.\nYour order A-1 will arrive within 3 business days.";

#[test]
fn an_exact_id_renders_with_nothing_on_stderr() {
    let s = basic();
    s.run()
        .args(["render", "order-delay"])
        .args(FULL)
        .stdout(FULL_TEXT)
        .stderr("")
        .code(0);
}

#[test]
fn the_message_is_trimmed_with_no_final_newline() {
    let s = Sandbox::new();
    s.library_file(
        "t.toml",
        "[pad]\ntitle = \"Pad\"\nbody = \"\"\"\n\n   Hello there.\n\n  Bye.  \n\n\"\"\"\n",
    );
    s.run()
        .args(["render", "pad"])
        .stdout("Hello there.\n\n  Bye.")
        .success();
}

#[test]
fn a_fuzzy_query_renders_the_best_match_and_says_which() {
    let s = basic();
    for q in ["delay", "order delayed", "delayed apology"] {
        let out = s.run().args(["render", q]).args(FULL).code(0);
        assert_eq!(out.stdout, FULL_TEXT, "query {q}");
        assert!(
            out.stderr.contains("order-delay"),
            "query {q}: {}",
            out.stderr
        );
    }
}

#[test]
fn exact_refuses_fuzzy_matching() {
    let s = basic();
    for flag in ["--exact", "-e"] {
        let out = s
            .run()
            .args(["render", "delay", flag])
            .args(FULL)
            .stdout("")
            .code(1);
        assert!(out.stderr.contains("delay"));
    }
    s.run()
        .args(["render", "order-delay", "--exact"])
        .args(FULL)
        .stdout(FULL_TEXT)
        .success();
}

#[test]
fn nothing_matching_is_exit_1() {
    let s = basic();
    s.run().args(["render", "xylophone"]).stdout("").code(1);
}

#[test]
fn a_bare_query_is_render() {
    let s = basic();
    s.run()
        .arg("order-delay")
        .args(FULL)
        .stdout(FULL_TEXT)
        .success();
    let out = s.run().arg("delay").args(FULL).stdout(FULL_TEXT).code(0);
    assert!(out.stderr.contains("order-delay"));
}

#[test]
fn long_options_work_like_short_ones() {
    let s = basic();
    s.run()
        .args([
            "render",
            "order-delay",
            "--customer",
            "Ana",
            "--agent",
            "Sam",
            "--brand",
            "Acme",
            "--var",
            "order=A-1",
        ])
        .stdout(FULL_TEXT)
        .success();
}

/// A reply whose variable `x` can come from every source.
const PRECEDENCE: &str = r#"
[p]
title = "Precedence"
body = "x={{ x | default(value='template') }} agent={{ agent | default(value='template') }}"
"#;

#[test]
fn precedence_is_flag_env_config_defaults_template() {
    // (flag, env, config, reply default) → expected value
    let cases: [([bool; 4], &str); 5] = [
        ([true, true, true, true], "flag"),
        ([false, true, true, true], "env"),
        ([false, false, true, true], "config"),
        ([false, false, false, true], "default"),
        ([false, false, false, false], "template"),
    ];
    for ([flag, env, config, default], want) in cases {
        let s = Sandbox::new();
        let mut text = PRECEDENCE.to_string();
        if default {
            text.push_str("[p.defaults]\nx = \"default\"\nagent = \"default\"\n");
        }
        s.library_file("p.toml", &text);
        if config {
            s.config("agent = \"config\"\n[vars]\nx = \"config\"\n");
        }
        let mut c = s.run().args(["render", "p"]);
        if flag {
            c = c.args(["-v", "x=flag", "-a", "flag"]);
        }
        if env {
            c = c.env("REPLY_VAR_x", "env").env("REPLY_AGENT", "env");
        }
        let out = c.success().stdout;
        assert_eq!(
            out,
            format!("x={want} agent={want}"),
            "sources flag={flag} env={env} config={config} default={default}"
        );
    }
}

#[test]
fn brand_and_customer_follow_the_same_precedence() {
    let s = Sandbox::new();
    s.library_file(
        "p.toml",
        "[p]\ntitle = \"P\"\nbody = \"{{ customer }} {{ brand }}\"\n[p.defaults]\nbrand = \"default\"\n",
    );
    s.config("brand = \"config\"\n");
    let run_with = |flag: bool, env: bool| {
        let mut c = s.run().args(["render", "p"]);
        if flag {
            c = c.args(["-c", "flagc", "-b", "flagb"]);
        }
        if env {
            c = c.env("REPLY_CUSTOMER", "envc").env("REPLY_BRAND", "envb");
        }
        c
    };
    run_with(true, true).stdout("flagc flagb").output();
    run_with(false, true).stdout("envc envb").output();
    run_with(false, false).code(2);
}

#[test]
fn a_missing_variable_is_exit_2_naming_every_one_and_how_to_give_it() {
    let s = basic();
    let out = s.run().args(["render", "thanks"]).stdout("").code(2);
    contains_all(&out.stderr, &["thanks", "customer", "agent", "--customer"]);

    let s = Sandbox::new();
    s.library_file(
        "m.toml",
        "[m]\ntitle = \"M\"\nbody = \"Hi {{ customer }}, order {{ order }}, ref {{ ref_code }}, {{ eta | default(value='soon') }}\"\n[m.defaults]\nagent = \"x\"\n",
    );
    let out = s.run().args(["render", "m"]).stdout("").code(2);
    let err = out.stderr.clone();
    contains_all(
        &err,
        &[
            "`m`",
            "customer",
            "order",
            "ref_code",
            "--customer",
            "-v order=",
            "-v ref_code=",
        ],
    );
    // A variable with a template default is not missing.
    assert!(!err.contains("eta"), "{err}");
    // Giving some leaves only the others.
    let out = s.run().args(["render", "m", "-c", "Ana"]).code(2);
    let err = out.stderr.clone();
    contains_all(&err, &["order", "ref_code"]);
    assert!(!err.contains("--customer"), "{err}");
}

#[test]
fn an_empty_or_blank_value_counts_as_missing() {
    let s = Sandbox::new();
    s.library_file(
        "e.toml",
        "[plain]\ntitle = \"P\"\nbody = \"Hi {{ customer }},\"\n\n[dflt]\ntitle = \"D\"\nbody = \"Hi {{ customer | default(value=\\\"there\\\") }},\"\n",
    );
    for blank in ["", " ", "   ", "\t", " \n "] {
        let out = s.run().args(["render", "plain", "-c", blank]).code(2);
        assert_eq!(out.stdout, "", "value {blank:?}");
        assert!(out.stderr.contains("customer"));

        let out = s.run().args(["render", "dflt", "-c", blank]).code(0);
        assert_eq!(out.stdout, "Hi there,", "value {blank:?}");

        // The same from the environment and the config.
        let out = s
            .run()
            .args(["render", "dflt"])
            .env("REPLY_CUSTOMER", blank)
            .output();
        assert_eq!(out.stdout, "Hi there,", "env value {blank:?}");
        s.run()
            .args(["render", "plain", "-v", &format!("customer={blank}")])
            .code(2);
    }
    // A blank flag does not hide a real value from a lower source.
    s.run()
        .args(["render", "plain", "-c", " "])
        .env("REPLY_CUSTOMER", "Ana")
        .stdout("Hi Ana,")
        .success();
}

#[test]
fn values_are_inserted_literally() {
    let s = basic();
    for name in [
        "{{ agent }}",
        "O'Brien & Sons <VIP>",
        "{% if x %}y{% endif %}",
        "\"quoted\" \\ back",
        "Zoë 😀 Ñandú",
    ] {
        s.run()
            .args(["render", "thanks", "-c", name, "-a", "Sam"])
            .stdout(format!("Thanks {name}! Sam"))
            .success();
    }
    let out = s
        .run()
        .args([
            "render",
            "order-delay",
            "-c",
            "Ana",
            "-a",
            "Sam",
            "-b",
            "A&B <x>",
        ])
        .args(["-v", "order={{ brand }}"])
        .success()
        .stdout;
    assert!(out.contains("from A&B <x>."), "{out}");
    assert!(out.contains("Your order {{ brand }} will"), "{out}");
}

#[test]
fn a_template_syntax_error_points_inside_the_file_with_a_caret() {
    let s = Sandbox::new();
    let path = s.library_file(
        "bad.toml",
        "# a comment\n[bad]\ntitle = \"Bad\"\nbody = \"\"\"\nHello {{ customer }},\nYour order {{ order + }} is late.\n\"\"\"\n",
    );
    let out = s
        .run()
        .args(["render", "bad", "-c", "A", "-v", "order=1"])
        .stdout("")
        .code(2);
    let err = out.stderr.clone();
    let file = path.display().to_string();
    let (line, col) = position(&err, &file);
    assert_eq!(line, 6, "{err}");
    // The column lies inside `{{ order + }}` (columns 12..=24 of the line).
    assert!((12..=24).contains(&col), "column {col}: {err}");
    contains_all(&err, &["bad", "Your order {{ order + }} is late."]);
    assert_caret_under(&err, "Your order {{ order + }} is late.", col);
}

#[test]
fn a_template_error_in_a_one_line_body_counts_the_key_and_quote() {
    let s = Sandbox::new();
    let path = s.library_file(
        "bad.toml",
        "[ok]\ntitle = \"Ok\"\nbody = \"fine\"\n\n[bad]\ntitle = \"Bad\"\nbody = \"Hi {{ customer | nofilter }} x\"\n",
    );
    let out = s
        .run()
        .args(["render", "bad", "-c", "A"])
        .stdout("")
        .code(2);
    let err = out.stderr.clone();
    let (line, col) = position(&err, &path.display().to_string());
    assert_eq!(line, 7, "{err}");
    // `nofilter` starts at column 26 of `body = "Hi {{ customer | nofilter }} x"`.
    assert!((12..=36).contains(&col), "{err}");
    assert_caret_under(&err, "body = \"Hi {{ customer | nofilter }} x\"", col);
    // The good reply of the same file still renders.
    s.run().args(["render", "ok"]).stdout("fine").success();
}

#[test]
fn an_unclosed_block_is_a_template_error_in_the_file() {
    let s = Sandbox::new();
    let path = s.library_file(
        "bad.toml",
        "[bad]\ntitle = \"Bad\"\nbody = \"\"\"\nline one\n{% if customer %}hello\n\"\"\"\n",
    );
    let out = s
        .run()
        .args(["render", "bad", "-c", "A"])
        .stdout("")
        .code(2);
    let err = out.stderr.clone();
    let (line, _) = position(&err, &path.display().to_string());
    assert!((4..=6).contains(&line), "{err}");
    assert!(err.contains('^'), "{err}");
}

/// The `line:col` after `file:` in a message.
pub fn position(err: &str, file: &str) -> (usize, usize) {
    let at = err
        .find(&format!("{file}:"))
        .unwrap_or_else(|| panic!("{file} not in:\n{err}"));
    let rest = &err[at + file.len() + 1..];
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().unwrap().parse().expect("line number");
    let col = parts
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no column after {file}:{line}: in:\n{err}"));
    (line, col)
}

/// The line is shown and a caret sits under column `col` on the next line.
#[track_caller]
pub fn assert_caret_under(err: &str, line_text: &str, col: usize) {
    let lines: Vec<&str> = err.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.ends_with(line_text))
        .unwrap_or_else(|| panic!("line {line_text:?} not shown in:\n{err}"));
    let shown = lines[i];
    let prefix = shown.len() - line_text.len();
    let caret = lines.get(i + 1).expect("a caret line");
    let at = caret.find('^').expect("a caret");
    assert_eq!(
        caret[prefix..].chars().take_while(|c| *c == ' ').count() + 1,
        col,
        "caret not under column {col} (found at byte {at}):\n{err}"
    );
}

#[test]
fn template_error_positions_follow_toml_escapes_literals_and_crlf() {
    // (file text, line, the line as shown, column of the `}}` the parser trips on)
    let cases = [
        (
            "[a]\ntitle = \"A\"\nbody = \"Caf\\u00e9 \\t {{ customer + }} x\"\n",
            3,
            "body = \"Caf\\u00e9 \\t {{ customer + }} x\"",
        ),
        (
            "[a]\ntitle = \"A\"\nbody = \"\"\"\nOne \\\n   two {{ customer + }}\n\"\"\"\n",
            5,
            "   two {{ customer + }}",
        ),
        (
            "[a]\ntitle = \"A\"\nbody = '''\nLit {{ customer + }}\n'''\n",
            4,
            "Lit {{ customer + }}",
        ),
        (
            "[a]\r\ntitle = \"A\"\r\nbody = \"\"\"\r\nline\r\nx {{ customer + }}\r\n\"\"\"\r\n",
            5,
            "x {{ customer + }}",
        ),
        (
            "[a]\ntitle = \"A\"\nbody = \"\"\"\nÀ é ü {{ customer + }}\n\"\"\"\n",
            4,
            "À é ü {{ customer + }}",
        ),
    ];
    for (text, line, shown) in cases {
        let s = Sandbox::new();
        let path = s.library_file("a.toml", text);
        let out = s.run().args(["render", "a", "-c", "X"]).stdout("").code(2);
        let err = out.stderr.clone();
        let (l, col) = position(&err, &path.display().to_string());
        let want =
            shown.chars().count() - shown.rfind("}}").map_or(0, |i| shown[i..].chars().count()) + 1;
        assert_eq!((l, col), (line, want), "{text:?}:\n{err}");
        assert_caret_under(&err, shown, col);
    }
}

#[test]
fn a_var_value_may_contain_equals_signs() {
    let s = Sandbox::new();
    s.library_file(
        "v.toml",
        "[v]\ntitle = \"V\"\nbody = \"Link: {{ link }}\"\n",
    );
    s.run()
        .args(["render", "v", "-v", "link=https://x.test/?a=1&b=2"])
        .stdout("Link: https://x.test/?a=1&b=2")
        .success();
    // Not KEY=VALUE: a usage error.
    s.run()
        .args(["render", "v", "-v", "link"])
        .stdout("")
        .code(2);
}

#[test]
fn defaults_and_config_values_are_literal_too_and_blank_ones_are_missing() {
    let s = Sandbox::new();
    s.library_file(
        "d.toml",
        "[d]\ntitle = \"D\"\nbody = \"{{ customer }} / {{ note }}\"\n[d.defaults]\nnote = \"{{ agent }} & <b>\"\ncustomer = \"  \"\n",
    );
    let out = s.run().args(["render", "d"]).code(2);
    assert!(out.stderr.contains("customer"), "{}", out.stderr);
    assert!(!out.stderr.contains("`note`"), "{}", out.stderr);
    s.config("[vars]\ncustomer = \"{% raw %}Ana\"\n");
    s.run()
        .args(["render", "d"])
        .stdout("{% raw %}Ana / {{ agent }} & <b>")
        .success();
}
