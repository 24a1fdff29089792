//! Issue 2, `reply init`: the starter library copied into the user's library,
//! never overwriting a file.

use crate::support::*;

fn toml_files(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn init_copies_the_starter_library_into_the_user_library() {
    let s = Sandbox::new();
    let before = s.run().bare().arg("list").success().stdout;
    s.run().bare().arg("init").code(0);
    let user = s.path("data/reply/replies");
    let files = toml_files(&user);
    assert!(files.contains(&"orders.toml".to_string()), "{files:?}");
    let repo = toml_files(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/replies"
    )));
    assert_eq!(files, repo);
    // The same replies, now served from the user's library.
    let after = s.run().bare().arg("list").success().stdout;
    assert_eq!(ids(&after), ids(&before));
    let line = after
        .lines()
        .find(|l| l.starts_with("order-delay\t"))
        .unwrap();
    assert!(!line.ends_with("starter"), "{line}");
}

#[test]
fn init_never_overwrites_an_existing_file() {
    let s = Sandbox::new();
    let mine = "# mine\n[order-delay]\ntitle = \"My own\"\nbody = \"mine\"\n";
    let path = s.write("data/reply/replies/orders.toml", mine);
    let out = s.run().bare().arg("init").code(0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), mine);
    // The other starter files were written.
    assert!(s.path("data/reply/replies/returns.toml").is_file());
    // And the kept file is mentioned.
    assert!(
        out.stderr.contains("orders.toml") || out.stdout.contains("orders.toml"),
        "{}",
        out.stderr
    );
    s.run()
        .bare()
        .args(["render", "order-delay", "--exact"])
        .stdout("mine")
        .success();
}

#[test]
fn init_twice_changes_nothing() {
    let s = Sandbox::new();
    s.run().bare().arg("init").success();
    let path = s.path("data/reply/replies/orders.toml");
    std::fs::write(&path, "# edited\n").unwrap();
    s.run().bare().arg("init").code(0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# edited\n");
}

/// Issue 10: an init cut short (here by the file size limit, as a full disk
/// would) leaves no truncated library file and no temporary one, and running
/// it again finishes the job.
#[test]
fn an_init_cut_short_leaves_no_half_file_and_a_retry_finishes() {
    if !require("sh") {
        return;
    }
    let s = Sandbox::new();
    // 4 blocks: less than any starter file.
    let out = s
        .run()
        .bare()
        .shell("ulimit -f 4 && exec reply init")
        .output();
    assert_eq!(out.status.code(), Some(2), "{out}");
    assert!(out.stderr.contains("cannot write"), "{out}");
    no_panic(&out.stderr);
    let lib = s.path("data/reply/replies");
    let starter = toml_files(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/replies"
    )));
    if lib.exists() {
        for e in std::fs::read_dir(&lib).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.contains(".tmp"), "a temporary file is left: {name}");
            // Whatever is there is a whole starter file.
            let want = std::fs::read_to_string(
                std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/replies")).join(&name),
            )
            .unwrap();
            assert_eq!(std::fs::read_to_string(&p).unwrap(), want, "{name}");
        }
    }
    s.run().bare().args(["init"]).success();
    assert_eq!(toml_files(&lib), starter);
    s.run().bare().args(["check"]).success();
}
