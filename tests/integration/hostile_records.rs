//! `render --each` against inputs that are not what a spreadsheet of today
//! exports: old Mac line ends, mixed line ends, a header and nothing else,
//! nothing at all, lines far too long, and a "file" with no line end ever.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::support::*;

const LIB: &str = r#"
[thanks]
title = "Thanks for your order"
body = "Hi {{ customer }}, order {{ order }}."
"#;

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    s
}

/// `(line, message)` of each JSON line on stdout.
fn rendered(stdout: &str) -> Vec<(u64, String)> {
    stdout
        .lines()
        .map(|l| {
            let v: Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}"));
            (
                v["line"].as_u64().expect("line"),
                v["message"].as_str().expect("message").to_string(),
            )
        })
        .collect()
}

fn each<'s>(s: &'s Sandbox, file: &str) -> Run<'s> {
    s.run().args(["render", "thanks", "--each", file])
}

#[test]
fn a_csv_with_old_mac_line_ends_renders_every_record() {
    let s = sandbox();
    s.write("mac.csv", "customer,order\rAna,A-1\rBob,A-2\r");
    let out = each(&s, "mac.csv")
        .stderr_contains("Rendered 2 messages from mac.csv")
        .success();
    assert_eq!(
        rendered(&out.stdout),
        [
            (2, "Hi Ana, order A-1.".to_string()),
            (3, "Hi Bob, order A-2.".into())
        ]
    );
}

#[test]
fn mixed_line_ends_are_each_one_line_end() {
    let s = sandbox();
    // CR, CRLF and LF, a blank CR line, a quoted cell with a CR inside, and
    // no line end at the very end.
    s.write(
        "mixed.csv",
        "customer,order\r\nAna,A-1\rBob,A-2\n\r\"Cy\rDee\",A-3\r\nEd,A-4",
    );
    let out = each(&s, "mixed.csv")
        .stderr_contains("Rendered 4 messages")
        .success();
    assert_eq!(
        rendered(&out.stdout),
        [
            (2, "Hi Ana, order A-1.".to_string()),
            (3, "Hi Bob, order A-2.".into()),
            (5, "Hi Cy\nDee, order A-3.".into()),
            (7, "Hi Ed, order A-4.".into()),
        ]
    );
}

#[test]
fn a_header_without_records_is_an_error() {
    let s = sandbox();
    s.write("header.csv", "customer,order\r\n");
    each(&s, "header.csv")
        .stdout("")
        .stderr_contains("header.csv:line 1: only a header row, and no record below it")
        .stderr_contains("add one row per message")
        .code(2);
    // Nothing but blank lines is nothing recognisable.
    s.write("blank.csv", "\n \n\r\n");
    each(&s, "blank.csv")
        .stdout("")
        .stderr_contains(
            "blank.csv:lines 1-3: all blank: nothing recognisable as CSV or JSON Lines",
        )
        .code(2);
}

/// An empty input is what a pipeline that found nothing to send gives
/// (`grep … | reply … --each -`): zero messages, and success, so that the
/// script goes on. Any byte at all, though, must hold a record (above).
#[test]
fn an_empty_input_renders_nothing_and_succeeds() {
    let s = sandbox();
    s.write("empty.csv", "");
    each(&s, "empty.csv")
        .stdout("")
        .stderr_contains("Rendered 0 messages from empty.csv")
        .success();
    each(&s, "-")
        .stdin("")
        .stdout("")
        .stderr_contains("Rendered 0 messages from stdin")
        .success();
}

#[test]
fn a_2_mb_line_between_good_lines_is_reported_and_the_good_ones_render() {
    let s = sandbox();
    let long = format!("{},A-9", "x".repeat(2 << 20));
    s.write(
        "long.csv",
        &format!("customer,order\nAna,A-1\n{long}\nBob,A-2\n"),
    );
    let out = each(&s, "long.csv")
        .stderr_contains(format!(
            "long.csv:3: record 2: the line is {} bytes long",
            long.len()
        ))
        .stderr_contains("over the limit of 1048576 bytes (1 MB)")
        .stderr_contains("the rest of the line was skipped")
        .stderr_contains("1 record of long.csv failed (line 3); 2 messages written")
        .code(2);
    assert_eq!(
        rendered(&out.stdout),
        [
            (2, "Hi Ana, order A-1.".to_string()),
            (4, "Hi Bob, order A-2.".into())
        ]
    );
    assert!(
        out.stderr.len() < 4096,
        "the long line was echoed:\n{}",
        out.stderr.len()
    );
}

#[test]
fn a_json_lines_file_with_a_3_mb_line() {
    let s = sandbox();
    let long = format!("{{\"customer\":\"{}\",\"order\":2}}", "y".repeat(3 << 20));
    s.write(
        "big.jsonl",
        &format!(
            "{{\"customer\":\"Ana\",\"order\":1}}\n{long}\n{{\"customer\":\"Bob\",\"order\":3}}\n"
        ),
    );
    let out = each(&s, "big.jsonl")
        .stderr_contains(format!(
            "big.jsonl:2: record 2: the line is {} bytes long",
            long.len()
        ))
        .stderr_contains("1 record of big.jsonl failed (line 2); 2 messages written")
        .code(2);
    assert_eq!(
        rendered(&out.stdout),
        [
            (1, "Hi Ana, order 1.".to_string()),
            (3, "Hi Bob, order 3.".into())
        ]
    );
}

/// The peak resident memory of a process so far, from /proc (kB).
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn dev_zero_stops_with_exit_2_in_flat_memory() {
    if !require_file("/dev/zero", "an endless input without line ends")
        || !require_file("/proc/self/status", "the peak memory is read from /proc")
    {
        return;
    }
    let s = sandbox();
    let mut child = s
        .command(bin())
        .args(["render", "thanks", "--each", "/dev/zero"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start reply");
    let pid = child.id();
    let mut peak = 0;
    // Not a timing: only far more than any build needs, so that a run that
    // reads forever fails here instead of hanging the suite.
    let deadline = std::time::Instant::now() + Duration::from_secs(50);
    while child.try_wait().expect("try_wait").is_none() {
        if let Some(kb) = peak_rss_kb(pid) {
            peak = peak.max(kb);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still reading /dev/zero"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = wait_with_deadline(child, Duration::from_secs(5)).expect("exited");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    contains_all(
        &err,
        &[
            "/dev/zero:line 1: no line end in the first 64 MB: this is not CSV or JSON Lines",
            "--each reads CSV",
        ],
    );
    no_panic(&err);
    assert!(out.stdout.is_empty());
    assert!(peak > 0, "the peak memory was never read");
    assert!(
        peak < 40 * 1024,
        "peak resident memory {peak} kB reading /dev/zero: not flat"
    );
}
