//! Issue 5, `reply render ID --each FILE`: CSV and JSON Lines records, the
//! output shapes, per-record errors and exit status, streaming and memory.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::support::*;

const LIB: &str = r#"
[thanks]
title = "Thanks for your order"
body = """
Hi {{ customer }}, order {{ order }}: {{ note | default(value="no note") }}. {{ agent }}
"""

[nested]
title = "Order status from structured data"
body = "{{ order.id }} x{{ qty }} vip={{ vip }} {{ agent }}"
"#;

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    s
}

/// The JSON Lines on stdout, parsed.
fn objects(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Every awkward thing spreadsheets export, in one file.
const AWKWARD: &str = "\u{FEFF}id,customer,order,note\r\n\
    1001,\"Smith, Ana\",A-1,\r\n\
    1002,Bob,A-2,\"He said \"\"hi\"\"\"\r\n\
    1003,,A-3,missing customer\r\n\
    1004,Cy,A-4,\"two\r\nlines\"\r\n\
    \r\n\
    1005,Dee,A-5,\"comma, inside\"\r\n";

#[test]
fn csv_as_exported_renders_every_good_record_and_reports_the_bad_one() {
    let s = sandbox();
    s.write("orders.csv", AWKWARD);
    let out = s
        .run()
        .args(["render", "thanks", "--each", "orders.csv", "-a", "Sam"])
        .code(2);
    let recs = objects(&out.stdout);
    assert_eq!(recs.len(), 4, "{}", out.stdout);
    assert_eq!(recs[0]["record"], 1);
    assert_eq!(recs[0]["line"], 2);
    assert_eq!(recs[0]["id"], "1001");
    assert_eq!(recs[0]["customer"], "Smith, Ana");
    assert_eq!(recs[0]["message"], "Hi Smith, Ana, order A-1: no note. Sam");
    assert_eq!(recs[1]["message"], "Hi Bob, order A-2: He said \"hi\". Sam");
    assert_eq!(recs[2]["record"], 4);
    assert_eq!(recs[2]["line"], 5);
    assert_eq!(recs[2]["message"], "Hi Cy, order A-4: two\nlines. Sam");
    // The blank line is skipped; line numbers still count it.
    assert_eq!(recs[3]["record"], 5);
    assert_eq!(recs[3]["line"], 8);
    assert_eq!(recs[3]["message"], "Hi Dee, order A-5: comma, inside. Sam");
    let err = &out.stderr;
    contains_all(
        err,
        &[
            "orders.csv:4: record 3 (id 1003)",
            "needs a value for `customer`",
            "fill it in this record",
            "1 record of orders.csv failed (line 4); 4 messages written",
        ],
    );
    no_panic(err);
}

#[test]
fn fail_fast_stops_at_the_first_failed_record() {
    let s = sandbox();
    s.write("orders.csv", AWKWARD);
    let out = s
        .run()
        .args([
            "render",
            "thanks",
            "--each",
            "orders.csv",
            "-a",
            "Sam",
            "--fail-fast",
        ])
        .stderr_contains("orders.csv:4: record 3")
        .stderr_contains("--fail-fast")
        .code(2);
    assert_eq!(objects(&out.stdout).len(), 2);
}

#[test]
fn every_record_rendered_exits_zero() {
    let s = sandbox();
    s.write("ok.csv", "customer,order\nAna,A-1\nBob,A-2\n");
    let out = s
        .run()
        .args(["render", "thanks", "--each", "ok.csv", "-a", "Sam", "-q"])
        .stderr("")
        .code(0);
    let recs = objects(&out.stdout);
    assert_eq!(recs.len(), 2);
    // No `id` column: the object has none; `customer` names the row.
    assert!(recs[0].get("id").is_none());
    assert_eq!(recs[1]["customer"], "Bob");
}

#[test]
fn text_output_separates_messages_with_a_line_or_nul() {
    let s = sandbox();
    s.write("ok.csv", "customer,order\nAna,A-1\nBob,A-2\n");
    let base = [
        "render", "thanks", "--each", "ok.csv", "-a", "Sam", "--format", "text",
    ];
    s.run()
        .args(base)
        .stdout("Hi Ana, order A-1: no note. Sam\n---\nHi Bob, order A-2: no note. Sam\n")
        .success();
    s.run()
        .args(base)
        .args(["--separator", "\\0"])
        .stdout("Hi Ana, order A-1: no note. Sam\0Hi Bob, order A-2: no note. Sam\0")
        .code(0);
    s.run()
        .args(base)
        .args(["--separator", "=="])
        .stdout_contains("Sam\n==\nHi Bob")
        .success();
}

#[test]
fn nul_separated_output_feeds_xargs_0() {
    if !require_all(&["sh", "xargs"]) {
        return;
    }
    let s = sandbox();
    s.write("ok.csv", "customer,order\n\"Ana\nMaría\",A-1\nBob,A-2\n");
    s.run()
        .shell(&format!(
            "{} render thanks --each ok.csv -a Sam --format text --separator '\\0' | xargs -0 -n1 printf '<%s>\\n'",
            bin().display()
        ))
        .stdout("<Hi Ana\nMaría, order A-1: no note. Sam>\n<Hi Bob, order A-2: no note. Sam>\n")
        .code(0);
}

#[test]
fn json_lines_keep_numbers_booleans_and_objects_and_report_bad_lines() {
    let s = sandbox();
    s.write(
        "orders.jsonl",
        "{\"id\": 7, \"order\": {\"id\": \"A-7\"}, \"qty\": 3, \"vip\": true}\n\
         \n\
         {\"id\": 8, \"order\": {\"id\": \"A-8\"}, \"qty\": 1\n\
         [\"not\", \"an object\"]\n\
         {\"id\": 9, \"order\": {\"id\": \"A-9\"}, \"qty\": 2, \"vip\": false}\n",
    );
    let out = s
        .run()
        .args(["render", "nested", "--each", "orders.jsonl", "-a", "Sam"])
        .stderr_contains("orders.jsonl:3: record 2: invalid JSON")
        .stderr_contains("orders.jsonl:4: record 3: the line holds a list")
        .stderr_contains("2 records of orders.jsonl failed (lines 3, 4)")
        .code(2);
    let recs = objects(&out.stdout);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["id"], 7);
    assert_eq!(recs[0]["message"], "A-7 x3 vip=true Sam");
    assert_eq!(
        (recs[1]["record"].clone(), recs[1]["line"].clone()),
        (4.into(), 5.into())
    );
    assert_eq!(recs[1]["message"], "A-9 x2 vip=false Sam");
}

