//! `reply import` and `reply export` through the binary: each format's
//! fixtures (tests/fixtures/import: BOM, CRLF, quoted multi-line cells,
//! UTF-16, Windows-1252, duplicate names, missing titles, unknown front
//! matter, espanso forms and vars, every help-desk placeholder), what the
//! imported replies render to, ids never overwritten, the plan and its
//! question, replies the checks refuse, the round trips, and export's rules
//! about where it writes.

use serde_json::Value;

use crate::support::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

fn fixture(rel: &str) -> String {
    format!("{FIXTURES}/{rel}")
}

/// Renders `id` with `args` in the sandbox library; the message.
fn render(s: &Sandbox, id: &str, args: &[&str]) -> String {
    s.run()
        .args(["render", id, "--print"])
        .args(args)
        .success()
        .stdout
}

/// `reply import FORMAT SOURCE --into lib`, to add arguments and expectations to.
fn import<'s>(s: &'s Sandbox, format: &str, source: &str) -> Run<'s> {
    s.run().args(["import", format, source, "--into", "lib"])
}

fn import_json(s: &Sandbox, args: &[&str]) -> Value {
    s.run()
        .arg("import")
        .args(args)
        .arg("--json")
        .success()
        .json()
}

/// The notes of reply `id` in an import report, as JSON text.
fn notes_of(report: &Value, id: &str) -> String {
    report["replies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#}"))["notes"]
        .to_string()
}

#[test]
fn espanso_triggers_forms_and_vars() {
    let s = Sandbox::new();
    let report = import_json(&s, &["espanso", &fixture("espanso/match"), "--into", "lib"]);
    let ids: Vec<&str> = report["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "thx",
            "ship",
            "addr",
            "today",
            "paste",
            "order-is-on-its-way",
            "thx-2"
        ]
    );
    // The package manifest is no match file; the image and the empty text are said.
    let skipped = report["skipped"].to_string();
    assert!(
        skipped.contains("an image") && skipped.contains("empty"),
        "{skipped}"
    );
    assert!(!skipped.contains("_manifest"), "{skipped}");
    s.run().args(["check", "lib"]).success();
    // A trigger still finds its reply.
    s.run()
        .args(["list", "--tag", ":shipping"])
        .stdout_contains("ship")
        .success();
    assert_eq!(render(&s, "thx", &[]), "Thanks for your patience, there!");
    // The form's fields are declared, the choice with its values and default.
    let show = s.run().args(["show", "ship", "--json"]).success().json();
    let carrier = show["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "carrier")
        .unwrap();
    assert_eq!(
        carrier["declared"]["choices"],
        serde_json::json!(["DHL", "UPS", "GLS"])
    );
    assert_eq!(carrier["default"], "UPS");
    assert_eq!(
        show["tags"],
        serde_json::json!([":ship", ":shipping", "delivery"])
    );
    assert_eq!(
        render(&s, "ship", &["-c", "Ana"]),
        "Hi Ana,\nparcels sent with UPS arrive in 3 days.\nThe Acme team"
    );
    // What only espanso fills in is a plain variable, and said.
    let today = notes_of(&report, "today");
    assert!(
        today.contains("the date") && today.contains("shell") && today.contains("random"),
        "{today}"
    );
    s.run()
        .args(["render", "today", "--print"])
        .stderr_contains("today_value")
        .code(2);
    assert_eq!(
        report["replies"][6]["renamed"],
        "an earlier reply of this import has that id"
    );
}

