//! Golden tests of every `--json` shape (docs/json.md): parsed and compared
//! field by field, so a renamed or retyped field fails here first.

use serde_json::{Value, json};

use crate::support::*;

const LIB: &str = r#"
[order-delay]
title = "Order delayed"
tags = ["orders", "shipping"]
platforms = ["sms", "whatsapp"]
body = """
Hi {{ customer | default(value="there") }}, {{ agent }} here. Order {{ order }} arrives {{ eta }}.
"""
public = "Sorry for the wait. We've sent you a DM. {{ agent }}"

[order-delay.defaults]
eta = "soon"

[order-delay.translations.es]
title = "Pedido retrasado"
body = "Hola {{ customer | default(value=\"\") }}, soy {{ agent }}. Pedido {{ order }}: llega {{ eta }}."
public = "Perdón por la espera. Te escribimos por DM. {{ agent }}"

[thanks]
title = "Thanks"
body = "THANK YOU SO much!!"
"#;

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("orders.toml", LIB);
    s
}

fn json_of(s: &Sandbox, args: &[&str]) -> Value {
    let out = s.run().args(args).output();
    assert!(
        out.status.code() == Some(0) || args.contains(&"check"),
        "{args:?}: {}",
        out.stderr
    );
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", out.stdout))
}

fn file(s: &Sandbox) -> String {
    s.lib().join("orders.toml").display().to_string()
}

#[test]
fn list_shape() {
    let s = sandbox();
    let v = json_of(&s, &["list", "--json"]);
    assert_eq!(v["version"], 1);
    let r = &v["replies"][0];
    assert_eq!(r["id"], "order-delay");
    assert_eq!(r["title"], "Order delayed");
    assert_eq!(r["tags"], json!(["orders", "shipping"]));
    assert_eq!(r["lang"], "en");
    assert_eq!(r["languages"], json!(["en", "es"]));
    assert_eq!(r["platforms"], json!(["sms", "whatsapp"]));
    assert_eq!(r["has_public"], true);
    assert_eq!(r["layer"], "REPLY_LIBRARY");
    assert_eq!(r["file"], file(&s));
    assert_eq!(r["line"], 2);
    assert_eq!(v["replies"].as_array().unwrap().len(), 2);
}

