//! Issue 2, `reply list` and `reply show`, and subcommands winning over ids.

use crate::support::*;

#[test]
fn list_prints_id_title_tags_and_library_tab_separated() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    let out = s.run().arg("list").success().stdout;
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2, "{out}");
    let lib = s.lib().display().to_string();
    for (row, (id, title, tags)) in rows.iter().zip([
        (
            "order-delay",
            "Order delayed: apology and new date",
            &["orders", "shipping"][..],
        ),
        ("thanks", "Thanks for your message", &["greeting"][..]),
    ]) {
        assert_eq!(row.len(), 4, "{row:?}");
        assert_eq!(row[0], id);
        assert_eq!(row[1], title);
        for t in tags {
            assert!(row[2].contains(t), "{row:?}");
        }
        assert!(
            row[3] == lib || row[3].ends_with("lib"),
            "library column: {row:?}"
        );
    }
    assert!(out.ends_with('\n'));
    assert!(!out.contains('\x1b'));
}

#[test]
fn list_filters_by_tag() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    for (tag, want) in [
        ("orders", &["order-delay"][..]),
        ("greeting", &["thanks"][..]),
        ("nope", &[][..]),
    ] {
        let out = s.run().args(["list", "--tag", tag]).code(0);
        assert_eq!(ids(&out.stdout), want, "tag {tag}");
        let out = s.run().args(["list", "-t", tag]).success().stdout;
        assert_eq!(ids(&out), want, "-t {tag}");
    }
}

#[test]
fn show_prints_fields_source_and_variables_with_defaults() {
    let s = Sandbox::new();
    let path = s.library_file("orders.toml", BASIC);
    let out = s.run().args(["show", "order-delay"]).success().stdout;
    contains_all(
        &out,
        &[
            "order-delay",
            "Order delayed: apology and new date",
            "orders",
            "shipping",
            "Your order {{ order }} will arrive {{ eta }}.",
            &format!("{}:2", path.display()),
            "customer",
            "agent",
            "brand",
            "order",
            "eta",
            "within 3 business days",
        ],
    );
    // The default is shown beside its variable; `order` has none.
    let var_line = |name: &str| {
        out.lines()
            .find(|l| {
                l.trim_start()
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    == Some(name)
            })
            .unwrap_or_else(|| panic!("no line for {name}:\n{out}"))
    };
    assert!(var_line("eta").contains("within 3 business days"), "{out}");
    let order = var_line("order");
    assert!(!order.contains("default"), "{order}");
}

#[test]
fn show_of_an_unknown_id_fails() {
    let out = Run::new()
        .library_file("orders.toml", BASIC)
        .args(["show", "nope"])
        .stdout("")
        .stderr_contains("nope")
        .output();
    assert_ne!(out.code(), 0, "{out}");
}

#[test]
fn a_subcommand_name_wins_over_an_id() {
    let s = Sandbox::new();
    s.library_file(
        "names.toml",
        &format!(
            "{}{}{}",
            reply("list", "A reply named list", "I am the list reply"),
            reply("search", "A reply named search", "I am the search reply"),
            reply("other", "Other", "other body")
        ),
    );
    let out = s.run().arg("list").success().stdout;
    assert_eq!(ids(&out), ["list", "search", "other"]);
    assert!(!out.contains("I am the list reply"));
    // The reply stays reachable through `render`.
    s.run()
        .args(["render", "list"])
        .stdout("I am the list reply")
        .success();
    let out = s.run().args(["search", "other"]).success().stdout;
    assert_eq!(ids(&out), ["other"]);
}

#[test]
fn a_bare_query_renders() {
    let s = Sandbox::new();
    s.library_file("orders.toml", BASIC);
    s.run()
        .args(["thanks", "-c", "Ana", "-a", "Sam"])
        .stdout("Thanks Ana! Sam")
        .success();
    s.run()
        .args(["render", "thanks", "-c", "Ana", "-a", "Sam"])
        .stdout("Thanks Ana! Sam")
        .success();
}