#[test]
fn every_help_desk_placeholder_is_converted() {
    let s = Sandbox::new();
    let report = import_json(
        &s,
        &[
            "csv",
            &fixture("csv/helpdesk.csv"),
            "--into",
            "lib",
            "--map",
            "Comment=body",
        ],
    );
    s.run().args(["check", "lib"]).success();
    let who = ["-c", "Ana María López", "-a", "Sam Lee"];
    assert_eq!(
        render(&s, "refund-approved", &who),
        "Hi Ana,\nyour refund is on its way.\nSam"
    );
    assert_eq!(
        render(
            &s,
            "order-status",
            &["-c", "Ana López", "-a", "Sam", "-v", "ticket_id=42"]
        ),
        "Dear Ana López, ticket 42 is open. Sam"
    );
    assert_eq!(render(&s, "gorgias-hello", &who), "Hey Ana! Sam here.");
    assert_eq!(
        render(&s, "intercom-hello", &[]),
        "Hi there, and valued customer."
    );
    assert_eq!(render(&s, "intercom-hello", &who), "Hi Ana, and Ana.");
    assert_eq!(
        render(&s, "help-scout-hello", &["-a", "Sam Lee"]),
        "Hi there, Sam from support."
    );
    // An unknown placeholder is a plain variable, reported.
    let order = notes_of(&report, "order-status");
    assert!(order.contains("ticket_id"), "{order}");
    s.run()
        .args([
            "render",
            "order-status",
            "--print",
            "-c",
            "Ana",
            "-a",
            "Sam",
        ])
        .stderr_contains("ticket_id")
        .code(2);
    // The second macro of the same name, the row with no title, the row with no text.
    let all = report["replies"].to_string();
    assert!(all.contains("\"refund-approved-2\""), "{all}");
    s.run()
        .args(["show", "no-title-here-the-first-words-become-one"])
        .stdout_contains("title: No title here, the first words become one…")
        .success();
    assert!(report["skipped"].to_string().contains("no text"));
    assert!(report["skipped"].to_string().contains("`Owner`"));
    let tags = s
        .run()
        .args(["show", "gorgias-hello", "--json"])
        .success()
        .json();
    assert_eq!(tags["tags"], serde_json::json!(["greeting", "gorgias"]));
}

#[test]
fn csv_encodings_and_delimiters() {
    for (file, id, title, encoding) in [
        (
            "semicolon-bom.csv",
            "late",
            "Pedido retrasado",
            "UTF-8 with BOM",
        ),
        ("utf16.csv", "cafe", "Café", "UTF-16LE"),
        (
            "windows-1252.csv",
            "creme-brulee",
            "Crème brûlée",
            "windows-1252",
        ),
    ] {
        let s = Sandbox::new();
        import(&s, "csv", &fixture(&format!("csv/{file}")))
            .stderr_contains(format!("read as {encoding}"))
            .stdout_contains(format!("{id}  {title}"))
            .success();
        s.run()
            .args(["show", id])
            .stdout_contains(format!("title: {title}"))
            .success();
    }
    let s = Sandbox::new();
    import(&s, "csv", &fixture("csv/windows-1252.csv")).success();
    assert_eq!(
        render(&s, "creme-brulee", &["-c", "Zoë"]),
        "Désolé, Zoë: 5 € de remise."
    );
    let s = Sandbox::new();
    import(&s, "csv", &fixture("csv/semicolon-bom.csv")).success();
    assert_eq!(
        render(&s, "late", &["-c", "Ana López"]),
        "Hola Ana; tu pedido llega mañana."
    );
    s.run()
        .args(["show", "late"])
        .stdout_contains("languages: es")
        .success();
}

#[test]
fn markdown_front_matter_and_bodies_as_written() {
    let s = Sandbox::new();
    let report = import_json(&s, &["markdown", &fixture("markdown"), "--into", "lib"]);
    s.run().args(["check", "lib"]).success();
    let refund = notes_of(&report, "refund");
    assert!(
        refund.contains("`colour`") && refund.contains("money-back"),
        "{refund}"
    );
    assert_eq!(
        render(&s, "refund", &["-c", "Ana López"]),
        "Hi Ana,\n\nRefunds take **5 to 10 business days**. In code: `{x}` and {{0}}."
    );
    let late = s
        .run()
        .args(["show", "late-order", "--json"])
        .success()
        .json();
    assert_eq!(late["lang"], "es");
    assert_eq!(
        late["tags"],
        serde_json::json!(["orders", "shipping", "faq"])
    );
    assert_eq!(late["variants"][0]["title"], "Pedido retrasado");
    assert_eq!(
        render(&s, "no-front-matter", &[]),
        "Just a reply written without any front matter at all, nothing else."
    );
    let skipped = report["skipped"].to_string();
    assert!(
        skipped.contains("README") && skipped.contains("empty.md"),
        "{skipped}"
    );
}

