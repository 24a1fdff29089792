//! `reply config get|set|unset|path|edit`: the config set up without an
//! editor, comments and layout kept, unknown keys refused with the key meant,
//! an invalid config never installed nor overwritten; `edit` on a draft with
//! a script as `$EDITOR`, and on a real terminal (tmux) for "edit again".

use crate::support::*;

const MINE: &str = "# my settings\nagent = \"Sam\"   # as customers see me\n\n[vars]\nlink = \"https://help.example\"\n";

fn config_path(s: &Sandbox) -> std::path::PathBuf {
    s.path("config/reply/config.toml")
}

fn config_text(s: &Sandbox) -> String {
    std::fs::read_to_string(config_path(s)).expect("the config file")
}

/// Where `reply config edit` keeps its draft in the sandbox.
fn draft(s: &Sandbox) -> std::path::PathBuf {
    s.path("home/.local/state/reply/config-edit/config.toml")
}

#[test]
fn set_get_unset_and_path_keep_comments_and_layout() {
    let s = Sandbox::new();
    s.config(MINE);
    s.run()
        .args(["config", "path"])
        .stdout(format!("{}\n", config_path(&s).display()))
        .success();
    s.run()
        .args(["config", "get", "agent"])
        .stdout("Sam\n")
        .success();
    s.run()
        .args(["config", "set", "brand", "Acme"])
        .stderr_contains("Set brand in")
        .success();
    s.run()
        .args(["config", "set", "platforms.x.max_chars", "280"])
        .success();
    s.run().args(["config", "set", "agent", "Alex"]).success();
    let text = config_text(&s);
    assert!(
        text.starts_with("# my settings\nagent = \"Alex\"   # as customers see me\n"),
        "{text}"
    );
    assert!(
        text.contains("[vars]\nlink = \"https://help.example\"\n"),
        "{text}"
    );
    assert!(text.contains("brand = \"Acme\""), "{text}");
    assert!(text.contains("[platforms.x]\nmax_chars = 280\n"), "{text}");
    // What was set is what reply now uses.
    s.library_file(
        "t.toml",
        &reply("hi", "Hi", "Hi {{ customer }}, {{ agent }} of {{ brand }}"),
    );
    s.run()
        .args(["render", "hi", "-c", "Ana", "--print"])
        .stdout("Hi Ana, Alex of Acme")
        .success();
    s.run()
        .args(["config", "unset", "brand"])
        .stderr_contains("Removed brand")
        .success();
    s.run().args(["config", "get", "brand"]).stdout("").code(1);
    assert!(!config_text(&s).contains("brand"));
    assert!(config_text(&s).starts_with("# my settings\n"));
}

#[test]
fn unknown_keys_and_bad_values_are_refused_and_nothing_changes() {
    let s = Sandbox::new();
    s.config(MINE);
    s.run()
        .args(["config", "set", "agnet", "Sam"])
        .stderr_contains("did you mean `agent`?")
        .code(2);
    s.run()
        .args(["config", "set", "output", "loud"])
        .stderr_contains("auto, copy, print or both")
        .code(2);
    s.run()
        .args(["config", "set", "limits.render_time", "soon"])
        .code(2);
    assert_eq!(config_text(&s), MINE);
}

#[test]
fn a_config_that_is_not_toml_is_never_overwritten_and_can_be_mended() {
    let s = Sandbox::new();
    let broken = "agent = \"Sam\n";
    s.config(broken);
    s.library_file("t.toml", &reply("hi", "Hi", "Hi {{ customer }}"));
    // Everything else stops on it, naming the file, line and column.
    s.run()
        .args(["list"])
        .stderr_contains(format!("{}:1:", config_path(&s).display()))
        .code(2);
    s.run()
        .args(["config", "set", "brand", "Acme"])
        .stderr_contains("not valid TOML, so it was left as it is")
        .code(2);
    assert_eq!(config_text(&s), broken);
    // `config edit` is how to mend it: it runs while the file is broken.
    let fix = s.script("fix.sh", "printf 'agent = \"Sam\"\\n' > \"$1\"");
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", &fix)
        .stderr_contains("Saved")
        .success();
    assert_eq!(config_text(&s), "agent = \"Sam\"\n");
    s.run().args(["list"]).success();
}

#[test]
fn an_unknown_key_in_the_file_names_the_line_and_the_key_meant() {
    let s = Sandbox::new();
    s.config("# mine\nagnet = \"Sam\"\n");
    s.run()
        .args(["list"])
        .stderr_contains(format!("{}:2:1", config_path(&s).display()))
        .stderr_contains("did you mean `agent`?")
        .code(2);
}

#[test]
fn edit_saves_a_valid_config_and_keeps_a_draft_of_an_invalid_one() {
    let s = Sandbox::new();
    s.config(MINE);
    // The editor sees the config as it is, and adds a line.
    let add = s.script(
        "add.sh",
        "grep -q '^# my settings' \"$1\" || exit 9\nsed -i '1a brand = \"Acme\"' \"$1\"",
    );
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", &add)
        .success();
    let added = MINE.replacen('\n', "\nbrand = \"Acme\"\n", 1);
    assert_eq!(config_text(&s), added);
    // Invalid: the error points into the draft, the config stays, the
    // draft is kept; exit 2.
    let before = config_text(&s);
    let typo = s.script("typo.sh", "sed -i '1a agnet = \"Sam\"' \"$1\"");
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", &typo)
        .stderr_contains(format!("{}:2:1", draft(&s).display()))
        .stderr_contains("did you mean `agent`?")
        .stderr_contains("your draft is kept")
        .code(2);
    assert_eq!(config_text(&s), before);
    let kept = std::fs::read_to_string(draft(&s)).expect("the draft is kept");
    assert!(
        kept.starts_with("# my settings\nagnet = \"Sam\"\nbrand = \"Acme\"\n"),
        "{kept}"
    );
    // Without a terminal, a kept draft is never silently dropped.
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", &add)
        .stderr_contains("a draft of the config from an earlier `reply config edit` is kept")
        .code(2);
    assert_eq!(config_text(&s), before);
}

