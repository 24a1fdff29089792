//! Issue 3, public replies: `render --public`, and `show` with both texts.

use crate::support::*;

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
    s.library_file("p.toml", LIB);
    s.run()
        .args(["render", "late", "--public", "-c", "Ana López"])
        .stdout("Sorry to hear that, Ana! We've sent you a DM.")
        .success();
    // Without --public, the private message (which needs `order`).
    s.run()
        .args(["render", "late", "-c", "Ana", "-v", "order=A-1"])
        .stdout("Hi Ana, your order A-1 is late. Sorry!")
        .success();
    // --public only needs the public text's variables.
    let out = s.run().args(["render", "late", "--public"]).code(2);
    let err = out.stderr.clone();
    assert!(err.contains("customer") && !err.contains("order`"), "{err}");
}

#[test]
fn public_without_a_public_text_is_an_error_naming_the_reply() {
    let s = Sandbox::new();
    s.library_file("p.toml", LIB);
    let out = s
        .run()
        .args(["render", "private-only", "--public", "-c", "Ana"])
        .stdout("")
        .code(2);
    contains_all(&out.stderr, &["private-only", "public"]);
}

#[test]
fn show_shows_both_texts() {
    let s = Sandbox::new();
    s.library_file("p.toml", LIB);
    let out = s.run().args(["show", "late"]).success().stdout;
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
    s.library_file(
        "p.toml",
        &format!(
            "[long]\ntitle = \"Long\"\nbody = \"short\"\npublic = \"{}\"\n",
            "a".repeat(300)
        ),
    );
    s.config("[platforms.tiny]\nmax_chars = 280\n");
    s.run()
        .args(["render", "long", "--public", "-p", "tiny"])
        .stdout("")
        .code(2);
    s.run()
        .args(["render", "long", "-p", "tiny"])
        .stdout("short")
        .success();
}
