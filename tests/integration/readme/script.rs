//! `sh` blocks: run with bash where they can run offline, else checked with
//! `bash -n`; the calls their comments show, and what `send-dm.sh` received (the
//! rules are in the parent module's comment).

use std::fs;

use super::{Block, DELAYED, WORK, sandbox};
use crate::support::Run;

/// What in an `sh` block means it cannot run here, and why.
const SETUP_ONLY: [(&str, &str); 6] = [
    ("cargo install", "installs into ~/.cargo"),
    ("cargo test", "runs the whole suite, this test included"),
    ("cargo bench", "builds and runs the benchmarks"),
    ("benches/compare.sh", "takes minutes and installs packages"),
    ("~/.bashrc", "sets up a shell's start-up file"),
    ("~/.zshrc", "sets up a shell's start-up file"),
];

/// Runs before every `sh` block.
const PRELUDE: &str = r#"set -euo pipefail
shopt -s expand_aliases
cargo() {
    if [ "${1-} ${2-} ${3-}" = "run --release --" ]; then
        shift 3
        reply "$@"
    else
        echo "the README test runs no cargo command but \`cargo run --release --\`" >&2
        return 97
    fi
}
"#;

pub(super) fn run(block: &Block, failures: &mut Vec<String>) {
    let n = block.line;
    let text: String = block.body.iter().map(|(_, l)| format!("{l}\n")).collect();
    if let Some((marker, why)) = SETUP_ONLY.iter().find(|(m, _)| text.contains(m)) {
        // Not run here; its syntax at least must hold.
        let ran = Run::new()
            .program("bash")
            .args(["-n", "-c", &text])
            .output();
        if ran.code() != 0 {
            failures.push(format!(
                "README.md:{n}: the block (only checked, as it mentions `{marker}`: {why}) is not valid bash:\n{ran}"
            ));
        }
        return;
    }
    let calls = calls_shown(&text);
    let mut full = format!("{PRELUDE}{text}");
    for (i, call) in calls.iter().enumerate() {
        // Each call on its own, so that one failing does not hide the others.
        full.push_str(&format!(
            "rm -f ../clipboard.txt\n\
             if {call} >call-{i}.out 2>call-{i}.err; then echo 0 >call-{i}.status; else echo $? >call-{i}.status; fi\n\
             if [ -e ../clipboard.txt ]; then mv ../clipboard.txt call-{i}.copied; fi\n"
        ));
    }
    let s = sandbox();
    let ran = s
        .run()
        .bare()
        .current_dir(WORK)
        .program("bash")
        .args(["-c", &full])
        .output();
    if ran.status.code() != Some(0) {
        failures.push(format!(
            "README.md:{n}: the block exits with {}, not 0:\n{ran}",
            ran.status
        ));
        return;
    }
    let work = |name: &str| fs::read_to_string(s.path(&format!("{WORK}/{name}")));
    for (i, call) in calls.iter().enumerate() {
        let status = work(&format!("call-{i}.status")).unwrap_or_default();
        let printed = work(&format!("call-{i}.out")).unwrap_or_default();
        let copied = work(&format!("call-{i}.copied")).unwrap_or_default();
        let errors = work(&format!("call-{i}.err")).unwrap_or_default();
        if status.trim() != "0" || (printed.is_empty() && copied.is_empty()) {
            failures.push(format!(
                "README.md:{n}: the call the block shows, `{call}`, exits with {} and prints {printed:?}, copies {copied:?}; stderr:\n{errors}",
                status.trim()
            ));
        }
    }
    if text.contains("send-dm.sh") {
        let log = fs::read(s.path(&format!("{WORK}/sent.log"))).unwrap_or_default();
        for problem in check_sent(&log) {
            failures.push(format!("README.md:{n}: {problem}"));
        }
    }
}

/// The calls a block shows in comments: `# NAME ARGS…` for an alias or function it defines.
fn calls_shown(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("alias ") {
            if let Some((name, _)) = rest.split_once('=') {
                names.push(name.trim().to_string());
            }
        } else if let Some((name, _)) = line.split_once("()")
            && !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            names.push(name.to_string());
        } else if let Some(rest) = line.strip_prefix("function ") {
            names.extend(rest.split(['(', ' ', '{']).next().map(str::to_string));
        }
    }
    let mut calls = Vec::new();
    for line in text.lines() {
        let Some(comment) = comment_of(line) else {
            continue;
        };
        let comment = comment.trim();
        let first = comment.split_whitespace().next().unwrap_or("");
        if names.iter().any(|n| n == first) {
            calls.push(comment.to_string());
        }
    }
    calls
}

/// The text after a line's `#` comment mark: a `#` at the start or after a blank, outside quotes.
fn comment_of(line: &str) -> Option<&str> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return Some(&line[i + 1..]),
            None => {}
        }
        prev = c;
    }
    None
}

/// What is wrong with the calls `send-dm.sh` recorded (see the module comment).
fn check_sent(log: &[u8]) -> Vec<String> {
    let rows: Vec<(&str, &str)> = DELAYED
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            (f.next().unwrap_or(""), f.next().unwrap_or(""))
        })
        .collect();
    let text = String::from_utf8_lossy(log);
    let mut fields = text.split('\0');
    let mut calls: Vec<Vec<&str>> = Vec::new();
    while let Some(count) = fields.next().and_then(|c| c.parse::<usize>().ok()) {
        calls.push(fields.by_ref().take(count).collect());
    }
    let mut problems = Vec::new();
    if calls.is_empty() || !calls.len().is_multiple_of(rows.len()) {
        problems.push(format!(
            "send-dm.sh was called {} times, not once per row of delayed.csv ({} rows) for each loop",
            calls.len(),
            rows.len()
        ));
        return problems;
    }
    for (i, args) in calls.iter().enumerate() {
        let (id, customer) = rows[i % rows.len()];
        let call = format!("send-dm.sh call {} (row {id})", i + 1);
        let Some(message) = args.last() else {
            problems.push(format!("{call}: no argument"));
            continue;
        };
        if args.len() == 2 && args[0] != id {
            problems.push(format!(
                "{call}: the first argument is {:?}, not the row's id",
                args[0]
            ));
        }
        if !message.contains(customer) {
            problems.push(format!(
                "{call}: the message does not name {customer}: {message:?}"
            ));
        }
        if message.contains("\\n") {
            problems.push(format!(
                "{call}: the message has a literal \\n where a line break should be: {message:?}"
            ));
        } else if !message.contains('\n') {
            problems.push(format!(
                "{call}: the message lost its line breaks: {message:?}"
            ));
        }
    }
    problems
}
