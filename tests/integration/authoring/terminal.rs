//! The interactive cases, on a real terminal: `reply` runs in a tmux pane
//! (100×30), the test reads the screen with `capture-pane` and answers with
//! `send-keys`, as a person would; `script` gives a one-shot prompt its
//! terminal. The editor is still the stand-in script: what matters here is
//! what `reply` asks and what each answer does.

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use super::*;

/// A tmux server of the test's own, with one pane running a command.
struct Tmux<'s> {
    s: &'s Sandbox,
    socket: PathBuf,
    status: PathBuf,
}

impl<'s> Tmux<'s> {
    /// Runs `command` (a shell line) in a new pane; its exit code goes to a
    /// file, and the pane stays open so its last screen can be read.
    fn start(s: &'s Sandbox, command: &str) -> Tmux<'s> {
        let status = s.path("status");
        let script = s.script(
            "session.sh",
            &format!(
                "export XDG_STATE_HOME='{}'\n{command}\necho \"$?\" > '{}.tmp' && mv '{}.tmp' '{}'\nsleep 600",
                s.path("state").display(),
                status.display(),
                status.display(),
                status.display()
            ),
        );
        // A server of its own each time: one that is shutting down must
        // never be the one a new session talks to.
        static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = Tmux {
            s,
            socket: s.path(&format!("tmux-{n}.sock")),
            status,
        };
        let out = t.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            &script.display().to_string(),
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let mut c = self.s.command("tmux");
        c.env("TERM", "xterm-256color")
            .arg("-S")
            .arg(&self.socket)
            .args(args);
        c.output().expect("run tmux")
    }

    fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-J", "-S", "-200"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen once it shows `text` (20 s at most, else the test fails
    /// with the screen as it is).
    #[track_caller]
    fn wait_for(&self, text: &str) -> String {
        if eventually(Duration::from_secs(20), || self.screen().contains(text)) {
            return self.screen();
        }
        panic!("the terminal never showed {text:?}:\n{}", self.screen());
    }

    /// Types `text` and Enter.
    fn answer(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-l", text]);
        assert!(out.status.success());
        assert!(self.tmux(&["send-keys", "Enter"]).status.success());
    }

    /// The command's exit code, once it has finished.
    #[track_caller]
    fn code(&self) -> i32 {
        if !eventually(Duration::from_secs(30), || self.status.exists()) {
            panic!("the command never finished:\n{}", self.screen());
        }
        std::fs::read_to_string(&self.status)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for Tmux<'_> {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn reply_cmd(s: &Sandbox, editor: &std::path::Path, args: &str) -> String {
    format!(
        "export REPLY_LIBRARY='{}' EDITOR='{}'\n'{}' {args}",
        s.lib().display(),
        editor.display(),
        bin().display()
    )
}

/// An editor that slips the first time and puts it right the second.
fn slip_then_fix(s: &Sandbox) -> PathBuf {
    editor(
        s,
        "vi",
        &format!(
            "n=$(cat '{c}' 2>/dev/null || echo 0); echo $((n+1)) > '{c}'\n\
             if [ \"$n\" = 0 ]; then sed -i 's/^title = \"Order late\"$/title = \"Order late/' \"$f\"\n\
             else sed -i 's/^title = \"Order late$/title = \"Order late, fixed\"/' \"$f\"; fi",
            c = s.path("count").display()
        ),
    )
}

#[test]
fn a_broken_edit_asks_and_edit_again_opens_at_the_error() {
    if !require("tmux") {
        return;
    }
    let s = sandbox();
    let vi = slip_then_fix(&s);
    let t = Tmux::start(&s, &reply_cmd(&s, &vi, "edit late"));
    let screen = t.wait_for("(e)dit again, (k)eep the draft, (d)iscard it [e]");
    contains_all(
        &screen,
        &[
            "error: invalid TOML",
            "6 | title = \"Order late",
            "`late` has 1 error.",
        ],
    );
    t.answer("e");
    t.wait_for("Saved `late`");
    assert_eq!(t.code(), 0);
    assert_eq!(
        orders(&s),
        ORDERS.replace("\"Order late\"", "\"Order late, fixed\"")
    );
    // The second time, the editor opened at the line of the error.
    let runs = editor_runs(&s);
    assert!(
        runs[0].starts_with("+5 ") && runs[1].starts_with("+6 "),
        "{runs:?}"
    );
    assert!(drafts(&s).is_empty());
}

#[test]
fn a_broken_edit_can_be_discarded_or_kept() {
    if !require("tmux") {
        return;
    }
    let s = sandbox();
    let vi = editor(
        &s,
        "vi",
        "sed -i 's/^title = \"Order late\"$/title = \"Order late/' \"$f\"",
    );
    {
        let t = Tmux::start(&s, &reply_cmd(&s, &vi, "edit late"));
        t.wait_for("(d)iscard it");
        t.answer("d");
        t.wait_for("Discarded: nothing was written.");
        assert_eq!(t.code(), 0);
    }
    assert_eq!(orders(&s), ORDERS);
    assert!(drafts(&s).is_empty());
    std::fs::remove_file(s.path("status")).unwrap();
    {
        let t = Tmux::start(&s, &reply_cmd(&s, &vi, "edit late"));
        t.wait_for("(k)eep the draft");
        t.answer("keep");
        t.wait_for("your draft is kept at");
        assert_eq!(t.code(), 2);
    }
    assert_eq!(orders(&s), ORDERS);
    assert_eq!(drafts(&s), ["late"]);
    // Starting again asks about the kept draft first.
    std::fs::remove_file(s.path("status")).unwrap();
    let t = Tmux::start(&s, &reply_cmd(&s, &vi, "edit late"));
    t.wait_for("A draft of `late` is kept at");
    t.answer("q");
    assert_eq!(t.code(), 2);
    assert_eq!(drafts(&s), ["late"]);
}

#[test]
fn resuming_after_a_change_on_disk_shows_it_and_installs_the_merge() {
    if !require("tmux") {
        return;
    }
    let s = sandbox();
    let file = s.lib().join("orders.toml");
    let theirs = "\n[other]\ntitle = \"Other\"\nbody = \"Hi {{ customer }}\"\n";
    // First the edit meets another agent's change and is kept…
    let clash = editor(
        &s,
        "vi",
        &format!(
            "sed -i 's/is late\\.$/is late. Sorry!/' \"$f\"\nprintf '%s' '{theirs}' >> '{}'",
            file.display()
        ),
    );
    run(&s).env("EDITOR", &clash).args(["edit", "late"]).code(2);
    // …then, resumed on a terminal, the change is shown and the author
    // brings it into the draft.
    let merge = editor(&s, "nano", &format!("printf '%s' '{theirs}' >> \"$f\""));
    let t = Tmux::start(&s, &reply_cmd(&s, &merge, "edit late --resume"));
    let screen = t.wait_for("Saved `late`");
    contains_all(
        &screen,
        &[
            "changed on disk since your draft was made",
            "+[other]",
            "Bring those changes into your draft",
        ],
    );
    assert_eq!(t.code(), 0);
    assert_eq!(
        orders(&s),
        format!(
            "{}{theirs}",
            ORDERS.replace("is late.\n", "is late. Sorry!\n")
        )
    );
}

#[test]
fn a_new_reply_in_the_editor_leaves_the_guide_out() {
    if !require("tmux") {
        return;
    }
    let s = sandbox();
    let vi = editor(
        &s,
        "vi",
        "sed -i 's/^title = \"\"$/title = \"Parcel lost\"/; s/^# \\[parcel.tests.basic\\]$/[parcel.tests.basic]/; s/^# vars = /vars = /; s/^# contains = /contains = /' \"$f\"",
    );
    let t = Tmux::start(&s, &reply_cmd(&s, &vi, "-L lib new parcel --tag orders"));
    t.wait_for("Added `parcel`");
    assert_eq!(t.code(), 0);
    assert_eq!(
        orders(&s),
        format!(
            "{ORDERS}\n[parcel]\ntitle = \"Parcel lost\"\ntags = [\"orders\"]\nbody = \"\"\"\nHi {{{{ customer | default(value=\"there\") }}}}, this is {{{{ agent }}}} from {{{{ brand }}}}.\n\n\"\"\"\n\n[parcel.tests.basic]\nvars = {{ customer = \"Ana\", agent = \"Sam\", brand = \"Acme\" }}\ncontains = [\"Hi Ana\", \"Sam\"]\n"
        )
    );
    // The editor opened at the title, the line to fill in.
    assert!(
        editor_runs(&s)[0].starts_with("+6 "),
        "{:?}",
        editor_runs(&s)
    );
}

#[test]
fn an_untouched_skeleton_writes_nothing() {
    if !require("tmux") {
        return;
    }
    let s = sandbox();
    let vi = editor(&s, "vi", "true");
    let t = Tmux::start(&s, &reply_cmd(&s, &vi, "new parcel"));
    t.wait_for("No change: nothing was written.");
    assert_eq!(t.code(), 0);
    assert!(!s.path("data/reply/replies").exists());
    assert!(drafts(&s).is_empty());
}

#[test]
fn editing_a_starter_reply_offers_to_copy_the_starter_library_first() {
    if !require("tmux") {
        return;
    }
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path("state")).unwrap();
    let vi = editor(
        &s,
        "vi",
        "sed -i 's/^title = \"Order delayed: apology and new delivery estimate\"$/title = \"Order delayed (ours)\"/' \"$f\"",
    );
    let before = ids(&s.run().bare().arg("list").success().stdout);
    let t = Tmux::start(
        &s,
        &format!(
            "unset REPLY_LIBRARY\nexport EDITOR='{}'\n'{}' edit order-delay",
            vi.display(),
            bin().display()
        ),
    );
    t.wait_for("is in the built-in starter library, which is read-only. Copy the starter library");
    t.answer("");
    t.wait_for("Saved `order-delay`");
    assert_eq!(t.code(), 0);
    let list = s.run().bare().arg("list").success().stdout;
    assert_eq!(ids(&list), before);
    assert!(list.contains("Order delayed (ours)"), "{list}");
    assert!(!list.contains("starter"), "{list}");
}

#[test]
fn rm_asks_on_a_terminal() {
    if !require("script") {
        return;
    }
    let s = sandbox();
    let command = |answer: &str| {
        format!(
            "printf '{answer}\\n' | script -qec \"REPLY_LIBRARY='{}' '{}' rm thanks\" /dev/null",
            s.lib().display(),
            bin().display()
        )
    };
    run(&s)
        .shell(&command("n"))
        .stdout_contains("Remove `thanks` (Thanks) from")
        .stdout_contains("[y/N]")
        .stdout_contains("Nothing was removed.")
        .success();
    assert_eq!(orders(&s), ORDERS);
    run(&s)
        .shell(&command("y"))
        .stdout_contains("Removed `thanks`")
        .success();
    assert!(!orders(&s).contains("[thanks]"));
}
