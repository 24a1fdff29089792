//! Shell completion scripts (the wrappers are files beside this one): clap_complete's static script for each shell,
//! wrapped so that the positions taking a reply id (`render`, `show`, `vars`,
//! `edit`, `rm`, `mv`, `cp`, `test`
//! and the bare `reply QUERY`) ask `reply __complete-ids` for the ids of the
//! libraries in use at completion time.
//!
//! Why wrap instead of clap_complete's dynamic `CompleteEnv`: that engine sits
//! behind the `unstable-dynamic` feature, needs a hook in `main` before the
//! arguments are parsed, and ties the clap types to the library code; the
//! static scripts are stable, and the wrapper only adds what they cannot know.

use clap::Command;
use clap_complete::Shell;

/// The canonical names of the subcommands whose first positional is an id.
const ID_COMMANDS: &[&str] = &["render", "show", "vars", "edit", "rm", "mv", "cp", "test"];

/// What the wrappers need to know about the command line: which options take
/// a value (so the word after them is not a positional), per command.
struct Shape {
    /// Options taking a value at the top level or after a bare query
    /// (`reply refund -c Ana`): the globals and render's.
    root: Vec<String>,
    /// Each subcommand: its names (aliases included), its options taking a value.
    subcommands: Vec<(Vec<String>, Vec<String>)>,
    /// The names, aliases included, of the subcommands in `ID_COMMANDS`.
    id_commands: Vec<String>,
}

fn value_options(cmd: &Command) -> Vec<String> {
    let mut opts = Vec::new();
    for arg in cmd.get_arguments() {
        if arg.is_positional() || !arg.get_action().takes_values() {
            continue;
        }
        for s in arg.get_short_and_visible_aliases().unwrap_or_default() {
            opts.push(format!("-{s}"));
        }
        for l in arg.get_long_and_visible_aliases().unwrap_or_default() {
            opts.push(format!("--{l}"));
        }
    }
    opts
}

fn shape(cmd: &mut Command) -> Shape {
    // Building propagates the global options (`-L`, `--color`…) to every subcommand.
    cmd.build();
    let mut subcommands = Vec::new();
    let mut id_commands = Vec::new();
    for sub in cmd.get_subcommands() {
        let mut names = vec![sub.get_name().to_string()];
        names.extend(sub.get_all_aliases().map(str::to_string));
        if ID_COMMANDS.contains(&sub.get_name()) {
            id_commands.extend(names.iter().cloned());
        }
        subcommands.push((names, value_options(sub)));
    }
    // `reply QUERY -c Ana` is `reply render QUERY -c Ana` (see
    // `cli::normalize_args`): at the top level, render's options apply too.
    let mut root = value_options(cmd);
    if let Some(render) = cmd.find_subcommand("render") {
        root.extend(value_options(render));
    }
    root.sort();
    root.dedup();
    Shape {
        root,
        subcommands,
        id_commands,
    }
}

/// The completion script for `shell`.
pub fn script(shell: Shell, mut cmd: Command) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "reply", &mut buf);
    let generated = String::from_utf8_lossy(&buf).into_owned();
    let shape = shape(&mut cmd);
    match shell {
        Shell::Bash => bash(&generated, &shape),
        Shell::Zsh => zsh(&generated, &shape),
        Shell::Fish => fish(&generated, &shape),
        Shell::Elvish => elvish(&generated, &shape),
        // PowerShell, and any shell clap_complete adds: commands and options only.
        _ => generated,
    }
}

/// `case` patterns (bash, zsh) matching "SUBCOMMAND OPTION" for every option
/// that takes a value; the top level is the empty subcommand.
fn case_patterns(shape: &Shape) -> String {
    let mut pats: Vec<String> = shape.root.iter().map(|o| format!("' {o}'")).collect();
    for (names, opts) in &shape.subcommands {
        for n in names {
            pats.extend(opts.iter().map(|o| format!("'{n} {o}'")));
        }
    }
    pats.join("|")
}

fn known_subcommands(shape: &Shape) -> Vec<String> {
    shape
        .subcommands
        .iter()
        .flat_map(|(n, _)| n.iter().cloned())
        .collect()
}