#[test]
fn search_shape() {
    let s = sandbox();
    let v = json_of(&s, &["search", "retrasado", "--json"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["query"], "retrasado");
    let r = &v["results"][0];
    assert_eq!(r["id"], "order-delay");
    // The Spanish title matched, so it is the one shown.
    assert_eq!(r["title"], "Pedido retrasado");
    assert_eq!(r["lang"], "es");
    assert!(r["score"].as_i64().unwrap() > 0);
    assert_eq!(r["frecency"], 0.0);
    assert_eq!(r["matches"]["title"], json!([[7, 16]]));
    assert_eq!(r["matches"]["id"], json!([]));
    assert_eq!(r["matches"]["fields"], json!(["title"]));
    assert_eq!(r["file"], file(&s));
    assert_eq!(r["line"], 2);
}

#[test]
fn show_shape() {
    let s = sandbox();
    let v = json_of(&s, &["show", "order-delay", "--json"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["id"], "order-delay");
    assert_eq!(v["lang"], "en");
    assert_eq!(v["tags"], json!(["orders", "shipping"]));
    assert_eq!(v["platforms"], json!(["sms", "whatsapp"]));
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[1]["lang"], "es");
    assert_eq!(variants[1]["title"], "Pedido retrasado");
    assert!(
        variants[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("Hi {{ customer")
    );
    assert_eq!(
        variants[0]["public"],
        "Sorry for the wait. We've sent you a DM. {{ agent }}"
    );
    assert_eq!(
        v["variables"],
        json!([
            {"name": "agent", "default": null},
            {"name": "customer", "default": null},
            {"name": "eta", "default": "soon"},
            {"name": "order", "default": null}
        ])
    );
    assert_eq!(v["defaults"], json!({"eta": "soon"}));
    assert_eq!(v["source"]["file"], file(&s));
    assert_eq!(v["source"]["line"], 2);
    assert_eq!(variants[0]["examples"], json!([]));
    assert_eq!(v["tests"], json!([]));
}

#[test]
fn export_json_shape() {
    let s = sandbox();
    let v = json_of(&s, &["export", "json", "thanks"]);
    assert_eq!(
        v,
        json!({
            "version": 1,
            "replies": [{
                "id": "thanks",
                "lang": "en",
                "tags": [],
                "platforms": [],
                "variants": [{"lang": "en", "title": "Thanks", "body": "THANK YOU SO much!!", "public": null, "examples": []}],
                "variables": [],
                "defaults": {},
                "tests": []
            }]
        })
    );
}

#[test]
fn import_shape() {
    let s = sandbox();
    s.write(
        "macros.csv",
        "title,body\nHello,\"Hi {{ticket.requester.first_name}}, ticket {{ticket.id}}\"\nThanks,\"Thanks!\"\n,\n",
    );
    let v = json_of(
        &s,
        &[
            "import",
            "csv",
            "macros.csv",
            "--into",
            "lib",
            "--dry-run",
            "--json",
        ],
    );
    let lib = s.lib().display().to_string();
    assert_eq!(
        v,
        json!({
            "version": 1,
            "format": "csv",
            "library": lib,
            "file": format!("{lib}/macros.toml"),
            "dry_run": true,
            "written": false,
            "replies": [
                {
                    "id": "hello", "wanted": null, "renamed": null,
                    "origin": "macros.csv:2", "title": "Hello", "lang": null,
                    "notes": [
                        {"kind": "converted", "from": "{{ticket.requester.first_name}}", "to": "{{ customer | first_name }}"},
                        {"kind": "attention", "text": "`{{ticket.id}}` is no placeholder reply knows: it is the variable `ticket_id` now, to be given a value"},
                        {"kind": "converted", "from": "{{ticket.id}}", "to": "{{ ticket_id }}"}
                    ]
                },
                {
                    "id": "thanks-2", "wanted": "thanks", "renamed": "a reply of the library has that id",
                    "origin": "macros.csv:3", "title": "Thanks", "lang": null, "notes": []
                }
            ],
            "skipped": [],
            "warnings": [
                {"code": "not-personal", "reply": "thanks-2", "line": 9, "message": "reply `thanks-2` does not use the customer's name"}
            ]
        })
    );
}

#[test]
fn render_shape() {
    let s = sandbox();
    let v = json_of(
        &s,
        &[
            "render",
            "order-delay",
            "-a",
            "Sam",
            "-v",
            "order=A-1",
            "-p",
            "sms",
            "--json",
        ],
    );
    let message = "Hi there, Sam here. Order A-1 arrives soon.";
    assert_eq!(
        v,
        json!({
            "version": 1,
            "id": "order-delay",
            "title": "Order delayed",
            "lang": "en",
            "part": "body",
            "exact": true,
            "platform": "sms",
            "message": message,
            "length": {"chars": 43, "bytes": 43},
            "measure": {
                "length": 1, "limit": 10, "unit": "segments",
                "sms": {"encoding": "GSM-7", "units": 43, "segments": 1, "per_segment": 160}
            },
            "variables": [
                {"name": "agent", "value": "Sam", "origin": "flag"},
                {"name": "customer", "value": null, "origin": "template"},
                {"name": "eta", "value": "soon", "origin": "default"},
                {"name": "order", "value": "A-1", "origin": "flag"}
            ]
        })
    );
    let v = s
        .run()
        .env("REPLY_AGENT", "Ana")
        .args(["render", "order-delay", "--public", "-l", "es", "--json"])
        .output()
        .json();
    assert_eq!(v["part"], "public");
    assert_eq!(v["lang"], "es");
    assert_eq!(v["platform"], Value::Null);
    assert_eq!(v["measure"], Value::Null);
    assert_eq!(
        v["variables"],
        json!([{"name": "agent", "value": "Ana", "origin": "env"}])
    );
}

#[test]
fn vars_shape() {
    let s = sandbox();
    s.config("brand = \"Acme\"\n[vars]\norder = \"C-3\"\n");
    let v = json_of(&s, &["vars", "order-delay", "--json"]);
    assert_eq!(
        v,
        json!({
            "version": 1,
            "id": "order-delay",
            "lang": "en",
            "ready": false,
            "variables": [
                {"name": "agent", "status": "required", "origin": null, "value": null},
                {"name": "customer", "status": "optional", "origin": null, "value": null},
                {"name": "eta", "status": "given", "origin": "default", "value": "soon"},
                {"name": "order", "status": "given", "origin": "config", "value": "C-3"}
            ]
        })
    );
}

/// A reply that declares its variables: `show` and `vars` carry each
/// declaration, as `declared`, on the variable it is for.
#[test]
fn declared_variables_in_show_and_vars() {
    let s = Sandbox::new();
    s.library_file(
        "d.toml",
        r#"
[late]
title = "Late"
body = "Hi {{ customer }}, order {{ order }} via {{ carrier }}.{% if discount %} 10% off.{% endif %}"

[late.vars.order]
prompt = "Order number"
example = "A-1042"
pattern = '^[A-Z]-\d{4}$'
private = true

[late.vars.carrier]
choices = ["DHL", "UPS"]
default = "UPS"

[late.vars.discount]
type = "bool"
"#,
    );
    let order = json!({
        "name": "order", "prompt": "Order number", "example": "A-1042",
        "pattern": "^[A-Z]-\\d{4}$", "choices": [], "default": null,
        "type": "text", "private": true
    });
    let carrier = json!({
        "name": "carrier", "prompt": null, "example": null, "pattern": null,
        "choices": ["DHL", "UPS"], "default": "UPS", "type": "text", "private": false
    });
    let discount = json!({
        "name": "discount", "prompt": null, "example": null, "pattern": null,
        "choices": [], "default": null, "type": "bool", "private": false
    });
    let v = json_of(&s, &["show", "late", "--json"]);
    assert_eq!(
        v["variables"],
        json!([
            {"name": "carrier", "default": "UPS", "declared": carrier},
            {"name": "customer", "default": null},
            {"name": "discount", "default": null, "declared": discount},
            {"name": "order", "default": null, "declared": order}
        ])
    );
    let v = json_of(&s, &["vars", "late", "--json", "-a", "Sam"]);
    assert_eq!(
        v["variables"],
        json!([
            {"name": "carrier", "status": "given", "origin": "default", "value": "UPS", "declared": carrier},
            {"name": "customer", "status": "required", "origin": null, "value": null},
            {"name": "discount", "status": "optional", "origin": null, "value": null, "declared": discount},
            {"name": "order", "status": "required", "origin": null, "value": null, "declared": order}
        ])
    );
}

#[test]
fn check_shape() {
    let s = sandbox();
    let v = json_of(&s, &["check", "--format", "json"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["files"], 1);
    assert_eq!(v["replies"], 2);
    assert_eq!(v["errors"], 0);
    let d = v["diagnostics"].as_array().unwrap();
    let warnings = d.iter().filter(|d| d["severity"] == "warning").count();
    assert_eq!(v["warnings"].as_u64().unwrap() as usize, warnings);
    let codes: Vec<&str> = d.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // The library has no examples: one hint, never counted as a warning.
    assert_eq!(
        codes,
        ["no-examples", "not-personal", "shouting", "punctuation"]
    );
    assert_eq!(
        (v["hints"].as_u64(), d[0]["severity"].as_str()),
        (Some(1), Some("hint"))
    );
    let first = &d[1];
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], file(&s));
    assert_eq!(first["line"], 21);
    assert_eq!(first["column"], 8);
    assert_eq!(first["reply"], "thanks");
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("customer's name")
    );
    assert!(first["hint"].is_string());
}

