//! `reply edit` with an editor stand-in and no terminal (a script drives it,
//! as with git's `$EDITOR`): a valid edit, a broken one, none, one that meets
//! another process's change, and the editors' line arguments.

use super::*;

/// A person's edit: the body of `late` gets a second sentence.
const APOLOGY: &str = "sed -i 's/is late\\.$/is late. Sorry!/' \"$f\"";
/// A slip: the closing quote of the title goes.
const SLIP: &str = "sed -i 's/^title = \"Order late\"$/title = \"Order late/' \"$f\"";

#[test]
fn a_valid_edit_is_saved_and_nothing_else_in_the_file_changes() {
    let s = sandbox();
    let vi = editor(&s, "vi", APOLOGY);
    run(&s)
        .env("EDITOR", &vi)
        .args(["edit", "late"])
        .stderr_contains(format!(
            "Saved `late` in {}.",
            s.lib().join("orders.toml").display()
        ))
        .success();
    assert_eq!(
        orders(&s),
        ORDERS.replace("is late.\n", "is late. Sorry!\n")
    );
    // vi was opened at the reply's line, on a copy in the drafts folder.
    let draft = s.path("state/reply/drafts/late/orders.toml");
    assert_eq!(editor_runs(&s), [format!("+5 {}", draft.display())]);
    assert!(drafts(&s).is_empty());
    run(&s)
        .args(["render", "late", "-c", "Ana", "--print"])
        .stdout("Hi Ana, order your order is late. Sorry!")
        .success();
}

#[test]
fn a_broken_edit_keeps_the_draft_and_exits_2_without_a_terminal() {
    let s = sandbox();
    let vi = editor(&s, "vi", SLIP);
    let ran = run(&s).env("EDITOR", &vi).args(["edit", "late"]).code(2);
    let draft = s.path("state/reply/drafts/late/orders.toml");
    contains_all(
        &ran.stderr,
        &[
            &format!("{}:6:", draft.display()),
            "error: invalid TOML",
            "6 | title = \"Order late",
            &format!(
                "nothing was written; your draft is kept at {}",
                draft.display()
            ),
            "`reply edit late --resume` opens it again",
        ],
    );
    assert_eq!(orders(&s), ORDERS);
    assert_eq!(
        std::fs::read_to_string(&draft).unwrap(),
        ORDERS.replace("title = \"Order late\"", "title = \"Order late")
    );
    // --resume opens the draft again, where it was left.
    let fix = editor(
        &s,
        "nano",
        "sed -i 's/^title = \"Order late$/title = \"Order late, again\"/' \"$f\"",
    );
    run(&s)
        .env("EDITOR", &fix)
        .args(["edit", "late", "--resume"])
        .stderr_contains("Saved `late`")
        .success();
    assert_eq!(
        orders(&s),
        ORDERS.replace("\"Order late\"", "\"Order late, again\"")
    );
    assert_eq!(editor_runs(&s)[1], format!("+5 {}", draft.display()));
    assert!(drafts(&s).is_empty());
}

#[test]
fn a_failing_test_of_the_edited_reply_is_refused() {
    let s = sandbox();
    let vi = editor(&s, "vi", "sed -i 's/is late\\.$/is delayed./' \"$f\"");
    let ran = run(&s).env("EDITOR", &vi).args(["edit", "late"]).code(2);
    contains_all(
        &ran.stderr,
        &[
            "test `basic` of reply `late` failed: the message does not contain \"Hi Ana, order your order is late.\"",
        ],
    );
    assert_eq!(orders(&s), ORDERS);
}

#[test]
fn no_change_writes_nothing() {
    let s = sandbox();
    let path = s.lib().join("orders.toml");
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    let vi = editor(&s, "vi", "true");
    run(&s)
        .env("EDITOR", &vi)
        .args(["edit", "late"])
        .stderr("No change: nothing was written.\n")
        .success();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
    assert!(drafts(&s).is_empty());
}

#[test]
fn a_file_changed_by_someone_else_meanwhile_is_never_overwritten() {
    let s = sandbox();
    let theirs = "\n[other]\ntitle = \"Other\"\nbody = \"Hi {{ customer }}\"\n";
    let file = s.lib().join("orders.toml");
    // While the editor is open, another agent's change lands (a git pull).
    let vi = editor(
        &s,
        "vi",
        &format!("{APOLOGY}\nprintf '%s' '{theirs}' >> '{}'", file.display()),
    );
    let ran = run(&s).env("EDITOR", &vi).args(["edit", "late"]).code(2);
    contains_all(
        &ran.stderr,
        &[
            "orders.toml changed on disk while you were editing it (another agent, or a git pull): nothing was written; your draft is kept at",
            "`reply edit late --resume` shows what changed on disk",
        ],
    );
    let other = format!("{ORDERS}{theirs}");
    assert_eq!(orders(&s), other);
    let draft = s.path("state/reply/drafts/late/orders.toml");
    assert_eq!(
        std::fs::read_to_string(&draft).unwrap(),
        ORDERS.replace("is late.\n", "is late. Sorry!\n")
    );
    // Without a terminal to show the change on, resuming changes nothing.
    let none = editor(&s, "nano", "true");
    run(&s)
        .env("EDITOR", &none)
        .args(["edit", "late", "--resume"])
        .stderr_contains("changed on disk since the draft was made: nothing was written")
        .code(2);
    assert_eq!(orders(&s), other);
    assert_eq!(drafts(&s), ["late"]);
}