#[test]
fn pet_params_defaults_and_choices() {
    let s = Sandbox::new();
    import(&s, "pet", &fixture("pet/snippet.toml")).success();
    assert_eq!(
        render(&s, "tracking-link", &["-v", "tracking=123"]),
        "https://track.example/dhl/123?lang=en"
    );
    s.run()
        .args([
            "render",
            "tracking-link",
            "--print",
            "-v",
            "tracking=1",
            "-v",
            "carrier=fedex",
        ])
        .stderr_contains("dhl")
        .code(2);
    assert_eq!(
        render(&s, "ping-a-host", &["-v", "host=a.b"]),
        "ping -c 3 a.b"
    );
}

#[test]
fn an_existing_id_is_never_overwritten() {
    let s = Sandbox::new();
    let before = reply("thx", "Ours", "Thanks, {{ customer }}!");
    s.library_file("ours.toml", &before);
    let report = import_json(
        &s,
        &[
            "espanso",
            &fixture("espanso/match/base.yml"),
            "--into",
            "lib",
        ],
    );
    assert_eq!(report["replies"][0]["id"], "thx-2");
    assert_eq!(report["replies"][0]["wanted"], "thx");
    assert_eq!(
        report["replies"][0]["renamed"],
        "a reply of the library has that id"
    );
    assert_eq!(
        std::fs::read_to_string(s.lib().join("ours.toml")).unwrap(),
        before
    );
    assert_eq!(render(&s, "thx", &["-c", "Ana"]), "Thanks, Ana!");
    // Importing the same again adds, it never replaces.
    import(&s, "espanso", &fixture("espanso/match/base.yml"))
        .stdout_contains("renamed: `thx` is taken (a reply of the library has that id)")
        .stdout_contains("thx-3")
        .success();
    let text = std::fs::read_to_string(s.lib().join("base.toml")).unwrap();
    assert_eq!(text.matches("[ship]").count(), 1, "{text}");
    assert_eq!(text.matches("[ship-2]").count(), 1, "{text}");
    assert!(
        text.contains("# Imported from base.yml, match 1\n[thx-2]"),
        "{text}"
    );
}

#[test]
fn a_dry_run_writes_nothing_and_a_script_writes_without_asking() {
    let s = Sandbox::new();
    import(&s, "pet", &fixture("pet/snippet.toml"))
        .args(["--dry-run"])
        .stdout_contains("2 replies from")
        .stdout_contains("tracking-link")
        .stdout_contains("converted: <tracking> → {{ tracking }}")
        .stderr_contains("Dry run: nothing was written.")
        .success();
    assert!(!s.lib().join("snippet.toml").exists());
    import(&s, "pet", &fixture("pet/snippet.toml"))
        .args(["--file", "team/pet.toml"])
        .stderr_contains("Imported 2 replies into")
        .success();
    assert!(s.lib().join("team/pet.toml").exists());
}

#[test]
fn on_a_terminal_the_plan_is_shown_and_asked_about() {
    if !require("tmux") {
        return;
    }
    let s = Sandbox::new();
    let t = Tmux::start(&s, 120, 40, &[]);
    let source = fixture("pet/snippet.toml");
    t.reply(&format!("import pet '{source}' --into lib"), "[y/N]");
    t.keys(&["n", "Enter"]);
    t.wait_for("Nothing was written.");
    assert_eq!(t.finished(), 0);
    assert!(!s.lib().join("snippet.toml").exists());
    let screen = t.reply(&format!("import pet '{source}' --into lib"), "[y/N]");
    assert!(
        screen.contains("tracking-link") && screen.contains("Write 2 replies to"),
        "{screen}"
    );
    t.keys(&["y", "Enter"]);
    t.wait_for("Imported 2 replies");
    assert_eq!(t.finished(), 0);
    assert!(s.lib().join("snippet.toml").exists());
}

