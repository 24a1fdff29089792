//! The catalog cache against files that change without changing size or
//! modification time, against damage to the cache files, and against a cache
//! folder that cannot be written. Each test compares what `list` and
//! `search` print with the cache to what they print with `REPLY_NO_CACHE=1`.
//!
//! A stamp taken within 2 s of a change proves nothing (the racy rule), so
//! the tests that check a stamp first wait that long and check that the cache
//! is then trusted (see [`settle`]); otherwise a re-read would hide a stamp
//! that missed the change.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::support::*;

/// Past the cache's racy margin (2 s), so that the stamps it takes can be trusted.
const PAST_MARGIN: Duration = Duration::from_millis(2300);

/// How a test runs `reply`.
#[derive(Clone, Copy)]
struct How {
    unprivileged: bool,
}

const AS_IS: How = How {
    unprivileged: false,
};

fn run_reply(s: &Sandbox, how: How, cache: bool, args: &[&str]) -> (Option<i32>, String, String) {
    let mut run = s.run().args(args);
    if !cache {
        run = run.env("REPLY_NO_CACHE", "1");
    }
    if how.unprivileged {
        run = run.unprivileged();
    }
    let out = run.output();
    (out.status.code(), out.stdout, out.stderr)
}

/// `list` and `search WORDS` give the same with the cache as without it;
/// returns the plain `list`.
#[track_caller]
fn agree(s: &Sandbox, how: How, words: &str) -> String {
    let mut list = String::new();
    for args in [vec!["list"], vec!["search", words]] {
        let plain = run_reply(s, how, false, &args);
        let cached = run_reply(s, how, true, &args);
        assert_eq!(cached, plain, "{args:?}: the cache changed the result");
        if args[0] == "list" {
            list = plain.1;
        }
    }
    list
}

/// The index file of the sandbox's one cache.
fn index(s: &Sandbox) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(s.path("cache/reply"))
        .expect("cache folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "index"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().expect("one index")
}

/// Identifies one write of a file: a rewrite is a new file renamed into place.
fn generation(p: &Path) -> (u64, i64, i64) {
    let m = std::fs::metadata(p).expect("stat");
    (m.ino(), m.mtime(), m.mtime_nsec())
}

/// Waits past the racy margin, writes the cache, and checks that the next
/// run trusts it: it does not rewrite it.
#[track_caller]
fn settle(s: &Sandbox, how: How, words: &str) {
    std::thread::sleep(PAST_MARGIN);
    agree(s, how, words);
    let written = generation(&index(s));
    agree(s, how, words);
    assert_eq!(
        generation(&index(s)),
        written,
        "a warm run rewrote the cache: the library still looks racy"
    );
}

fn mtime(p: &Path) -> SystemTime {
    std::fs::metadata(p)
        .and_then(|m| m.modified())
        .expect("mtime")
}

fn set_mtime(p: &Path, t: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(p)
        .and_then(|f| f.set_modified(t))
        .unwrap_or_else(|e| panic!("set mtime of {}: {e}", p.display()));
}

/// Two texts of the same size: one reply whose title and body differ by a word.
fn version(n: &str) -> String {
    format!(
        "[greeting]\ntitle = \"Greeting {n}\"\nbody = \"Hello, this is answer {n}\"\n\n{}",
        reply("other", "Other reply", "Nothing to see")
    )
}

fn library(s: &Sandbox) -> PathBuf {
    let p = s.library_file("a.toml", &version("one"));
    assert_eq!(version("one").len(), version("two").len());
    p
}

#[track_caller]
fn shows_two(s: &Sandbox, how: How) {
    let list = agree(s, how, "answer two");
    assert!(list.contains("Greeting two"), "{list}");
}

#[test]
fn a_same_size_edit_with_the_time_set_back_is_read_again() {
    if !require("touch") {
        return;
    }
    let s = Sandbox::new();
    let file = library(&s);
    std::fs::copy(&file, s.path("ref")).expect("copy");
    set_mtime(&s.path("ref"), mtime(&file));
    settle(&s, AS_IS, "answer");
    std::fs::write(&file, version("two")).expect("edit");
    s.run()
        .program("touch")
        .args(["-r", "ref", "lib/a.toml"])
        .success();
    assert_eq!(mtime(&file), mtime(&s.path("ref")));
    shows_two(&s, AS_IS);
}

#[test]
fn cp_p_over_the_file_is_read_again() {
    if !require("cp") {
        return;
    }
    let s = Sandbox::new();
    let file = library(&s);
    let new = s.write("new.toml", &version("two"));
    set_mtime(&new, mtime(&file));
    settle(&s, AS_IS, "answer");
    // In place: same inode, same size and time; only the change time moves.
    s.run()
        .program("cp")
        .args(["-p", "new.toml", "lib/a.toml"])
        .success();
    assert_eq!(mtime(&file), mtime(&new));
    shows_two(&s, AS_IS);
}

