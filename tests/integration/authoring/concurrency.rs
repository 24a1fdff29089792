//! Writers at the same time, and a writer killed mid-write: real processes.
//! Twenty `reply new` into one file all land; a `kill -9` between the
//! flushed temporary file and the rename leaves the old file, whole, and the
//! lock held until then; the catalog cache sees a write at once, even one
//! that keeps the file's size within the same second.

use std::process::{Child, Stdio};
use std::time::Duration;

use super::*;

fn spawn(s: &Sandbox, args: &[&str], env: &[(&str, &std::path::Path)]) -> Child {
    let mut c = s.command(bin());
    c.env("XDG_STATE_HOME", s.path("state"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    c.spawn().expect("spawn reply")
}

#[test]
fn twenty_concurrent_news_into_one_file_all_land() {
    let s = sandbox();
    let children: Vec<(String, Child)> = (0..20)
        .map(|i| {
            let id = format!("reply-{i:02}");
            let title = format!("Reply {i}");
            let body = format!("Hi {{{{ customer }}}}, this is reply {i}.");
            let child = spawn(
                &s,
                &[
                    "-L",
                    "lib",
                    "new",
                    &id,
                    "--title",
                    &title,
                    "--body",
                    &body,
                    "--file",
                    "orders.toml",
                ],
                &[],
            );
            (id, child)
        })
        .collect();
    for (id, child) in children {
        let out = wait_with_deadline(child, Duration::from_secs(120))
            .unwrap_or_else(|partial| panic!("{id} hung: {partial}"));
        assert!(
            out.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = orders(&s);
    // The file as it was, then every new reply, each once.
    assert!(text.starts_with(ORDERS));
    for i in 0..20 {
        assert_eq!(
            text.matches(&format!("[reply-{i:02}]")).count(),
            1,
            "{text}"
        );
    }
    run(&s).args(["check", "lib"]).success();
    let list = run(&s).args(["list", "--json"]).success().json();
    assert_eq!(list["replies"].as_array().unwrap().len(), 22);
}

#[test]
fn a_writer_killed_before_the_rename_leaves_the_old_file_whole() {
    let s = sandbox();
    let marker = s.path("paused");
    let mut first = spawn(
        &s,
        &["rm", "thanks", "--yes"],
        &[("REPLY_TEST_PAUSE_BEFORE_RENAME", &marker)],
    );
    // The marker names the temporary file once the writer is there.
    let paused = |m: &std::path::Path| std::fs::read_to_string(m).is_ok_and(|t| !t.is_empty());
    assert!(
        eventually(Duration::from_secs(30), || paused(&marker)),
        "the writer never reached the rename"
    );
    // Everything is written and flushed, in a temporary file beside the
    // library file; the library file itself is untouched.
    let tmp = std::path::PathBuf::from(std::fs::read_to_string(&marker).unwrap());
    assert_eq!(tmp.parent(), Some(s.lib().as_path()));
    assert_eq!(orders(&s), ORDERS);
    let new_text = ORDERS.replace(
        "\n# Thanks, short.\n[thanks]\ntitle = 'Thanks'\nbody = \"Thanks {{ customer }}!\"\n",
        "",
    );
    assert_eq!(std::fs::read_to_string(&tmp).unwrap(), new_text);
    // The lock is held: a second writer waits for the first.
    let mut second = spawn(
        &s,
        &[
            "-L",
            "lib",
            "new",
            "after",
            "--title",
            "After",
            "--body",
            "Hi {{ customer }}",
            "--file",
            "orders.toml",
        ],
        &[],
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        second.try_wait().unwrap().is_none(),
        "the second writer did not wait"
    );
    // kill -9, between the steps.
    first.kill().unwrap();
    let status = first.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
    // The old file, whole; the second writer goes on from it.
    let out = wait_with_deadline(second, Duration::from_secs(60)).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = orders(&s);
    assert!(text.starts_with(ORDERS), "{text}");
    assert!(text.contains("[thanks]") && text.contains("[after]"));
    // The dead writer's temporary file is left, hidden: no command reads it
    // (and a write sweeps it away once it is an hour old).
    assert!(tmp.exists());
    run(&s).args(["check", "lib"]).success();
    assert_eq!(
        ids(&run(&s).arg("list").success().stdout),
        ["late", "thanks", "after"]
    );

    // Let the same write through: the new file, whole.
    let s = sandbox();
    let marker = s.path("paused");
    let child = spawn(
        &s,
        &["rm", "thanks", "--yes"],
        &[("REPLY_TEST_PAUSE_BEFORE_RENAME", &marker)],
    );
    assert!(eventually(Duration::from_secs(30), || paused(&marker)));
    assert_eq!(orders(&s), ORDERS);
    std::fs::remove_file(&marker).unwrap();
    let out = wait_with_deadline(child, Duration::from_secs(60)).unwrap();
    assert!(out.status.success());
    assert_eq!(orders(&s), new_text);
}

/// Sets a file's modification time, as a file system with coarse
/// timestamps would have left it.
fn set_mtime(path: &std::path::Path, t: std::time::SystemTime) {
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.set_modified(t).unwrap();
}

#[test]
fn search_and_render_see_a_write_at_once_even_with_the_same_size_and_time() {
    let s = sandbox();
    let file = s.lib().join("orders.toml");
    // A warm cache.
    for _ in 0..2 {
        run(&s).args(["search", "late"]).success();
        run(&s)
            .args(["render", "late", "-c", "Ana", "--print"])
            .stdout("Hi Ana, order your order is late.")
            .success();
    }
    let before = std::fs::metadata(&file).unwrap();
    // The same number of bytes, in the same second.
    let vi = editor(
        &s,
        "vi",
        "sed -i 's/is late\\.$/is slow./; s/contains = \"Hi Ana, order your order is late.\"/contains = \"Hi Ana, order your order is slow.\"/' \"$f\"",
    );
    run(&s).env("EDITOR", &vi).args(["edit", "late"]).success();
    let after = std::fs::metadata(&file).unwrap();
    assert_eq!(after.len(), before.len());
    run(&s)
        .args(["render", "late", "-c", "Ana", "--print"])
        .stdout("Hi Ana, order your order is slow.")
        .success();
    let found = run(&s).args(["search", "slow", "--json"]).success().json();
    assert_eq!(found["results"][0]["id"], "late");
}

/// The same, on a file system whose timestamps are too coarse to tell two
/// writes apart (1 s on ext3 and many network file systems, 2 s on FAT):
/// the file keeps its size and its modification time. Ignored while the
/// catalog cache recognises a file by size and modification time alone
/// (`library/catalog/cache.rs`, `Stamp`): `render` sees the new text (it
/// reads the file), but `search` and `list` answer from the stale cache.
#[test]
fn search_sees_a_write_that_keeps_the_size_and_the_modification_time() {
    let s = sandbox();
    let file = s.lib().join("orders.toml");
    run(&s).args(["search", "late"]).success();
    run(&s).args(["search", "late"]).success();
    let before = std::fs::metadata(&file).unwrap();
    let vi = editor(
        &s,
        "vi",
        "sed -i 's/is late\\.$/is slow./; s/your order is late/your order is slow/' \"$f\"",
    );
    run(&s).env("EDITOR", &vi).args(["edit", "late"]).success();
    set_mtime(&file, before.modified().unwrap());
    assert_eq!(std::fs::metadata(&file).unwrap().len(), before.len());
    run(&s)
        .args(["render", "late", "-c", "Ana", "--print"])
        .stdout("Hi Ana, order your order is slow.")
        .success();
    // Read afresh, the library has it…
    run(&s)
        .env("REPLY_NO_CACHE", "1")
        .args(["search", "slow"])
        .stdout_contains("late")
        .success();
    // …and so must the cache.
    let found = run(&s).args(["search", "slow", "--json"]).output();
    assert!(
        found.status.success() && found.stdout.contains("\"id\": \"late\""),
        "a stale cache misses the new text:\n{found}"
    );
}