#[test]
fn a_reply_the_checks_refuse_is_left_out_and_said() {
    let s = Sandbox::new();
    s.write(
        "in.json",
        r#"[{"id":"good","variants":[{"lang":"en","title":"Good","body":"Hi {{ customer }}"}]},
            {"id":"bad","variants":[{"lang":"en","title":"Bad","body":"Hi {{ customer "}]},
            {"id":"fails","variants":[{"lang":"en","title":"Fails","body":"Hi {{ customer }}"}],
             "tests":[{"name":"t","vars":{"customer":"Ana"},"contains":["Bo"]}]}]"#,
    );
    let report = import_json(&s, &["json", "in.json", "--into", "lib"]);
    assert_eq!(report["replies"].as_array().unwrap().len(), 1);
    let skipped = report["skipped"].to_string();
    assert!(
        skipped.contains("reply 2") && skipped.contains("template error"),
        "{skipped}"
    );
    assert!(
        skipped.contains("reply 3") && skipped.contains("test `t`"),
        "{skipped}"
    );
    s.run().args(["check", "lib"]).success();
    // A file with errors of its own is not appended to.
    s.library_file("broken.toml", "[x\n");
    s.run()
        .args([
            "import",
            "json",
            "in.json",
            "--into",
            "lib",
            "--file",
            "broken.toml",
        ])
        .stderr_contains("has errors of its own: nothing was imported")
        .code(2);
    assert_eq!(
        std::fs::read_to_string(s.lib().join("broken.toml")).unwrap(),
        "[x\n"
    );
}

#[test]
fn untrusted_sources_are_escaped_bounded_and_never_panic() {
    let s = Sandbox::new();
    s.write(
        "evil.csv",
        "id,title,body\n\"../../etc/passwd\",\"Title \u{1b}]0;pwned\u{7}\",\"Hi {{ customer }}\"\n",
    );
    let out = s
        .run()
        .args(["import", "csv", "evil.csv", "--into", "lib"])
        .success();
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
    assert!(out.stdout.contains("etc-passwd"), "{}", out.stdout);
    s.write(
        "bad.yml",
        "matches: [\n  - trigger: ':x'\n    replace: {{{\n",
    );
    let out = s
        .run()
        .args(["import", "espanso", "bad.yml", "--into", "lib"])
        .code(2);
    no_panic(&out.stderr);
    assert!(out.stdout.contains("not YAML"), "{}", out.stdout);
    let big = s.path("big.csv");
    std::fs::write(&big, vec![b'a'; (16 << 20) + 1]).unwrap();
    s.run()
        .args(["import", "csv", "big.csv", "--into", "lib"])
        .stderr_contains("larger than 16 MB")
        .code(2);
    s.run()
        .args(["import", "csv", "nothere.csv", "--into", "lib"])
        .stderr_contains("cannot read")
        .code(2);
    s.run()
        .args(["import", "csv", "evil.csv", "--map", "x"])
        .stderr_contains("is not COLUMN=FIELD")
        .code(2);
}

const ROUND: &str = r#"
[order-delay]
title = "Order delayed"
tags = ["orders", "shipping"]
platforms = ["whatsapp"]
examples = ["where is my order", "still not here"]
body = """
Hi {{ customer | default(value="there") }}, order {{ order }} arrives {{ eta }}.
{% if discount %}Here is 10% off.{% endif %}
"""
public = "Sorry, {{ customer | default(value=\"there\") }}: we sent you a DM."

[order-delay.defaults]
eta = "within 3 days"

[order-delay.translations.es]
title = "Pedido retrasado"
examples = ["donde esta mi pedido"]
body = "Hola {{ customer | default(value=\"\") }}, tu pedido {{ order }} llega {{ eta }}."

[thanks]
title = "Thanks: \"quoted\" and 'single'"
lang = "es"
body = "Gracias, {{ customer }}. {% raw %}{{literal}}{% endraw %}"
"#;

/// A reply's `show --json` without where it lives.
fn shape(s: &Sandbox, lib: &str, id: &str) -> Value {
    let mut v = s
        .run()
        .bare()
        .args(["-L", lib, "show", id, "--json"])
        .success()
        .json();
    v.as_object_mut().unwrap().remove("source");
    v
}

#[test]
fn export_then_import_gives_the_same_replies() {
    for (format, out) in [("json", "all.json"), ("csv", "all.csv"), ("markdown", "md")] {
        let s = Sandbox::new();
        s.library_file("orders.toml", ROUND);
        s.write("empty/.keep", "");
        s.run()
            .args(["export", format, "--out", out])
            .stderr_contains("Exported 2 replies")
            .success();
        s.run()
            .bare()
            .args(["import", format, out, "--into", "empty"])
            .success();
        s.run()
            .bare()
            .args(["-L", "empty", "check", "empty"])
            .success();
        for id in ["order-delay", "thanks"] {
            assert_eq!(
                shape(&s, "lib", id),
                shape(&s, "empty", id),
                "{format}: {id}"
            );
        }
    }
}