/// The part of the bash and zsh wrappers that reads the words before the
/// cursor: sets `sub` (the first positional: a subcommand or a query), `npos`
/// (positionals after it), `skip` (non-empty when the word under the cursor is
/// an option's value), `libs` (the `-L DIR` given, for `__complete-ids`) and
/// `idpos`: `first` at the first positional (a subcommand or an id), `id`
/// where only an id fits, empty elsewhere; `ctx_known` set when `sub` is a
/// subcommand (not a bare query). Expects `cur`.
fn posix_scan(shape: &Shape, first: &str, words: &str, cword: &str) -> String {
    fill(
        include_str!("scan.sh"),
        &[
            ("FIRST", first),
            ("WORDS", words),
            ("CWORD", cword),
            ("KNOWN", &known_subcommands(shape).join("|")),
            ("PATTERNS", &case_patterns(shape)),
            ("IDS", &shape.id_commands.join("|")),
        ],
    )
}

/// A script template with its `@NAME@` placeholders filled in.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("@{name}@"), value);
    }
    out
}

fn bash(generated: &str, shape: &Shape) -> String {
    let renamed = generated.replacen("_reply() {", "_reply__static() {", 1);
    fill(
        include_str!("bash.sh"),
        &[
            ("RENAMED", &renamed),
            ("SCAN", &posix_scan(shape, "1", "COMP_WORDS", "COMP_CWORD")),
        ],
    )
}

fn zsh(generated: &str, shape: &Shape) -> String {
    let renamed = generated.replacen("_reply() {", "_reply__static() {", 1);
    let wrapper = fill(
        include_str!("zsh.zsh"),
        &[("SCAN", &posix_scan(shape, "2", "words", "CURRENT"))],
    );
    // The wrapper must exist before the generated tail registers `_reply`.
    let tail = "if [ \"$funcstack[1]\" = \"_reply\" ]; then";
    match renamed.rfind(tail) {
        Some(i) => format!("{}{wrapper}{}", &renamed[..i], &renamed[i..]),
        None => format!("{renamed}\n{wrapper}compdef _reply reply\n"),
    }
}

fn fish(generated: &str, shape: &Shape) -> String {
    let mut cases = String::new();
    let root: Vec<String> = shape.root.iter().map(|o| format!("':{o}'")).collect();
    if !root.is_empty() {
        cases.push_str(&format!(
            "        case {}\n            return 0\n",
            root.join(" ")
        ));
    }
    for (names, opts) in &shape.subcommands {
        let pats: Vec<String> = names
            .iter()
            .flat_map(|n| opts.iter().map(move |o| format!("'{n}:{o}'")))
            .collect();
        if !pats.is_empty() {
            cases.push_str(&format!(
                "        case {}\n            return 0\n",
                pats.join(" ")
            ));
        }
    }
    fill(
        include_str!("fish.fish"),
        &[
            ("GENERATED", generated),
            ("KNOWN", &known_subcommands(shape).join(" ")),
            ("CASES", &cases),
            ("IDS", &shape.id_commands.join(" ")),
            ("ID_LIST", &ID_COMMANDS.join(", ")),
        ],
    )
}

fn elvish(generated: &str, shape: &Shape) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut takes = Vec::new();
    for o in &shape.root {
        takes.push(format!("&{}=$true", quote(&format!(" {o}"))));
    }
    for (names, opts) in &shape.subcommands {
        for n in names {
            for o in opts {
                takes.push(format!("&{}=$true", quote(&format!("{n} {o}"))));
            }
        }
    }
    let list = |v: &[String]| v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(" ");
    fill(
        include_str!("elvish.elv"),
        &[
            ("GENERATED", generated),
            ("TAKES", &takes.join(" ")),
            ("KNOWN", &list(&known_subcommands(shape))),
            ("IDS", &list(&shape.id_commands)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    #[test]
    fn shape_sees_globals_aliases_and_values() {
        let s = shape(&mut Cli::command());
        assert!(s.root.contains(&"-c".to_string()));
        assert!(s.root.contains(&"--library".to_string()));
        assert!(!s.root.contains(&"--json".to_string()));
        let show = s.subcommands.iter().find(|(n, _)| n[0] == "show").unwrap();
        assert!(show.1.contains(&"-L".to_string()), "globals propagate");
        assert!(s.id_commands.contains(&"r".to_string()));
        assert!(!s.id_commands.contains(&"list".to_string()));
    }

    #[test]
    fn every_script_keeps_the_generated_one() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish] {
            let s = script(shell, Cli::command());
            assert!(s.contains("__complete-ids"), "{shell:?}");
        }
        let bash = script(Shell::Bash, Cli::command());
        assert!(bash.contains("_reply__static() {"));
        assert!(bash.contains("complete -F _reply "));
        let zsh = script(Shell::Zsh, Cli::command());
        assert!(zsh.find("\n_reply() {") < zsh.find("compdef _reply reply"));
    }
}