#[test]
fn an_editor_that_fails_keeps_the_draft() {
    let s = sandbox();
    let vi = editor(&s, "vi", &format!("{APOLOGY}\nexit 3"));
    run(&s)
        .env("EDITOR", &vi)
        .args(["edit", "late"])
        .stderr_contains("exited with exit status: 3: nothing was written; your draft is kept at")
        .code(2);
    assert_eq!(orders(&s), ORDERS);
    assert_eq!(drafts(&s), ["late"]);
}

#[test]
fn the_editor_is_chosen_and_told_the_line_its_own_way() {
    let s = sandbox();
    // VS Code is given FILE:LINE: the stand-in takes the line off.
    let code = editor(&s, "code", &format!("f=\"${{f%:*}}\"\n{APOLOGY}"));
    let vi = editor(&s, "vi", "true");
    // VISUAL first, then EDITOR; VS Code gets --wait and --goto FILE:LINE.
    run(&s)
        .env("VISUAL", &code)
        .env("EDITOR", &vi)
        .args(["edit", "thanks"])
        .stderr_contains("Saved `thanks`")
        .success();
    let draft = s.path("state/reply/drafts/thanks/orders.toml");
    assert_eq!(
        editor_runs(&s),
        [format!("--wait --goto {}:16", draft.display())]
    );
    // An editor with arguments of its own runs through the shell; an editor
    // it does not know gets the file alone.
    let other = editor(&s, "gedit", "true");
    run(&s)
        .env("EDITOR", format!("{} --new-window", other.display()))
        .args(["edit", "thanks"])
        .success();
    assert_eq!(
        editor_runs(&s)[1],
        format!("--new-window {}", draft.display())
    );
}

#[test]
fn without_a_terminal_or_an_editor_nothing_opens() {
    let s = sandbox();
    let vi = editor(&s, "vi", APOLOGY);
    run(&s)
        .args(["edit", "late"])
        .stderr_contains(
            "editing needs an editor: there is no terminal, and neither VISUAL nor EDITOR is set",
        )
        .code(2);
    // --no-input: not even the editor named.
    run(&s)
        .env("EDITOR", &vi)
        .args(["--no-input", "edit", "late"])
        .code(2);
    assert!(editor_runs(&s).is_empty());
    assert_eq!(orders(&s), ORDERS);
    // An id no reply has is exit 1, as everywhere.
    run(&s)
        .env("EDITOR", &vi)
        .args(["edit", "lat"])
        .stderr_contains("did you mean `late`?")
        .code(1);
}

#[test]
fn a_starter_reply_is_read_only_without_a_terminal() {
    let s = Sandbox::new();
    let vi = editor(&s, "vi", APOLOGY);
    s.run()
        .bare()
        .env("XDG_STATE_HOME", s.path("state"))
        .env("EDITOR", &vi)
        .args(["edit", "order-delay"])
        .stderr_contains(
            "reply `order-delay` is in the built-in starter library, which is read-only",
        )
        .stderr_contains("`reply cp order-delay order-delay` copies it into your own library")
        .code(2);
    assert!(!s.path("data/reply/replies").exists());
}

#[test]
fn a_team_library_is_edited_in_place_with_a_reminder_to_commit_and_push() {
    if !require("git") {
        return;
    }
    let s = sandbox();
    run(&s).program("git").args(["init", "-q", "lib"]).success();
    let vi = editor(&s, "vi", APOLOGY);
    run(&s)
        .env("EDITOR", &vi)
        .args(["edit", "late"])
        .stderr_contains("is in the git checkout")
        .stderr_contains("commit and push to share the change")
        .success();
    assert_eq!(
        orders(&s),
        ORDERS.replace("is late.\n", "is late. Sorry!\n")
    );
    // The lock lives in .git: git sees only the change itself.
    let status = run(&s)
        .program("git")
        .args(["-C", "lib", "status", "--porcelain"])
        .success()
        .stdout;
    assert_eq!(status, "?? orders.toml\n");
}
