//! The whole-process benchmark (`benches/compare.sh`) in smoke mode: 200
//! replies, two runs, the test suite's own binaries. It checks that the
//! harness still runs end to end, not the timings (see benches/RESULTS.md).

use std::process::Command;

use crate::support::{bin, require_all};

#[test]
fn compare_script_runs_in_smoke_mode() {
    // compare.sh would install missing tools with apt-get: never from a test.
    if !require_all(&["bash", "hyperfine", "fzf", "/usr/bin/time", "awk"]) {
        return;
    }
    let gen_bin = bin()
        .parent()
        .expect("target dir")
        .join("examples")
        .join("gen-library");
    assert!(
        gen_bin.exists(),
        "cargo test builds the gen-library example: {}",
        gen_bin.display()
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The developer's environment, not a sandbox's: the script builds its own
    // hermetic one, and reads rustc (through rustup, which needs HOME) first.
    let out = Command::new("bash")
        .arg(root.join("benches/compare.sh"))
        .env("SMOKE", "1")
        .env("REPLY_BIN", bin())
        .env("GEN_BIN", &gen_bin)
        .output()
        .expect("run compare.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "compare.sh failed:\n{stdout}\n{stderr}"
    );
    // The report names each measured command and its median.
    for cmd in ["search", "render", "fzf", "cat"] {
        assert!(
            stdout.contains(cmd),
            "no `{cmd}` row in the report:\n{stdout}"
        );
    }
}