#[test]
fn paths_shape() {
    let s = sandbox();
    let v = json_of(&s, &["paths", "--json"]);
    assert_eq!(v["version"], 1);
    let paths = v["paths"].as_array().unwrap();
    let kinds: Vec<&str> = paths.iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "config",
            "library (REPLY_LIBRARY)",
            "library (user)",
            "library (starter)",
            "cache",
            "usage log"
        ]
    );
    let log = paths[5]["path"].as_str().unwrap();
    assert!(log.ends_with(".local/state/reply/usage.jsonl"), "{log}");
    assert_eq!(paths[5]["in_use"], false, "nothing recorded yet");
    assert_eq!(paths[1]["path"], s.lib().display().to_string());
    assert_eq!(paths[1]["exists"], true);
    assert_eq!(paths[1]["in_use"], true);
    assert_eq!(paths[3]["in_use"], false);
    for p in paths {
        assert!(p["exists"].is_boolean() && p["in_use"].is_boolean());
    }
}

#[test]
fn test_shape() {
    let s = sandbox();
    let tests = "\n[order-delay.tests.en]\nvars = { customer = \"Ana\", agent = \"Sam\", order = \"A-1\" }\nexpect = \"Hi Ana, Sam here. Order A-1 arrives later.\"\n\n[order-delay.tests.public]\npublic = true\nplatform = \"sms\"\nvars = { agent = \"Sam\" }\ncontains = \"DM\"\n";
    s.library_file("orders.toml", &format!("{LIB}{tests}"));
    let out = s.run().args(["test", "--json"]).code(2);
    let v = out.json();
    assert_eq!(
        v,
        json!({
            "version": 1,
            "tests": 2,
            "passed": 1,
            "failed": 1,
            "problems": [],
            "results": [
                {
                    "reply": "order-delay",
                    "test": "en",
                    "file": file(&s),
                    "line": 23,
                    "column": 1,
                    "lang": "en",
                    "platform": null,
                    "public": false,
                    "passed": false,
                    "message": "Hi Ana, Sam here. Order A-1 arrives soon.",
                    "failures": [
                        {
                            "check": "expect",
                            "expected": "Hi Ana, Sam here. Order A-1 arrives later.",
                            "diff": [
                                "-Hi Ana, Sam here. Order A-1 arrives later.",
                                "+Hi Ana, Sam here. Order A-1 arrives soon."
                            ]
                        }
                    ]
                },
                {
                    "reply": "order-delay",
                    "test": "public",
                    "file": file(&s),
                    "line": 27,
                    "column": 1,
                    "lang": "en",
                    "platform": "sms",
                    "public": true,
                    "passed": true,
                    "message": "Sorry for the wait. We've sent you a DM. Sam",
                    "failures": []
                }
            ]
        })
    );
}

