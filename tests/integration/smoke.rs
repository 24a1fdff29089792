//! The first things a new user does: list, render, and the exit codes.

use crate::support::*;

#[test]
fn renders_an_exact_id_with_values() {
    Run::new()
        .library_file("orders.toml", BASIC)
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
        .stdout(
            "Hi Ana, this is Sam from Acme.\nYour order A-1 will arrive within 3 business days.",
        )
        .code(0);
}
