//! Issue 2, library files: which files are read, what a reply is, which ids and
//! fields are allowed, and how a wrong field is reported.

use crate::support::*;

#[test]
fn toml_files_are_read_recursively_and_hidden_folders_skipped() {
    let s = Sandbox::new();
    s.library_file("top.toml", &reply("top", "Top", "t"));
    s.library_file("a/b/deep.toml", &reply("deep", "Deep", "d"));
    s.library_file(".hidden/secret.toml", &reply("secret", "Secret", "s"));
    s.library_file("a/.git/inner.toml", &reply("inner", "Inner", "i"));
    s.library_file("notes.txt", &reply("txt", "Txt", "x"));
    s.library_file("a/readme.md", &reply("md", "Md", "x"));
    let out = s.run().arg("list").success().stdout;
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["deep", "top"], "{out}");
}

#[test]
fn every_top_level_table_is_a_reply() {
    let s = Sandbox::new();
    s.library_file(
        "many.toml",
        &format!(
            "{}{}{}",
            reply("one", "One", "1"),
            reply("two", "Two", "2"),
            reply("three", "Three", "3")
        ),
    );
    let out = s.run().arg("list").success().stdout;
    assert_eq!(ids(&out), ["one", "two", "three"], "{out}");
}

#[test]
fn valid_ids_use_lowercase_letters_digits_dash_and_underscore() {
    let s = Sandbox::new();
    s.library_file("ok.toml", &reply("a-b_c9", "Fine", "fine body"));
    s.run()
        .args(["render", "a-b_c9", "--exact"])
        .stdout("fine body")
        .code(0);
}

#[test]
fn invalid_ids_are_reported_with_their_position_and_skipped() {
    for bad in ["Order", "order delay", "ordér", "order.x", "ORDER"] {
        let s = Sandbox::new();
        let text = format!(
            "{}[\"{bad}\"]\ntitle = \"Bad\"\nbody = \"b\"\n",
            reply("good", "Good", "g")
        );
        s.library_file("ids.toml", &text);
        let out = s.run().arg("list").code(0);
        assert_eq!(ids(&out.stdout), ["good"], "id {bad:?}");
        let err = out.stderr.clone();
        // The header is on line 5 of the file.
        contains_all(&err, &["ids.toml:5:", bad]);
    }
}

#[test]
fn title_and_body_are_required() {
    for (missing, text) in [
        ("title", "[nt]\nbody = \"b\"\n"),
        ("body", "[nt]\ntitle = \"T\"\n"),
    ] {
        let s = Sandbox::new();
        s.library_file("a.toml", &format!("{}{text}", reply("good", "Good", "g")));
        let out = s.run().arg("list").code(0);
        assert_eq!(ids(&out.stdout), ["good"], "missing {missing}");
        let err = out.stderr.clone();
        contains_all(&err, &["a.toml:5:", "nt", missing]);
        // Rendering the broken reply is an error, not a guess at another one.
        let out = s.run().args(["render", "nt", "--exact"]).output();
        assert_ne!(out.code(), 0, "missing {missing}: {}", out.stdout);
        assert_eq!(out.stdout, "");
    }
}

#[test]
fn tags_and_defaults_are_read() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    let out = s.run().args(["list", "--tag", "shipping"]).success().stdout;
    assert_eq!(ids(&out), ["order-delay"]);
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
            "Acme",
        ])
        .args(["-v", "order=A-1"])
        .success()
        .stdout;
    assert!(
        out.ends_with("will arrive within 3 business days."),
        "{out}"
    );
}

#[test]
fn an_unknown_field_is_named_with_the_allowed_ones_and_its_position() {
    let s = Sandbox::new();
    let path = s.library_file(
        "typo.toml",
        "# typo below\n[greet]\ntittle = \"Hello\"\nbody = \"Hi\"\n",
    );
    let out = s.run().arg("list").code(0);
    let err = out.stderr.clone();
    contains_all(
        &err,
        &[
            &format!("{}:3:1", path.display()),
            "tittle",
            "title",
            "body",
            "tags",
            "defaults",
        ],
    );
    // The caret display quotes the line.
    contains_all(&err, &["tittle = \"Hello\"", "^"]);
    assert!(!ids(&out.stdout).contains(&"greet".to_string()));
}

#[test]
fn an_unknown_field_in_a_nested_position_has_its_own_column() {
    let s = Sandbox::new();
    s.library_file(
        "typo.toml",
        "[greet]\ntitle = \"Hello\"\nbody = \"Hi\"\n  colour = \"red\"\n",
    );
    let out = s.run().arg("list").output();
    contains_all(&out.stderr, &["typo.toml:4:3", "colour"]);
}