#[test]
fn a_copy_renamed_over_the_file_is_read_again() {
    if !require("cp") {
        return;
    }
    let s = Sandbox::new();
    let file = library(&s);
    let new = s.write("new.toml", &version("two"));
    set_mtime(&new, mtime(&file));
    settle(&s, AS_IS, "answer");
    let inode = std::fs::metadata(&file).expect("stat").ino();
    // `cp -p` to a new file then renamed over: a new inode with the old
    // size and time, as editors and `rsync` (without --inplace) do.
    s.run()
        .program("cp")
        .args(["-p", "new.toml", "lib/.a.toml.new"])
        .success();
    std::fs::rename(s.path("lib/.a.toml.new"), &file).expect("rename");
    assert_ne!(std::fs::metadata(&file).expect("stat").ino(), inode);
    assert_eq!(mtime(&file), mtime(&new));
    shows_two(&s, AS_IS);
}

#[test]
fn new_text_of_the_same_size_with_the_time_put_back_is_read_again() {
    let s = Sandbox::new();
    let file = library(&s);
    let before = mtime(&file);
    settle(&s, AS_IS, "answer");
    // What `rsync -t --inplace` does: the text, then the time it had.
    std::fs::write(&file, version("two")).expect("edit");
    set_mtime(&file, before);
    shows_two(&s, AS_IS);
}

#[test]
fn a_symlink_retargeted_to_a_file_of_the_same_size_and_time_is_read_again() {
    let s = Sandbox::new();
    // The targets sit in a hidden folder of the library: a link may point
    // only inside the library, and a hidden folder is not read as replies.
    let one = s.write("lib/.store/one.toml", &version("one"));
    let two = s.write("lib/.store/two.toml", &version("two"));
    set_mtime(&two, mtime(&one));
    let link = s.lib().join("a.toml");
    std::os::unix::fs::symlink(".store/one.toml", &link).expect("symlink");
    settle(&s, AS_IS, "answer");
    // As `ln -sfn` does: a new link renamed over the old one.
    std::os::unix::fs::symlink(".store/two.toml", s.lib().join(".a.toml.new")).expect("symlink");
    std::fs::rename(s.lib().join(".a.toml.new"), &link).expect("rename");
    shows_two(&s, AS_IS);
}

#[test]
fn a_library_folder_symlink_retargeted_to_a_copy_is_read_again() {
    let s = Sandbox::new();
    let one = s.write("store/one/a.toml", &version("one"));
    let two = s.write("store/two/a.toml", &version("two"));
    set_mtime(&two, mtime(&one));
    // The library the sandbox names is itself the symlink.
    std::fs::remove_dir(s.lib()).expect("rmdir lib");
    std::os::unix::fs::symlink("store/one", s.lib()).expect("symlink");
    settle(&s, AS_IS, "answer");
    std::os::unix::fs::symlink("store/two", s.path(".lib.new")).expect("symlink");
    std::fs::rename(s.path(".lib.new"), s.lib()).expect("rename");
    shows_two(&s, AS_IS);
}