#[test]
fn stdin_is_read_with_dash_and_the_format_flag() {
    let s = sandbox();
    let out = s
        .run()
        .args([
            "render",
            "thanks",
            "--each",
            "-",
            "--each-format",
            "csv",
            "-a",
            "Sam",
        ])
        .stdin("customer,order\nAna,A-1\n")
        .code(0);
    assert_eq!(
        objects(&out.stdout)[0]["message"],
        "Hi Ana, order A-1: no note. Sam"
    );
    // No format and no extension: a first line starting with `{` is JSON Lines.
    let out = s
        .run()
        .args(["render", "thanks", "--each", "-", "-a", "Sam"])
        .stdin("{\"customer\": \"Bo\", \"order\": 5}\n")
        .code(0);
    assert_eq!(
        objects(&out.stdout)[0]["message"],
        "Hi Bo, order 5: no note. Sam"
    );
}

#[test]
fn flags_win_over_records_and_records_over_vars_env_and_config() {
    let s = sandbox();
    s.config("agent = \"Config\"\n[vars]\nnote = \"config note\"\n");
    s.write("vars.toml", "order = \"from --vars\"\n");
    s.write("r.csv", "customer,order,agent,note\nAna,A-1,RowAgent,\n");
    // The row beats --vars, env and config; its empty `note` falls back to the config.
    s.run()
        .env("REPLY_CUSTOMER", "EnvCustomer")
        .args(["render", "thanks", "--each", "r.csv", "--vars", "vars.toml"])
        .args(["--format", "text"])
        .stdout("Hi Ana, order A-1: config note. RowAgent\n")
        .success();
    s.run()
        .args(["render", "thanks", "--each", "r.csv", "--format", "text"])
        .args(["-a", "Flag", "-v", "order=F-9"])
        .stdout("Hi Ana, order F-9: config note. Flag\n")
        .success();
}

