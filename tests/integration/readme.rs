//! README.md's examples, run against the binary, so that the README cannot drift from what
//! `reply` does. The README is read when the test runs; every mismatch is collected and
//! reported at once, with the README line it comes from.
//!
//! Each block runs in a sandbox of its own whose config has `agent = "Sam"`, `brand = "Acme"`
//! and no library, so that the starter library serves, as in the README's session. Its
//! `copy_command` is a stub that keeps the text, so that `--copy` works without a desktop and
//! never reaches the terminal the tests run in. Commands run with bash in `work/`, a team's
//! library repository: a copy of the starter library, `delayed.csv` (an export with `id`,
//! `customer` and `order` columns) and `send-dm.sh`, a stub that records its arguments.
//!
//! `console` blocks are a session at a terminal:
//! - a line starting with `$ ` is a command, run with `bash -c` (a trailing `# comment` is part
//!   of it, and bash ignores it); the lines after it, up to the next `$ `, are what it shows.
//!   It must exit 0.
//! - stdout is a pipe, so `reply` prints instead of copying (output `auto`), and separates
//!   columns with a tab where a terminal aligns them with spaces: any run of blanks matches any
//!   run of blanks, and blanks at either end of a line do not count.
//! - each line shown must be the next line of stdout, or else a line of stderr (notes and
//!   warnings go there). stdout may hold no line that the README does not show, except:
//! - a line ending in `…` matches a line that starts with the text before the `…`, and when it
//!   is the last line matched, more lines may follow; a line that is only `…` stands for any
//!   number of lines.
//! - `Copied N characters to the clipboard (…)` is what a terminal shows after a copy. A pipe
//!   copies nothing, so the line is not looked for, but N must be the length in characters of
//!   the message printed.
//!
//! `sh` blocks are scripts:
//! - a block that installs, builds or sets up a shell is only checked with `bash -n`: one that
//!   mentions one of [`SETUP_ONLY`].
//! - any other block runs with bash, under `set -euo pipefail` and with aliases expanded (as in
//!   the interactive shell aliases are written for), and must exit 0. `cargo run --release --
//!   ARGS` runs `reply ARGS`, the binary under test.
//! - a comment that starts with the name of an alias or function the block defines, such as
//!   `# ty "Ana"`, shows a call: it runs after the block, and must exit 0 and print or copy
//!   a message.
//! - `send-dm.sh` must be called once per row of `delayed.csv`, in order, for each loop: with
//!   the row's id first when it gets two arguments, and the message last, naming the row's
//!   customer, its line breaks real ones (never a literal `\n`).
//!
//! Other blocks (`toml`, unlabelled) are not run.

use std::fs;

use crate::support::*;

const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
const STARTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/replies");

/// The export the README's loops read; names with accents and spaces.
const DELAYED: &str = "id,customer,order\n1001,Ana López,A-1042\n1002,Bo Chen,A-1043\n";
/// The folder commands run in, relative to the sandbox.
const WORK: &str = "work";

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

#[test]
fn the_readme_examples_do_what_they_say() {
    if !require_all(&["bash", "jq", "xargs"]) {
        return;
    }
    let text = fs::read_to_string(README).expect("read README.md");
    let blocks = fenced_blocks(&text);
    let mut failures = Vec::new();
    let (mut sessions, mut scripts) = (0, 0);
    for block in &blocks {
        match block.lang.as_str() {
            "console" => {
                sessions += 1;
                console(block, &mut failures);
            }
            "sh" => {
                scripts += 1;
                script(block, &mut failures);
            }
            _ => {}
        }
    }
    // A README whose blocks the parser no longer sees would pass for nothing.
    assert!(
        sessions > 0 && scripts > 0,
        "README.md: {sessions} console and {scripts} sh blocks found"
    );
    if !failures.is_empty() {
        let list: Vec<String> = failures
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{}. {f}", i + 1))
            .collect();
        panic!(
            "README.md's examples do not match what reply does ({} problems):\n\n{}",
            failures.len(),
            list.join("\n\n")
        );
    }
}

/// A fenced code block: its language, the line of its opening fence, its lines (numbered).
struct Block {
    lang: String,
    line: usize,
    body: Vec<(usize, String)>,
}

fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("```") {
            match open.take() {
                Some(block) => blocks.push(block),
                None => {
                    open = Some(Block {
                        lang: rest.trim().to_string(),
                        line: i + 1,
                        body: Vec::new(),
                    })
                }
            }
        } else if let Some(block) = open.as_mut() {
            block.body.push((i + 1, line.to_string()));
        }
    }
    assert!(open.is_none(), "README.md: a code block is never closed");
    blocks
}

