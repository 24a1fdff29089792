//! Issue 2, library files: which files are read, what a reply is, which ids and
//! fields are allowed, and how a wrong field is reported.

use crate::support::*;
use crate::util::*;

#[test]
fn toml_files_are_read_recursively_and_hidden_folders_skipped() {
    let s = Sandbox::new();
    s.reply_file("top.toml", &reply("top", "Top", "t"));
    s.reply_file("a/b/deep.toml", &reply("deep", "Deep", "d"));
    s.reply_file(".hidden/secret.toml", &reply("secret", "Secret", "s"));
    s.reply_file("a/.git/inner.toml", &reply("inner", "Inner", "i"));
    s.reply_file("notes.txt", &reply("txt", "Txt", "x"));
    s.reply_file("a/readme.md", &reply("md", "Md", "x"));
    let out = ok(s.cmd().arg("list"));
    let mut got = ids(&out);
    got.sort();
    assert_eq!(got, ["deep", "top"], "{out}");
}

#[test]
fn every_top_level_table_is_a_reply() {
    let s = Sandbox::new();
    s.reply_file(
        "many.toml",
        &format!(
            "{}{}{}",
            reply("one", "One", "1"),
            reply("two", "Two", "2"),
            reply("three", "Three", "3")
        ),
    );
    let out = ok(s.cmd().arg("list"));
    assert_eq!(ids(&out), ["one", "two", "three"], "{out}");
}

#[test]
fn valid_ids_use_lowercase_letters_digits_dash_and_underscore() {
    let s = Sandbox::new();
    s.reply_file("ok.toml", &reply("a-b_c9", "Fine", "fine body"));
    let out = s
        .cmd()
        .args(["render", "a-b_c9", "--exact"])
        .output()
        .unwrap();
    expect_code(&out, 0);
    assert_eq!(stdout(&out), "fine body");
}

#[test]
fn invalid_ids_are_reported_with_their_position_and_skipped() {
    for bad in ["Order", "order delay", "ordér", "order.x", "ORDER"] {
        let s = Sandbox::new();
        let text = format!(
            "{}[\"{bad}\"]\ntitle = \"Bad\"\nbody = \"b\"\n",
            reply("good", "Good", "g")
        );
        s.reply_file("ids.toml", &text);
        let out = s.cmd().arg("list").output().unwrap();
        expect_code(&out, 0);
        assert_eq!(ids(&stdout(&out)), ["good"], "id {bad:?}");
        let err = stderr(&out);
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
        s.reply_file("a.toml", &format!("{}{text}", reply("good", "Good", "g")));
        let out = s.cmd().arg("list").output().unwrap();
        expect_code(&out, 0);
        assert_eq!(ids(&stdout(&out)), ["good"], "missing {missing}");
        let err = stderr(&out);
        contains_all(&err, &["a.toml:5:", "nt", missing]);
        // Rendering the broken reply is an error, not a guess at another one.
        let out = s.cmd().args(["render", "nt", "--exact"]).output().unwrap();
        assert_ne!(code(&out), 0, "missing {missing}: {}", stdout(&out));
        assert_eq!(stdout(&out), "");
    }
}

#[test]
fn tags_and_defaults_are_read() {
    let s = Sandbox::new();
    s.reply_file("orders.toml", BASIC);
    let out = ok(s.cmd().args(["list", "--tag", "shipping"]));
    assert_eq!(ids(&out), ["order-delay"]);
    let out = ok(s
        .cmd()
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
        .args(["-v", "order=A-1"]));
    assert!(
        out.ends_with("will arrive within 3 business days."),
        "{out}"
    );
}

#[test]
fn an_unknown_field_is_named_with_the_allowed_ones_and_its_position() {
    let s = Sandbox::new();
    let path = s.reply_file(
        "typo.toml",
        "# typo below\n[greet]\ntittle = \"Hello\"\nbody = \"Hi\"\n",
    );
    let out = s.cmd().arg("list").output().unwrap();
    expect_code(&out, 0);
    let err = stderr(&out);
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
    assert!(!ids(&stdout(&out)).contains(&"greet".to_string()));
}

#[test]
fn an_unknown_field_in_a_nested_position_has_its_own_column() {
    let s = Sandbox::new();
    s.reply_file(
        "typo.toml",
        "[greet]\ntitle = \"Hello\"\nbody = \"Hi\"\n  colour = \"red\"\n",
    );
    let out = s.cmd().arg("list").output().unwrap();
    contains_all(&stderr(&out), &["typo.toml:4:3", "colour"]);
}