/// What `history`, `stats` and `stats --export` say of three recorded renders.
fn recorded() -> Sandbox {
    let s = sandbox();
    for args in [
        &[
            "render",
            "order-delay",
            "--lang",
            "es",
            "-p",
            "sms",
            "--public",
        ][..],
        &["render", "thanks"],
        &["thank"],
    ] {
        s.run()
            .args(args)
            .args(["-v", "order=A-1", "-a", "Sam", "--print", "--record"])
            .success();
    }
    s
}

#[test]
fn history_shape() {
    let s = recorded();
    let v = json_of(&s, &["history", "--json"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["recording"], true);
    let one = |id: &str, lang: &str, platform: Value, public: bool, found: &str, rank: Value| {
        let ranked = u32::from(!rank.is_null());
        let first = u32::from(rank == json!(1));
        json!({
            "time": "2026-11-25T09:30:00", "day": "2026-11-25", "count": 1,
            "id": id, "library": "lib", "lang": lang, "platform": platform,
            "public": public, "found": found, "rank": rank, "ranked": ranked, "first": first
        })
    };
    assert_eq!(
        v["records"],
        json!([
            one("order-delay", "es", json!("sms"), true, "id", Value::Null),
            one("thanks", "en", Value::Null, false, "id", Value::Null),
            one("thanks", "en", Value::Null, false, "search", json!(1)),
        ])
    );
    let v = json_of(&s, &["search", "thanks", "--json"]);
    assert_eq!(v["results"][0]["frecency"], 8.0, "sent twice today");
}

#[test]
fn stats_shape() {
    let s = recorded();
    let v = json_of(&s, &["stats", "--json"]);
    assert_eq!(
        v,
        json!({
            "version": 1,
            "from": "2026-10-27",
            "to": "2026-11-25",
            "sent": 3,
            "most_sent": [
                {"id": "thanks", "library": "lib", "count": 2},
                {"id": "order-delay", "library": "lib", "count": 1}
            ],
            "by_platform": [{"platform": null, "count": 2}, {"platform": "sms", "count": 1}],
            "by_lang": [{"lang": "en", "count": 2}, {"lang": "es", "count": 1}],
            "public": 1,
            "private": 2,
            "found": [
                {"how": "id", "count": 2, "ranked": 0, "first": 0},
                {"how": "search", "count": 1, "ranked": 1, "first": 1},
                {"how": "picker", "count": 0, "ranked": 0, "first": 0},
                {"how": "suggest", "count": 0, "ranked": 0, "first": 0}
            ],
            "never_sent": [{"library": "lib", "replies": 2, "never_sent": []}],
            "exports": null
        })
    );
}

#[test]
fn export_shape() {
    let s = recorded();
    let v = json_of(&s, &["stats", "--export", "--as", "Ana"]);
    assert_eq!(
        v,
        json!({
            "format": "reply-stats",
            "version": 1,
            "agent": "Ana",
            "from": "2026-10-27",
            "to": "2026-11-25",
            "counts": [
                {"day": "2026-11-25", "sent": {"id": "order-delay", "library": "lib", "lang": "es",
                 "platform": "sms", "public": true, "found": "id"},
                 "count": 1, "ranked": 0, "first": 0},
                {"day": "2026-11-25", "sent": {"id": "thanks", "library": "lib", "lang": "en",
                 "platform": null, "public": false, "found": "id"},
                 "count": 1, "ranked": 0, "first": 0},
                {"day": "2026-11-25", "sent": {"id": "thanks", "library": "lib", "lang": "en",
                 "platform": null, "public": false, "found": "search"},
                 "count": 1, "ranked": 1, "first": 1}
            ]
        })
    );
    let merged = s.write("ana.json", &v.to_string());
    let m = s
        .run()
        .arg("stats")
        .arg("--json")
        .arg("--merge")
        .arg(&merged)
        .success()
        .json();
    assert_eq!(m["exports"], json!({"files": 1, "agents": ["Ana"]}));
    assert_eq!(m["sent"], 3);
}

/// The team library shapes: `library list --json` and `sync --json`.
mod team {
    use serde_json::json;

    use crate::support::*;
    use crate::team::{BROKEN, ORDERS, clone_of, git, head, json_of, team};

    #[test]
    fn library_list_shape() {
        let Some((lead, agent)) = team() else {
            return;
        };
        agent.config(&format!(
            "sync_every = \"1d\"\n{}",
            std::fs::read_to_string(agent.path("config/reply/config.toml")).expect("config")
        ));
        agent.write(
            "data/reply/replies/mine.toml",
            &reply("thanks", "Mine", "Cheers {{ customer }}"),
        );
        let mine = clone_of(&agent, "acme");
        let v = json_of(&agent, &["library", "list", "--json"], 0);
        assert_eq!(
            v,
            json!({
                "version": 1,
                "libraries": [
                    {
                        "name": "acme", "kind": "git", "layer": "config",
                        "path": mine.display().to_string(),
                        "exists": true, "in_use": true,
                        "replies": 3, "shadowing": 1, "shadowed": 0,
                        "sync_every": 86400, "last_sync": "2026-11-25T09:30:00", "stale": false,
                        "git": {
                            "remote": "origin", "url": lead.url(),
                            "branch": "main", "upstream": "origin/main",
                            "head": head(&agent, &mine),
                            "ahead": 0, "behind": 0, "changes": 0, "untracked": 0,
                            "last_fetch": "2026-11-25T09:30:00"
                        }
                    },
                    {
                        "name": "user", "kind": "own", "layer": "user",
                        "path": agent.path("data/reply/replies").display().to_string(),
                        "exists": true, "in_use": true,
                        "replies": 1, "shadowing": 0, "shadowed": 1,
                        "sync_every": null, "last_sync": null, "stale": false, "git": null
                    },
                    {
                        "name": "starter", "kind": "starter", "layer": "starter", "path": null,
                        "exists": true, "in_use": false,
                        "replies": 0, "shadowing": 0, "shadowed": 0,
                        "sync_every": null, "last_sync": null, "stale": false, "git": null
                    }
                ]
            })
        );
    }

    #[test]
    fn sync_shapes() {
        let Some((lead, agent)) = team() else {
            return;
        };
        let mine = clone_of(&agent, "acme");
        let from = head(&agent, &mine);
        lead.publish(&[("orders.toml", BROKEN)], "Oops");
        let to = head(&lead.s, &lead.work());
        let v = json_of(&agent, &["sync", "--json"], 2);
        let lib = &v["libraries"][0];
        let diagnostics = lib["diagnostics"].clone();
        assert_eq!(diagnostics[0]["file"], "orders.toml");
        assert_eq!(diagnostics[0]["code"], "template");
        assert_eq!(
            v,
            json!({
                "version": 1,
                "libraries": [{
                    "name": "acme",
                    "path": mine.display().to_string(),
                    "url": lead.url(),
                    "branch": "main", "upstream": "origin/main",
                    "outcome": "refused", "reason": null, "message": null,
                    "from": from, "to": to,
                    "ahead": 0, "behind": 1,
                    "changes": [
                        { "id": "order-delay", "kind": "changed", "title": "Order delayed",
                          "file": "orders.toml", "parts": ["text"] },
                        { "id": "order-lost", "kind": "removed", "title": "Order lost",
                          "file": "orders.toml" }
                    ],
                    "check": { "files": 2, "replies": 2, "errors": 1, "warnings": 0 },
                    "diagnostics": diagnostics,
                    "fixes": [],
                    "notes": []
                }]
            })
        );

        // Stopped, with the fixes; then updated, with word diffs.
        lead.publish(&[("orders.toml", ORDERS)], "Fixed");
        std::fs::write(mine.join("thanks.toml"), "# mine\n").expect("write");
        let v = json_of(&agent, &["sync", "--json"], 2);
        let lib = &v["libraries"][0];
        assert_eq!(lib["outcome"], "stopped");
        assert_eq!(lib["reason"], "uncommitted-changes");
        assert!(
            lib["message"]
                .as_str()
                .is_some_and(|m| m.contains("thanks.toml")),
            "{lib}"
        );
        assert_eq!(lib["fixes"][0]["what"], "see them");
        assert_eq!(
            lib["fixes"][0]["command"],
            format!("git -C {} status", mine.display())
        );
        git(&agent, &mine, &["checkout", "--quiet", "thanks.toml"]);
        lead.publish(
            &[("orders.toml", &ORDERS.replace("Sorry!", "So sorry!"))],
            "Sorrier",
        );
        let v = json_of(&agent, &["sync", "--json", "--diff"], 0);
        let lib = &v["libraries"][0];
        assert_eq!(lib["outcome"], "updated");
        assert_eq!(lib["to"], head(&lead.s, &lead.work()));
        assert_eq!(
            lib["changes"],
            json!([{
                "id": "order-delay", "kind": "changed", "title": "Order delayed",
                "file": "orders.toml", "parts": ["text"],
                "diffs": [{ "part": "text", "segments": [
                    { "kind": "same", "text": "Hi {{ customer | default(value=\"there\") }}, your order is late. " },
                    { "kind": "removed", "text": "Sorry!" },
                    { "kind": "added", "text": "So sorry!" },
                    { "kind": "same", "text": " {{ agent }}" }
                ]}]
            }])
        );
        assert_eq!(
            lib["check"],
            json!({ "files": 2, "replies": 3, "errors": 0, "warnings": 0 })
        );
    }
}
