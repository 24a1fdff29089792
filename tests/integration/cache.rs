//! The catalog cache must never change a result: every command gives the same
//! output with the cache (cold and warm) as without it, also after files change.

use crate::support::*;

fn run(s: &Sandbox, cache: bool, args: &[&str]) -> (Option<i32>, String, String) {
    let mut run = s.run().args(args);
    if !cache {
        run = run.env("REPLY_NO_CACHE", "1");
    }
    let out = run.output();
    (out.status.code(), out.stdout, out.stderr)
}

fn same_everywhere(s: &Sandbox, commands: &[&[&str]]) {
    for args in commands {
        let plain = run(s, false, args);
        let cold_or_warm = run(s, true, args);
        let warm = run(s, true, args);
        assert_eq!(plain, cold_or_warm, "{args:?}: first cached run differs");
        assert_eq!(plain, warm, "{args:?}: warm cached run differs");
    }
}

const COMMANDS: &[&[&str]] = &[
    &["list", "--json"],
    &["search", "order", "--json"],
    &["search", "devolucion"],
    &["search", "zzqx"],
    &[
        "render",
        "order-delay",
        "-a",
        "Sam",
        "-b",
        "Acme",
        "-v",
        "order=1",
    ],
    &["render", "dly", "-a", "Sam", "-b", "Acme", "-v", "order=1"],
    &["show", "thanks"],
];

#[test]
fn cached_and_plain_paths_agree_through_changes() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    s.library_file(
        "es/returns.toml",
        "[devolucion]\ntitle = \"Devolución\"\nbody = \"Hola {{ customer }}, tu envío\"\n",
    );
    same_everywhere(&s, COMMANDS);

    // A changed file: new title, same size would not fool us either (mtime).
    std::thread::sleep(std::time::Duration::from_millis(20));
    s.library_file(
        "orders.toml",
        &BASIC.replace("Thanks for your message", "Thank you, really"),
    );
    same_everywhere(&s, COMMANDS);
    let (_, out, _) = run(&s, true, &["list"]);
    assert!(out.contains("Thank you, really"), "{out}");

    // An added file and a removed one.
    s.library_file(
        "more.toml",
        "[extra]\ntitle = \"Extra order help\"\nbody = \"Hi {{ customer }}\"\n",
    );
    std::fs::remove_file(s.lib().join("es/returns.toml")).unwrap();
    same_everywhere(&s, COMMANDS);
    let (_, out, _) = run(&s, true, &["list"]);
    assert!(
        out.contains("extra") && !out.contains("devolucion"),
        "{out}"
    );

    // A file that breaks, and is fixed again.
    s.library_file("more.toml", "[extra\n");
    same_everywhere(&s, COMMANDS);
    s.library_file(
        "more.toml",
        "[extra]\ntitle = \"Extra order help\"\nbody = \"Hi {{ customer }}\"\n",
    );
    same_everywhere(&s, COMMANDS);
}

#[test]
fn a_damaged_cache_is_ignored() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    let (_, before, _) = run(&s, true, &["search", "order", "--json"]);
    for entry in std::fs::read_dir(s.path("cache/reply")).unwrap() {
        std::fs::write(entry.unwrap().path(), b"garbage").unwrap();
    }
    let (code, after, _) = run(&s, true, &["search", "order", "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(before, after);
}

#[test]
fn a_lost_bodies_cache_still_finds_body_matches() {
    let s = Sandbox::new();
    s.library_file(
        "a.toml",
        "[a]\ntitle = \"Greeting\"\nbody = \"Hi {{ customer }}, your parcel is here\"\n",
    );
    let (_, before, _) = run(&s, true, &["search", "parcel"]);
    assert!(before.contains('a'), "{before}");
    for entry in std::fs::read_dir(s.path("cache/reply")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "bodies") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let (code, after, _) = run(&s, true, &["search", "parcel"]);
    assert_eq!((code, after), (Some(0), before));
}
