//! `console` blocks: each `$ ` command run, and what it printed compared with the
//! lines the README shows (the rules are in the parent module's comment).

use super::{Block, WORK, sandbox};
use crate::support::Ran;

/// A `$ ` command: its README line, the command, the lines shown after it.
type Step = (usize, String, Vec<(usize, String)>);

pub(super) fn run(block: &Block, failures: &mut Vec<String>) {
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
