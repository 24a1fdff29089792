//! Issue 3, public replies: `render --public`, and `show` with both texts.

use crate::support::*;
use crate::util::*;

const LIB: &str = r#"
[late]
title = "Late order"
body = "Hi {{ customer }}, your order {{ order }} is late. Sorry!"
public = "Sorry to hear that, {{ customer | first_name }}! We've sent you a DM."

[private-only]
title = "Private only"
body = "Hi {{ customer }}, details inside."
"#;

#[test]
fn render_public_renders_the_public_text() {
    let s = Sandbox::new();
    s.reply_file("p.toml", LIB);
    let out = ok(s
        .cmd()
        .args(["render", "late", "--public", "-c", "Ana López"]));
    assert_eq!(out, "Sorry to hear that, Ana! We've sent you a DM.");
    // Without --public, the private message (which needs `order`).
    let out = ok(s
        .cmd()
        .args(["render", "late", "-c", "Ana", "-v", "order=A-1"]));
    assert_eq!(out, "Hi Ana, your order A-1 is late. Sorry!");
    // --public only needs the public text's variables.
    let out = s
        .cmd()
        .args(["render", "late", "--public"])
        .output()
        .unwrap();
    expect_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("customer") && !err.contains("order`"), "{err}");
}

#[test]
fn public_without_a_public_text_is_an_error_naming_the_reply() {
    let s = Sandbox::new();
    s.reply_file("p.toml", LIB);
    let out = s
        .cmd()
        .args(["render", "private-only", "--public", "-c", "Ana"])
        .output()
        .unwrap();
    expect_code(&out, 2);
    assert_eq!(stdout(&out), "");
    contains_all(&stderr(&out), &["private-only", "public"]);
}

#[test]
fn show_shows_both_texts() {
    let s = Sandbox::new();
    s.reply_file("p.toml", LIB);
    let out = ok(s.cmd().args(["show", "late"]));
    contains_all(
        &out,
        &[
            "Hi {{ customer }}, your order {{ order }} is late. Sorry!",
            "Sorry to hear that, {{ customer | first_name }}! We've sent you a DM.",
            "public",
        ],
    );
    let body = out.find("your order {{ order }}").unwrap();
    let public = out.find("We've sent you a DM").unwrap();
    assert_ne!(body, public);
}

#[test]
fn public_is_checked_against_the_platform_too() {
    let s = Sandbox::new();
    s.reply_file(
        "p.toml",
        &format!(
            "[long]\ntitle = \"Long\"\nbody = \"short\"\npublic = \"{}\"\n",
            "a".repeat(300)
        ),
    );
    s.config("[platforms.tiny]\nmax_chars = 280\n");
    let out = s
        .cmd()
        .args(["render", "long", "--public", "-p", "tiny"])
        .output()
        .unwrap();
    expect_code(&out, 2);
    assert_eq!(stdout(&out), "");
    assert_eq!(ok(s.cmd().args(["render", "long", "-p", "tiny"])), "short");
}
