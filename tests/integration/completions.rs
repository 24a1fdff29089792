//! Issue 5, completion scripts loaded in real shells (bash, zsh, fish, elvish)
//! completing reply ids from the sandbox's library, and the man page rendered
//! by a real `man` without warnings. A missing shell skips its test (see
//! `support::require`).

use crate::support::*;

const LIB: &str = r#"
[order-delay]
title = "Order delayed"
body = "Hi {{ customer }}"

[order-refund]
title = "Refund: order"
body = "Refund {{ customer }}"

[thanks]
title = "Thanks"
body = "Thanks {{ customer }}"
"#;

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.library_file("lib.toml", LIB);
    s.write(
        "other/more.toml",
        "[shipping-late]\ntitle = \"Late\"\nbody = \"x\"\n",
    );
    s
}

/// Runs `program args…` in the sandbox (its environment and library), with
/// the `reply` under test first in PATH.
fn in_shell(s: &Sandbox, program: &str, args: &[&str]) -> Ran {
    s.run().program(program).args(args).output()
}

/// Completes `line` in bash the way readline would call `_reply`.
fn bash_complete(s: &Sandbox, line: &str) -> Vec<String> {
    let script = r#"
source <(reply completions bash) || exit 9
read -ra COMP_WORDS <<< "$1"
[[ $1 == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="$1"
COMP_POINT=${#1}
_reply reply "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let out = s
        .run()
        .program("bash")
        .args(["-c", script, "_", line])
        .code(0);
    no_panic(&out.stderr);
    // `printf` prints its format once even for an empty COMPREPLY.
    out.stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_ids_where_an_id_goes() {
    if !require("bash") {
        return;
    }
    let s = sandbox();
    assert_eq!(
        bash_complete(&s, "reply show ord"),
        ["order-delay", "order-refund"]
    );
    assert_eq!(bash_complete(&s, "reply render order-r"), ["order-refund"]);
    assert_eq!(bash_complete(&s, "reply vars th"), ["thanks"]);
    // The authoring commands take an id first too.
    for command in ["edit", "rm", "mv", "cp", "test"] {
        assert_eq!(
            bash_complete(&s, &format!("reply {command} order-r")),
            ["order-refund"],
            "{command}"
        );
    }
    assert_eq!(bash_complete(&s, "reply r --lang en th"), ["thanks"]);
    // The bare `reply QUERY`: subcommands and ids together.
    let first = bash_complete(&s, "reply s");
    assert!(first.contains(&"show".to_string()) && first.contains(&"search".to_string()));
    assert_eq!(
        bash_complete(&s, "reply ord"),
        ["order-delay", "order-refund"]
    );
    // -L given on the line is used for the ids.
    assert_eq!(
        bash_complete(&s, "reply -L other show ship"),
        ["shipping-late"]
    );
    assert_eq!(
        bash_complete(&s, "reply show --library=other ship"),
        ["shipping-late"]
    );
}

#[test]
fn bash_leaves_other_positions_to_the_static_script() {
    if !require("bash") {
        return;
    }
    let s = sandbox();
    // Not an id: the value of -c, a second positional, another command.
    assert!(
        !bash_complete(&s, "reply vars -c ord")
            .iter()
            .any(|w| w.starts_with("order"))
    );
    assert!(bash_complete(&s, "reply show thanks ord").is_empty());
    assert!(bash_complete(&s, "reply list ord").is_empty());
    assert!(bash_complete(&s, "reply show --js").contains(&"--json".to_string()));
    // After a bare query, render's options.
    assert_eq!(
        bash_complete(&s, "reply thanks --each-f"),
        ["--each-format"]
    );
}

/// Types each line in an interactive zsh (through zsh's own pty module),
/// presses TAB, and returns the command lines as completed.
fn zsh_complete(s: &Sandbox, lines: &[&str]) -> Vec<String> {
    let driver = r#"
zmodload zsh/zpty || exit 9
zpty z zsh -f -i
zpty -w z 'PS1="> "; bindkey -e; autoload -Uz compinit; compinit -u -D; source <(reply completions zsh)'
for line in "$@"; do
  zpty -wn z "$line"$'\t'
  sleep 1
  # Ctrl-A, then print the line as completed.
  zpty -w z $'\x01echo "COMPLETED:" \n'
done
sleep 1
zpty -w z 'exit'
out=
while zpty -r z chunk; do out+=$chunk; done
print -r -- "$out"
"#;
    let mut args = vec!["-f", "-c", driver, "_"];
    args.extend(lines);
    let out = in_shell(s, "zsh", &args);
    out.stdout
        .lines()
        .filter_map(|l| l.split_once("COMPLETED: "))
        .map(|(_, rest)| rest.trim_end_matches(['\r', ' ']).to_string())
        .filter(|l| !l.starts_with('\\') && !l.contains("echo"))
        .collect()
}

#[test]
fn zsh_completes_ids_where_an_id_goes() {
    if !require("zsh") {
        return;
    }
    let s = sandbox();
    let done = zsh_complete(
        &s,
        &[
            "reply show order-d",
            "reply order-r",
            "reply -L other r shi",
            "reply thanks --each-f",
        ],
    );
    assert_eq!(
        done,
        [
            "reply show order-delay",
            "reply order-refund",
            "reply -L other r shipping-late",
            "reply thanks --each-format",
        ]
    );
}

/// The candidates fish offers for `line` (`complete -C`), without descriptions.
fn fish_complete(s: &Sandbox, line: &str) -> Vec<(String, String)> {
    let out = s
        .run()
        .program("fish")
        .args(["--no-config", "-c"])
        .args([
            "reply completions fish | source; complete -C $argv[1]",
            line,
        ])
        .code(0);
    out.stdout
        .lines()
        .map(|l| {
            let (w, d) = l.split_once('\t').unwrap_or((l, ""));
            (w.to_string(), d.to_string())
        })
        .collect()
}

#[test]
fn fish_completes_ids_with_their_titles() {
    if !require("fish") {
        return;
    }
    let s = sandbox();
    assert_eq!(
        fish_complete(&s, "reply show ord"),
        [
            ("order-delay".to_string(), "Order delayed".to_string()),
            ("order-refund".to_string(), "Refund: order".to_string())
        ]
    );
    let words = |line: &str| -> Vec<String> {
        fish_complete(&s, line)
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    };
    assert_eq!(words("reply ord"), ["order-delay", "order-refund"]);
    assert_eq!(words("reply --library=other vars ship"), ["shipping-late"]);
    assert_eq!(words("reply -L other show ship"), ["shipping-late"]);
    assert!(words("reply list ord").is_empty());
    assert!(words("reply show thanks ord").is_empty());
}

#[test]
fn elvish_completes_ids_where_an_id_goes() {
    if !require_all(&["elvish", "zsh"]) {
        return;
    }
    let s = sandbox();
    let script = s.write(
        "reply.elv",
        &s.run().args(["completions", "elvish"]).output().stdout,
    );
    // The completer only exists in an interactive elvish: drive one through a pty.
    let driver = format!(
        r#"
zmodload zsh/zpty || exit 9
zpty e elvish -norc
sleep 1
zpty -w e 'eval (slurp < {script})'
sleep 1
zpty -w e '$edit:completion:arg-completer[reply] reply show ord | each {{|c| echo CAND1: $c[stem] }}'
zpty -w e '$edit:completion:arg-completer[reply] reply -L other s | each {{|c| echo CAND2: $c[stem] }}'
zpty -w e '$edit:completion:arg-completer[reply] reply list ord | each {{|c| echo CAND3: $c[stem] }}'
zpty -w e 'exit'
out=
while zpty -r e chunk; do out+=$chunk; done
print -r -- "$out"
"#,
        script = script.display()
    );
    let out = in_shell(&s, "zsh", &["-f", "-c", &driver]);
    let text = out.stdout.replace('\r', "");
    let cands = |tag: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.split_once(&format!("{tag} ")))
            .map(|(_, c)| c.trim().to_string())
            .filter(|c| !c.contains('$'))
            .collect()
    };
    assert_eq!(cands("CAND1:"), ["order-delay", "order-refund"], "{text}");
    let second = cands("CAND2:");
    assert!(second.contains(&"shipping-late".to_string()), "{text}");
    assert!(second.contains(&"show".to_string()), "{text}");
    assert!(
        !cands("CAND3:").iter().any(|c| c.starts_with("order")),
        "{text}"
    );
}

#[test]
fn powershell_gets_the_static_script() {
    let s = sandbox();
    s.run()
        .args(["completions", "powershell"])
        .stdout_contains("Register-ArgumentCompleter")
        .success();
}

#[test]
fn complete_ids_lists_ids_and_titles_quietly() {
    let s = sandbox();
    s.run()
        .args(["__complete-ids", "order-"])
        .stdout("order-delay\tOrder delayed\norder-refund\tRefund: order\n")
        .success();
    // A broken library prints nothing into the user's prompt.
    s.run()
        .env("REPLY_LIBRARY", s.path("nowhere"))
        .args(["__complete-ids"])
        .stderr("")
        .code(0);
}

#[test]
fn the_man_page_renders_without_warnings() {
    // man-db renders with groff; groff is also run on its own, for its warnings.
    if !require_all(&["sh", "man", "groff"]) {
        return;
    }
    let s = sandbox();
    let reply = bin().display().to_string();
    // stdout: the warnings from man.
    s.run()
        .shell(&format!(
            "'{reply}' man | MANWIDTH=80 man --warnings -l - 2>&1 >/dev/null"
        ))
        .stdout("")
        .code(0);
    let page = s.write("reply.1", &s.run().arg("man").success().stdout);
    s.run()
        .shell(&format!(
            "MANWIDTH=80 man -l '{}' 2>/dev/null",
            page.display()
        ))
        .stdout_contains("EXIT STATUS")
        .stdout_contains("ENVIRONMENT")
        .stdout_contains("REPLY_LIBRARY")
        .stdout_contains("COMMANDS")
        .stdout_contains("--each")
        .output();
    // stdout: the warnings from groff.
    s.run()
        .shell(&format!("groff -man -ww -z '{}' 2>&1", page.display()))
        .stdout("")
        .code(0);
}