#[test]
fn an_unbalanced_quote_is_reported_with_its_line_and_the_rows_below_render() {
    let s = sandbox();
    s.write(
        "q.csv",
        "customer,order\nAna,A-1\n\"Bob,A-2\nCy,A-3\nDee,A-4\n",
    );
    s.run()
        .args(["render", "thanks", "--each", "q.csv", "-a", "Sam", "--format", "text"])
        .stdout(
            "Hi Ana, order A-1: no note. Sam\n---\nHi Cy, order A-3: no note. Sam\n---\nHi Dee, order A-4: no note. Sam\n",
        )
        .stderr_contains("q.csv:3: record 2: unbalanced quotes")
        .stderr_contains("opened on line 3 is never closed")
        .code(2);
}

#[test]
fn a_row_with_too_many_fields_is_reported() {
    let s = sandbox();
    s.write("f.csv", "customer,order\nAna,A-1,extra\nBob,A-2\n");
    let out = s
        .run()
        .args(["render", "thanks", "--each", "f.csv", "-a", "Sam"])
        .stderr_contains("f.csv:2: record 1: 3 fields but the header has 2")
        .stderr_contains("double quotes")
        .code(2);
    assert_eq!(objects(&out.stdout).len(), 1);
}

#[test]
fn usage_mistakes_are_explained() {
    let s = sandbox();
    s.run()
        .args(["render", "thanks", "--each", "nope.csv"])
        .stderr_contains("cannot read nope.csv")
        .code(2);
    s.run()
        .args(["render", "thanks", "--each", "-", "--vars", "-"])
        .stderr_contains("both read stdin")
        .code(2);
    s.write("ok.csv", "customer,order\nAna,A-1\n");
    s.run()
        .args(["render", "thanks", "--each", "ok.csv", "--copy"])
        .stderr_contains("cannot copy")
        .code(2);
    s.write("empty.csv", "");
    s.run()
        .args(["render", "thanks", "--each", "empty.csv", "-a", "S"])
        .stdout("")
        .code(0);
}

/// `reply render thanks --each - -a Sam -q` with stdin, stdout and stderr piped.
fn spawn_each_stdin(s: &Sandbox) -> std::process::Child {
    s.command(bin())
        .args(["render", "thanks", "--each", "-", "--each-format", "csv"])
        .args(["-a", "Sam", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn reply")
}

/// Output must not wait for the end of the input: a producer that writes one
/// record and waits sees that record's message.
#[test]
fn output_starts_before_input_ends() {
    let s = sandbox();
    let mut child = spawn_each_stdin(&s);
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    stdin.write_all(b"customer,order\nAna,A-1\n").unwrap();
    stdin.flush().unwrap();
    let first = rx.recv_timeout(Duration::from_secs(20));
    let first = first.unwrap_or_else(|_| {
        let _ = child.kill();
        panic!("no output while the input stayed open")
    });
    assert!(first.contains("Hi Ana, order A-1"), "{first}");
    stdin.write_all(b"Bob,A-2\n").unwrap();
    drop(stdin);
    let second = rx.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(second.contains("Hi Bob"), "{second}");
    assert!(child.wait().unwrap().success());
}

/// The peak resident memory of a process so far, from /proc (kB).
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 100,000 records through stdin in flat memory (not timed: a debug build is slow).
#[test]
fn a_hundred_thousand_records_stream_in_flat_memory() {
    if !require_file("/proc/self/status", "the peak memory is read from /proc") {
        return;
    }
    const ROWS: usize = 100_000;
    let s = sandbox();
    let mut child = spawn_each_stdin(&s);
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut w = std::io::BufWriter::new(&mut stdin);
        writeln!(w, "id,customer,order,note").unwrap();
        for i in 0..ROWS {
            writeln!(w, "{i},\"Customer {i}, Esq.\",A-{i},\"note \"\"{i}\"\"\"").unwrap();
        }
    });
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut lines = 0usize;
        let mut buf = [0u8; 64 * 1024];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => lines += buf[..n].iter().filter(|&&b| b == b'\n').count(),
            }
        }
        lines
    });
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Some(kb) = peak_rss_kb(pid) {
            peak = peak.max(kb);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    writer.join().unwrap();
    let lines = reader.join().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(lines, ROWS, "{err}");
    assert!(peak > 0, "the peak memory was never read");
    assert!(
        peak < 50 * 1024,
        "peak resident memory {peak} kB for {ROWS} records: not flat"
    );
}