#[test]
fn a_file_made_readable_is_read_again() {
    if !can_run_unprivileged() {
        return;
    }
    let how = How { unprivileged: true };
    let s = Sandbox::new();
    s.library_file("a.toml", &reply("visible", "Always there", "Hi"));
    let hidden = s.library_file("b.toml", &reply("hidden", "Hidden reply", "Hi"));
    std::fs::set_permissions(&hidden, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    settle(&s, how, "reply");
    let (_, list, err) = run_reply(&s, how, true, &["list"]);
    assert!(!list.contains("hidden"), "{list}");
    assert!(err.contains("cannot read"), "{err}");
    std::fs::set_permissions(&hidden, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let list = agree(&s, how, "hidden");
    assert!(list.contains("Hidden reply"), "{list}");
}

#[test]
fn an_edit_within_the_second_of_the_cache_write_is_read_again() {
    let s = Sandbox::new();
    let file = library(&s);
    let before = mtime(&file);
    // No wait: the cache is written at once, and the file edited at once
    // after, with its time put back, as fast as a script would.
    for n in ["two", "one", "two"] {
        agree(&s, AS_IS, "answer");
        std::fs::write(&file, version(n)).expect("edit");
        set_mtime(&file, before);
    }
    shows_two(&s, AS_IS);
}

#[test]
fn a_file_dated_in_the_future_is_read_every_time_without_rewriting_the_cache() {
    let s = Sandbox::new();
    let file = library(&s);
    set_mtime(&file, SystemTime::now() + Duration::from_secs(3600));
    s.library_file("b.toml", &reply("settled", "Settled reply", "Hi"));
    std::thread::sleep(PAST_MARGIN);
    agree(&s, AS_IS, "answer");
    let written = generation(&index(&s));
    agree(&s, AS_IS, "answer");
    // Its text is compared with the cached one's checksum: the same, so
    // the cache (48 MB for a large library) is not written again.
    assert_eq!(generation(&index(&s)), written);
    std::fs::write(&file, version("two")).expect("edit");
    set_mtime(&file, SystemTime::now() + Duration::from_secs(3600));
    shows_two(&s, AS_IS);
}

/// A library with words in the bodies only, in several files, so that a
/// search needs the bodies cache.
fn body_library(s: &Sandbox) {
    for (file, n) in [("a.toml", 0), ("b/c.toml", 30), ("d.toml", 60)] {
        let mut text = String::new();
        for i in n..n + 30 {
            text.push_str(&reply(
                &format!("r{i}"),
                &format!("Reply number {i}"),
                &format!(
                    "Body of {i}: parcel {} courier {}. {}",
                    i * 7,
                    i % 5,
                    "Some more words to make the cache files larger than the limits. ".repeat(4)
                ),
            ));
        }
        s.library_file(file, &text);
    }
}

/// Flips one byte of `path` at each position, and checks that `search` and
/// `list` then give exactly the plain output (the damage is noticed and the
/// cache rebuilt). Both cache files are put back before each flip.
fn flip_each(s: &Sandbox, damaged: &Path, positions: &[usize]) {
    let index_path = index(s);
    let bodies_path = index_path.with_extension("bodies");
    let good = [
        std::fs::read(&index_path).expect("index"),
        std::fs::read(&bodies_path).expect("bodies"),
    ];
    let plain: Vec<_> = [&["search", "parcel courier"][..], &["list"][..]]
        .iter()
        .map(|a| run_reply(s, AS_IS, false, a))
        .collect();
    for &at in positions {
        for (args, want) in [&["search", "parcel courier"][..], &["list"][..]]
            .iter()
            .zip(&plain)
        {
            std::fs::write(&index_path, &good[0]).expect("restore");
            std::fs::write(&bodies_path, &good[1]).expect("restore");
            let mut bytes = std::fs::read(damaged).expect("read");
            let at = at.min(bytes.len() - 1);
            bytes[at] ^= 0x20;
            std::fs::write(damaged, &bytes).expect("damage");
            assert_eq!(
                &run_reply(s, AS_IS, true, args),
                want,
                "{args:?} with byte {at} of {} flipped",
                damaged.display()
            );
            // And the cache rebuilt from the library is right too.
            assert_eq!(
                &run_reply(s, AS_IS, true, args),
                want,
                "{args:?} after the rebuild"
            );
        }
    }
}

fn positions(len: usize) -> Vec<usize> {
    vec![
        0,
        9,
        20,
        27,
        len / 4,
        len / 2,
        len / 2 + 1,
        3 * len / 4,
        len - 30,
        len - 12,
        len - 1,
    ]
}

#[test]
fn a_flipped_byte_in_the_bodies_cache_is_noticed() {
    let s = Sandbox::new();
    body_library(&s);
    settle(&s, AS_IS, "parcel");
    let bodies = index(&s).with_extension("bodies");
    let len = std::fs::metadata(&bodies).expect("bodies").len() as usize;
    flip_each(&s, &bodies, &positions(len));
}

#[test]
fn a_flipped_byte_in_the_index_cache_is_noticed() {
    let s = Sandbox::new();
    body_library(&s);
    settle(&s, AS_IS, "parcel");
    let index = index(&s);
    let len = std::fs::metadata(&index).expect("index").len() as usize;
    flip_each(&s, &index, &positions(len));
}

#[test]
fn a_lost_bodies_cache_with_a_changed_file_still_finds_body_matches() {
    let s = Sandbox::new();
    body_library(&s);
    settle(&s, AS_IS, "parcel");
    std::fs::remove_file(index(&s).with_extension("bodies")).expect("remove bodies");
    s.library_file("d.toml", &reply("changed", "Changed file", "Nothing here"));
    // The run that reads d.toml again must still search a.toml's bodies.
    let (code, out, _) = run_reply(&s, AS_IS, true, &["search", "courier"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("r3\t"), "{out}");
    agree(&s, AS_IS, "parcel courier");
}

/// What is in the cache folder, hidden files included.
fn cache_entries(s: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(s.path("cache/reply"))
        .map(|d| {
            d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_write_cut_short_by_the_file_size_limit_leaves_nothing_and_changes_nothing() {
    if !require("sh") {
        return;
    }
    let s = Sandbox::new();
    body_library(&s);
    let plain = run_reply(&s, AS_IS, false, &["search", "parcel courier"]);
    // 8 blocks of 512 or 1024 bytes: less than the bodies cache. Without
    // care the kernel kills the process with SIGXFSZ in the middle of it.
    let out = s
        .run()
        .shell("ulimit -f 8 && exec reply search parcel courier")
        .output();
    assert_eq!(
        (out.status.code(), out.stdout.clone(), out.stderr.clone()),
        plain,
        "{out}"
    );
    assert!(
        !cache_entries(&s).iter().any(|n| n.ends_with(".tmp")),
        "{:?}",
        cache_entries(&s)
    );
    agree(&s, AS_IS, "parcel courier");
}

#[test]
fn a_full_disk_leaves_no_temporary_file_and_changes_nothing() {
    if !require_all(&["unshare", "mount", "sh", "ls"]) {
        return;
    }
    let s = Sandbox::new();
    body_library(&s);
    let plain = run_reply(&s, AS_IS, false, &["search", "parcel courier"]);
    // A private mount of a 12 KB file system as the cache folder, in a
    // namespace of its own (as root, or as a user through a user namespace).
    let script = "mount -t tmpfs -o size=12k tmpfs \"$XDG_CACHE_HOME\" || exit 99
        reply search parcel courier; code=$?
        echo \"--- $code\" >&2
        ls -A \"$XDG_CACHE_HOME/reply\" >&2";
    let ns = if is_root() { "-m" } else { "-rm" };
    let out = s
        .run()
        .program("unshare")
        .args([ns, "sh", "-c", script])
        .output();
    if out.status.code() == Some(99) {
        // No mount namespace here (a container without the capability).
        assert!(
            !on_ci(),
            "cannot mount a small file system, and CI is set:\n{out}"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped a_full_disk_leaves_no_temporary_file_and_changes_nothing: cannot mount a file system here"
        );
        return;
    }
    let (err, listing) = out.stderr.split_once("--- ").expect("marker");
    let (code, listing) = listing.split_once('\n').expect("code");
    assert_eq!(
        (
            Some(code.parse::<i32>().expect("code")),
            out.stdout.clone(),
            err.to_string()
        ),
        plain,
        "{out}"
    );
    assert!(
        !listing.contains(".tmp"),
        "temporary files left:\n{listing}"
    );
}

/// `CI` set, as for [`require`]: a test that cannot run then fails.
fn on_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

#[test]
fn stale_temporaries_are_removed_by_the_next_write() {
    let s = Sandbox::new();
    body_library(&s);
    let dir = s.path("cache/reply");
    std::fs::create_dir_all(&dir).expect("cache dir");
    let stale = dir.join(".catalog-0123456789abcdef.bodies.99999.tmp");
    let live = dir.join(".catalog-0123456789abcdef.index.99998.tmp");
    let other = dir.join("notes.txt");
    for p in [&stale, &live, &other] {
        std::fs::write(p, "left behind").expect("write");
    }
    set_mtime(&stale, SystemTime::now() - Duration::from_secs(120));
    set_mtime(&other, SystemTime::now() - Duration::from_secs(120));
    agree(&s, AS_IS, "parcel");
    let left = cache_entries(&s);
    assert!(!left.iter().any(|n| n.contains("99999")), "{left:?}");
    // Younger than a minute: maybe a run still writing it.
    assert!(left.iter().any(|n| n.contains("99998")), "{left:?}");
    assert!(left.iter().any(|n| n == "notes.txt"), "{left:?}");
}

#[test]
fn a_read_only_cache_folder_is_not_used_and_changes_nothing() {
    if !can_run_unprivileged() {
        return;
    }
    let how = How { unprivileged: true };
    let s = Sandbox::new();
    body_library(&s);
    agree(&s, how, "parcel");
    let dir = s.path("cache/reply");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let before = cache_entries(&s);
    // The old cache stays readable; what changed is read again.
    s.library_file(
        "d.toml",
        &reply("changed", "Changed file", "parcel courier"),
    );
    agree(&s, how, "parcel courier");
    let list = agree(&s, how, "parcel");
    assert!(list.contains("Changed file"), "{list}");
    assert_eq!(cache_entries(&s), before);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn a_cache_folder_that_is_a_file_is_not_used_and_changes_nothing() {
    let s = Sandbox::new();
    body_library(&s);
    s.write("cache/reply", "not a folder");
    agree(&s, AS_IS, "parcel courier");
    s.library_file(
        "d.toml",
        &reply("changed", "Changed file", "parcel courier"),
    );
    let list = agree(&s, AS_IS, "parcel");
    assert!(list.contains("Changed file"), "{list}");
    assert_eq!(
        std::fs::read_to_string(s.path("cache/reply")).expect("file"),
        "not a folder"
    );
}