#[test]
fn json_keeps_declared_variables_and_tests() {
    let s = Sandbox::new();
    s.library_file(
        "t.toml",
        "[late]\ntitle = 'Late'\nbody = 'Hi {{ customer }}, order {{ order }}'\n[late.vars.order]\nprompt = 'Order'\npattern = '^A-\\d+$'\nprivate = true\n[late.tests.basic]\nvars = { customer = 'Ana', order = 'A-1' }\ncontains = ['Hi Ana']\n",
    );
    s.run()
        .args(["export", "json", "--out", "x.json"])
        .success();
    s.write("empty/.keep", "");
    s.run()
        .bare()
        .args(["import", "json", "x.json", "--into", "empty"])
        .success();
    assert_eq!(shape(&s, "lib", "late"), shape(&s, "empty", "late"));
    let v = shape(&s, "empty", "late");
    assert_eq!(v["variables"][1]["declared"]["pattern"], "^A-\\d+$");
    assert_eq!(v["tests"][0]["contains"], serde_json::json!(["Hi Ana"]));
    s.run()
        .bare()
        .args(["-L", "empty", "test", "late"])
        .success();
    // CSV and Markdown say what they leave out.
    s.run()
        .args(["export", "csv"])
        .stderr_contains("CSV has no place for declared variables")
        .stderr_contains("the replies' own tests")
        .success();
}

#[test]
fn export_writes_only_where_it_is_told() {
    let s = Sandbox::new();
    s.library_file("orders.toml", ROUND);
    // stdout, with or without `-`.
    let a = s.run().args(["export", "json"]).success().stdout;
    let b = s
        .run()
        .args(["export", "json", "--out", "-"])
        .success()
        .stdout;
    assert_eq!(a, b);
    let v: Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["replies"].as_array().unwrap().len(), 2);
    // Never over a file without --force.
    s.write("x.csv", "keep me");
    s.run()
        .args(["export", "csv", "--out", "x.csv"])
        .stderr_contains("exists: nothing was written")
        .code(2);
    assert_eq!(std::fs::read_to_string(s.path("x.csv")).unwrap(), "keep me");
    s.run()
        .args(["export", "csv", "--out", "x.csv", "--force"])
        .success();
    assert!(
        std::fs::read_to_string(s.path("x.csv"))
            .unwrap()
            .starts_with("id,lang,title")
    );
    // Markdown is a folder: one file per reply, nothing else, nothing outside.
    s.run()
        .args(["export", "markdown"])
        .stderr_contains("give --out FOLDER")
        .code(2);
    s.run()
        .args(["export", "markdown", "--out", "md"])
        .success();
    let mut names: Vec<String> = std::fs::read_dir(s.path("md"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["order-delay.md", "thanks.md"]);
    s.run()
        .args(["export", "markdown", "--out", "md"])
        .stderr_contains("exists")
        .code(2);
    // Only the ids given; an unknown one is no match.
    let one = s.run().args(["export", "json", "thanks"]).success().json();
    assert_eq!(one["replies"].as_array().unwrap().len(), 1);
    s.run()
        .args(["export", "json", "thank"])
        .stderr_contains("did you mean `thanks`?")
        .code(1);
    // espanso: a text that needs Tera's logic is exported as its text, said.
    let esp = s
        .run()
        .args(["export", "espanso"])
        .stderr_contains("`order-delay` uses Tera features espanso lacks")
        .success()
        .stdout;
    assert!(esp.contains("trigger: \":thanks\""), "{esp}");
    // `--library` exports that library only.
    s.write(
        "other/o.toml",
        &reply("other", "Other", "Hi {{ customer }}"),
    );
    let v = s
        .run()
        .bare()
        .args(["-L", "other", "export", "json"])
        .success()
        .json();
    assert_eq!(v["replies"][0]["id"], "other");
    assert_eq!(v["replies"].as_array().unwrap().len(), 1);
}
