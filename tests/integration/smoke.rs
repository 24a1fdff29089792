//! The first things a new user does: list, render, and the exit codes.

use crate::util::*;

#[test]
fn renders_an_exact_id_with_values() {
    let s = Sandbox::new();
    s.reply_file("orders.toml", BASIC);
    let out = s
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
            "-v",
            "order=A-1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Hi Ana, this is Sam from Acme.\nYour order A-1 will arrive within 3 business days."
    );
}