/// A fresh sandbox as described in the module comment.
fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    let stub = s.script(
        "bin/copy-stub",
        &format!("cat > '{}'", s.path("clipboard.txt").display()),
    );
    s.config(&format!(
        "agent = \"Sam\"\nbrand = \"Acme\"\ncopy_command = {}\n",
        toml::Value::String(stub.display().to_string())
    ));
    for entry in fs::read_dir(STARTER).expect("the starter library") {
        let path = entry.expect("starter entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_name().expect("file name").to_string_lossy();
            s.write(
                &format!("{WORK}/{name}"),
                &fs::read_to_string(&path).expect("read starter file"),
            );
        }
    }
    s.write(&format!("{WORK}/delayed.csv"), DELAYED);
    s.script(
        &format!("{WORK}/send-dm.sh"),
        "# Stands in for the agent's own sending script: one record per call.\n\
         { printf '%s\\0' \"$#\"; printf '%s\\0' \"$@\"; } >> \"$(dirname \"$0\")/sent.log\"",
    );
    s
}

// ---------------------------------------------------------------------------------------------
// console blocks
// ---------------------------------------------------------------------------------------------

/// A `$ ` command: its README line, the command, the lines shown after it.
type Step = (usize, String, Vec<(usize, String)>);

fn console(block: &Block, failures: &mut Vec<String>) {
    let mut commands: Vec<Step> = Vec::new();
    for (n, line) in &block.body {
        if let Some(command) = line.strip_prefix("$ ") {
            commands.push((*n, command.to_string(), Vec::new()));
        } else if let Some(last) = commands.last_mut() {
            last.2.push((*n, line.clone()));
        } else {
            failures.push(format!("README.md:{n}: output before any `$ ` command"));
        }
    }
    let s = sandbox();
    for (n, command, shown) in commands {
        let ran = s
            .run()
            .bare()
            .current_dir(WORK)
            .program("bash")
            .args(["-c", &command])
            .output();
        let problems = compare(&shown, &ran);
        if !problems.is_empty() {
            failures.push(format!(
                "README.md:{n}: `$ {command}`:\n{}\n{ran}",
                problems.join("\n")
            ));
        }
    }
}

/// Blanks at the ends dropped, every inner run of blanks as one space.
fn normalize(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the output line `got` is the README line `want` (normalized).
fn matches(want: &str, got: &str) -> bool {
    let got = normalize(got);
    match want.strip_suffix('…') {
        Some(prefix) => got.starts_with(prefix.trim_end()),
        None => got == want,
    }
}

/// N in `Copied N characters to the clipboard (…)`.
fn copied_note(line: &str) -> Option<usize> {
    let rest = normalize(line);
    let rest = rest.strip_prefix("Copied ")?;
    let (n, method) = rest.split_once(" characters to the clipboard (")?;
    method.ends_with(')').then_some(())?;
    n.replace(',', "").parse().ok()
}

/// What differs between the lines the README shows and what the command did.
fn compare(shown: &[(usize, String)], ran: &Ran) -> Vec<String> {
    let mut problems = Vec::new();
    if ran.status.code() != Some(0) {
        problems.push(format!("exits with {}, not 0", ran.status));
    }
    let out: Vec<&str> = ran.stdout.lines().collect();
    let err: Vec<&str> = ran.stderr.lines().collect();
    let mut err_used = vec![false; err.len()];
    let mut next = 0;
    // After a `…` line: any number of lines may come before the next one shown.
    let mut gap = false;
    // The last line matched ended in `…`: the output may go on.
    let mut open_end = false;
    for (n, line) in shown {
        let want = normalize(line);
        if want == "…" {
            gap = true;
            continue;
        }
        if let Some(chars) = copied_note(line) {
            let got = ran.stdout.chars().count();
            if chars != got {
                problems.push(format!(
                    "README.md:{n}: says {chars} characters were copied; the message has {got}"
                ));
            }
            continue;
        }
        let found = if gap {
            (next..out.len()).find(|&j| matches(&want, out[j]))
        } else {
            (next < out.len() && matches(&want, out[next])).then_some(next)
        };
        if let Some(j) = found {
            next = j + 1;
            gap = false;
            open_end = want.ends_with('…');
        } else if let Some(j) = (0..err.len()).find(|&j| !err_used[j] && matches(&want, err[j])) {
            err_used[j] = true;
        } else {
            let instead = out
                .get(next)
                .map_or("stdout has no more lines".to_string(), |l| {
                    format!("stdout line {} is {l:?}", next + 1)
                });
            problems.push(format!(
                "README.md:{n}: {line:?} is neither the next line of stdout nor on stderr ({instead})"
            ));
        }
    }
    if !gap && !open_end && next < out.len() {
        problems.push(format!(
            "stdout goes on with lines the README does not show:\n{}",
            out[next..]
                .iter()
                .map(|l| format!("  | {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// sh blocks
// ---------------------------------------------------------------------------------------------

fn script(block: &Block, failures: &mut Vec<String>) {
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