#[test]
fn edit_with_no_change_an_editor_failure_or_no_editor_writes_nothing() {
    let s = Sandbox::new();
    s.config(MINE);
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", "true")
        .stderr_contains("No change")
        .success();
    assert!(!draft(&s).exists());
    // A fresh machine: the skeleton saved as it came is no change either,
    // and no config file appears.
    let fresh = Sandbox::new();
    fresh
        .run()
        .args(["config", "edit"])
        .env("EDITOR", "true")
        .stderr_contains("No change")
        .success();
    assert!(!config_path(&fresh).exists());
    // An editor that fails: nothing saved, the draft kept.
    let fail = s.script("fail.sh", "printf 'brand = \"X\"\\n' >> \"$1\"; exit 3");
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", &fail)
        .stderr_contains("exited with")
        .code(2);
    assert_eq!(config_text(&s), MINE);
    assert!(draft(&s).exists());
    // No terminal and no editor, or --no-input: nothing opens.
    let other = Sandbox::new();
    other
        .run()
        .args(["config", "edit"])
        .stderr_contains("reply config set KEY VALUE")
        .code(2);
    other
        .run()
        .args(["--no-input", "config", "edit"])
        .env("EDITOR", "true")
        .code(2);
}

#[test]
fn edit_never_overwrites_a_change_made_meanwhile() {
    let s = Sandbox::new();
    s.config(MINE);
    let path = config_path(&s);
    // The editor's session, during which another command changes the file.
    let clash = s.script(
        "clash.sh",
        &format!(
            "printf 'brand = \"Mine\"\\n' >> \"$1\"\nprintf 'lang = \"es\"\\n' >> '{}'",
            path.display()
        ),
    );
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", &clash)
        .stderr_contains("changed while reply was editing it")
        .code(2);
    assert_eq!(config_text(&s), format!("{MINE}lang = \"es\"\n"));
    assert!(draft(&s).exists(), "the draft is kept");
}

#[test]
fn on_a_terminal_an_invalid_edit_is_offered_again_at_its_line() {
    if !require("tmux") {
        return;
    }
    let s = Sandbox::new();
    s.config(MINE);
    // First session: a typo on line 2; the second opens at +2 and fixes it.
    let editor = s.script(
        "ed.sh",
        "echo \"editor $*\" >> \"$HOME/editor.log\"\n\
         if [ -e \"$HOME/once\" ]; then sed -i 's/^agnet/brand/' \"$2\"; \
         else touch \"$HOME/once\"; sed -i '1a agnet = \"Acme\"' \"$2\"; fi",
    );
    // `vi` is known to take `+LINE`: run the script under that name.
    let vi = s.path("bin/vi");
    std::fs::create_dir_all(vi.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&editor, &vi).unwrap();
    let t = Tmux::start(&s, 100, 30, &[("EDITOR", vi.to_str().unwrap())]);
    t.reply("config edit", "(e)dit again");
    t.wait_for("did you mean `agent`?");
    t.keys(&["e", "Enter"]);
    assert_eq!(t.finished(), 0);
    assert_eq!(
        config_text(&s),
        MINE.replacen('\n', "\nbrand = \"Acme\"\n", 1)
    );
    let log = std::fs::read_to_string(s.path("home/editor.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].starts_with("editor +1 "), "{log}");
    assert!(lines[1].starts_with("editor +2 "), "{log}");
    assert!(!draft(&s).exists());
}

#[test]
fn on_a_terminal_a_kept_draft_is_resumed_or_discarded() {
    if !require("tmux") {
        return;
    }
    let s = Sandbox::new();
    s.config(MINE);
    let typo = s.script("typo.sh", "sed -i '1a agnet = \"Sam\"' \"$1\"");
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", &typo)
        .code(2);
    // Resume: the editor gets the draft with the typo, and mends it.
    let mend = s.script(
        "mend.sh",
        "grep -q '^agnet' \"$1\" || exit 9\nsed -i 's/^agnet = \"Sam\"/brand = \"Acme\"/' \"$1\"",
    );
    let t = Tmux::start(&s, 100, 30, &[("EDITOR", mend.to_str().unwrap())]);
    t.reply("config edit", "(r)esume");
    t.keys(&["r", "Enter"]);
    assert_eq!(t.finished(), 0);
    assert_eq!(
        config_text(&s),
        MINE.replacen('\n', "\nbrand = \"Acme\"\n", 1)
    );
    // Discard: the draft goes, and the editor starts from the file.
    s.run()
        .args(["config", "edit"])
        .env("EDITOR", &typo)
        .code(2);
    let t = Tmux::start(&s, 100, 30, &[("EDITOR", "true")]);
    t.reply("config edit", "(r)esume");
    t.keys(&["d", "Enter"]);
    t.wait_for("No change");
    assert_eq!(t.finished(), 0);
    assert!(!draft(&s).exists());
}
