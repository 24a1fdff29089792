//! `console` blocks: each `$ ` command run on a terminal (a pseudo-terminal made
//! by `script`), and what the terminal showed compared with the lines the README
//! shows (the rules are in the parent module's comment).

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
        // `script -e` runs the command on a pseudo-terminal and exits with its status.
        let ran = s
            .run()
            .bare()
            .current_dir(WORK)
            .env("NO_COLOR", "1")
            .env("SHELL", "/bin/bash")
            .program("script")
            .args(["-qec", &command, "/dev/null"])
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

/// Whether the output line `got` is the README line `want` (normalized). In a
/// `Copied N characters to the clipboard (HOW)` line, HOW is the README's
/// machine's clipboard; the sandbox copies through a stub: only N must agree.
fn matches(want: &str, got: &str) -> bool {
    let got = normalize(got);
    let copied = |l: &str| {
        l.starts_with("Copied ")
            .then(|| {
                l.split_once(" to the clipboard (")
                    .map(|(n, _)| n.to_string())
            })
            .flatten()
    };
    if let (Some(w), Some(g)) = (copied(want), copied(&got)) {
        return w == g;
    }
    match want.strip_suffix('…') {
        Some(prefix) => got.starts_with(prefix.trim_end()),
        None => got == want,
    }
}

/// What differs between the lines the README shows and what the terminal showed.
fn compare(shown: &[(usize, String)], ran: &Ran) -> Vec<String> {
    let mut problems = Vec::new();
    if ran.status.code() != Some(0) {
        problems.push(format!("exits with {}, not 0", ran.status));
    }
    let screen = ran.stdout.replace("\r\n", "\n").replace('\r', "");
    let out: Vec<&str> = screen.lines().collect();
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
        let found = if gap {
            (next..out.len()).find(|&j| matches(&want, out[j]))
        } else {
            (next < out.len() && matches(&want, out[next])).then_some(next)
        };
        match found {
            Some(j) => {
                next = j + 1;
                gap = false;
                open_end = want.ends_with('…');
            }
            None => {
                let instead = out
                    .get(next)
                    .map_or("the terminal shows no more lines".to_string(), |l| {
                        format!("terminal line {} is {l:?}", next + 1)
                    });
                problems.push(format!(
                    "README.md:{n}: {line:?} is not the next line on the terminal ({instead})"
                ));
            }
        }
    }
    if !gap && !open_end && next < out.len() {
        problems.push(format!(
            "the terminal goes on with lines the README does not show:\n{}",
            out[next..]
                .iter()
                .map(|l| format!("  | {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    problems
}
