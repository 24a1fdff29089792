//! `reply QUERY [options]` is `reply render QUERY [options]`: the command
//! line is rewritten before clap sees it, and a first word that looks like a
//! mistyped subcommand is noted, so that `reply chek` asks "did you mean
//! `check`?" instead of rendering a reply.

use clap::CommandFactory;

use super::Cli;

/// The command line ready for clap, and what the rewrite noticed.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub args: Vec<std::ffi::OsString>,
    /// The first word was taken for a query but is close to a subcommand.
    pub typo: Option<Typo>,
    /// `render` was put in front of a bare query (`reply refund`).
    pub bare: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typo {
    /// The word as typed.
    pub word: String,
    /// The subcommand it is close to.
    pub meant: String,
}

/// Inserts `render` when the first word is not a subcommand (a subcommand
/// name always wins).
pub fn normalize_args(args: Vec<std::ffi::OsString>) -> Normalized {
    let cmd = Cli::command();
    let is_subcommand = |word: &str| {
        word == "help"
            || cmd
                .get_subcommands()
                .any(|s| s.get_name() == word || s.get_all_aliases().any(|a| a == word))
    };
    // Spellings of options, read from the clap types so they never drift:
    // those that take a value (whose value must not be taken for the first
    // word), and those only `render` has (given first, they mean render).
    let spellings = |a: &clap::Arg| {
        a.get_short()
            .map(|c| format!("-{c}"))
            .into_iter()
            .chain(a.get_long().map(|l| format!("--{l}")))
            .collect::<Vec<_>>()
    };
    let globals: Vec<String> = cmd.get_arguments().flat_map(spellings).collect();
    let every_arg = cmd
        .get_arguments()
        .chain(cmd.get_subcommands().flat_map(|s| s.get_arguments()));
    let value_options: Vec<String> = every_arg
        .filter(|a| a.get_action().takes_values())
        .flat_map(spellings)
        .collect();
    let render_only: Vec<String> = cmd
        .find_subcommand("render")
        .into_iter()
        .flat_map(|r| r.get_arguments())
        .flat_map(spellings)
        .filter(|s| !globals.contains(s))
        .collect();
    let mut i = 1;
    while i < args.len() {
        let Some(word) = args[i].to_str() else {
            break;
        };
        if word == "--" {
            break;
        }
        if word.starts_with('-') && word.len() > 1 {
            let name = word.split_once('=').map_or(word, |(n, _)| n);
            if render_only.iter().any(|o| o == name) {
                break;
            }
            // `--library DIR` takes the next word; `--library=DIR` and `-Ldir` do not.
            let takes_next = value_options.iter().any(|o| o == word);
            i += if takes_next { 2 } else { 1 };
            continue;
        }
        if is_subcommand(word) {
            return Normalized {
                args,
                typo: None,
                bare: false,
            };
        }
        break;
    }
    if i >= args.len() {
        // Only options (`reply --help`, `reply -V`): leave them to clap.
        return Normalized {
            args,
            typo: None,
            bare: false,
        };
    }
    let typo = args[i]
        .to_str()
        .and_then(|word| typo_of(&cmd, word))
        .map(|meant| Typo {
            word: args[i].to_string_lossy().into_owned(),
            meant: meant.to_string(),
        });
    let mut out = args;
    out.insert(1, "render".into());
    Normalized {
        args: out,
        typo,
        bare: true,
    }
}

/// The subcommand a word is a typo of: within one edit (an adjacent swap
/// counts as one) of a name of four letters or more, two for long names.
/// Short aliases (`s`, `r`, `ls`) are too short to tell a typo from a word.
fn typo_of<'a>(cmd: &'a clap::Command, word: &str) -> Option<&'a str> {
    if word.chars().count() < 3 {
        return None;
    }
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name())
        .filter(|name| name.len() >= 4)
        .map(|name| (crate::util::suggest::distance(word, name), name))
        .filter(|(d, name)| *d >= 1 && *d <= if name.len() >= 7 { 2 } else { 1 })
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typo(args: &[&str]) -> Option<String> {
        normalize_args(args.iter().map(Into::into).collect())
            .typo
            .map(|t| t.meant)
    }

    #[test]
    fn typos_of_subcommands_are_noticed() {
        assert_eq!(typo(&["reply", "chek"]).as_deref(), Some("check"));
        assert_eq!(typo(&["reply", "inti"]).as_deref(), Some("init"));
        assert_eq!(
            typo(&["reply", "serach", "refund"]).as_deref(),
            Some("search")
        );
        assert_eq!(
            typo(&["reply", "-L", "x", "complitions"]).as_deref(),
            Some("completions")
        );
        assert_eq!(typo(&["reply", "refund"]), None);
        assert_eq!(typo(&["reply", "order-delay"]), None);
        assert_eq!(typo(&["reply", "check"]), None);
        assert_eq!(typo(&["reply", "sx"]), None);
    }
}
