//! Opening the person's editor on a draft, at a line: `$VISUAL`, else
//! `$EDITOR` (both may hold arguments, as git allows: run through `sh`), else
//! the first of `editor`, `nano`, `vi` that exists. The editors known to take
//! a line get it in their own syntax; any other just opens the file, since a
//! wrong guess (`-l`, `:LINE`) would open the wrong file or none.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use super::App;
use crate::diag::{Error, Result};

/// Tried in order when neither `$VISUAL` nor `$EDITOR` is set: Debian's
/// choice of editor, then the two found almost everywhere.
pub const FALLBACKS: &[&str] = &["editor", "nano", "vi"];

/// How an editor is told the line to open at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineStyle {
    /// `vi +12 file`: vi, vim, nvim, nano, emacs, micro, kak, hx.
    Plus,
    /// `code --wait --goto file:12`: VS Code and its builds.
    Goto,
    /// Just the file.
    None,
}

fn style(program: &str) -> LineStyle {
    let name = Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(program);
    let name = name.strip_suffix(".exe").unwrap_or(name);
    match name {
        "vi" | "vim" | "nvim" | "nano" | "emacs" | "emacsclient" | "micro" | "kak" | "hx"
        | "helix" => LineStyle::Plus,
        "code" | "code-insiders" | "codium" | "vscodium" => LineStyle::Goto,
        _ => LineStyle::None,
    }
}

/// The arguments to give `editor` (as set: a program and maybe its own
/// arguments) for `file` at `line`, after the editor's own words.
fn arguments(editor: &str, file: &Path, line: usize) -> Vec<OsString> {
    let words: Vec<&str> = editor.split_whitespace().collect();
    let program = words.first().copied().unwrap_or(editor);
    match style(program) {
        LineStyle::Plus => vec![format!("+{line}").into(), file.into()],
        LineStyle::Goto => {
            let mut args: Vec<OsString> = Vec::new();
            // Without --wait, VS Code returns at once and the draft would be
            // checked before anyone typed a thing.
            if !words.contains(&"--wait") && !words.contains(&"-w") {
                args.push("--wait".into());
            }
            args.push("--goto".into());
            let mut at = file.as_os_str().to_owned();
            at.push(format!(":{line}"));
            args.push(at);
            args
        }
        LineStyle::None => vec![file.into()],
    }
}

/// The command for `editor` with `args`: direct for a plain program name,
/// through `sh -c '<editor> "$@"'` when it holds arguments or quotes.
fn command(editor: &str, args: &[OsString]) -> Command {
    let plain = !editor.contains(|c: char| c.is_whitespace() || "'\"\\$`;&|<>()".contains(c));
    if plain || cfg!(not(unix)) {
        let mut words = editor.split_whitespace();
        let mut c = Command::new(words.next().unwrap_or(editor));
        c.args(words).args(args);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("{editor} \"$@\""))
            .arg(editor)
            .args(args);
        c
    }
}

/// Opens the editor on `file` at `line` and waits for it to close. An editor
/// that cannot be started, or exits with an error, is an error.
pub fn open(app: &mut App<'_>, file: &Path, line: usize) -> Result<()> {
    let chosen = app.settings.editor.clone();
    let candidates: Vec<String> = match &chosen {
        Some(e) => vec![e.clone()],
        None => FALLBACKS.iter().map(|s| s.to_string()).collect(),
    };
    // What the person reads stays above the editor's screen.
    app.out.flush()?;
    for editor in &candidates {
        let args = arguments(editor, file, line);
        let status = match command(editor, &args).status() {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && chosen.is_none() => continue,
            Err(e) => {
                return Err(
                    Error::usage(format!("cannot start the editor `{editor}`: {e}"))
                        .hint("set VISUAL or EDITOR to an editor that is installed"),
                );
            }
        };
        if status.success() {
            return Ok(());
        }
        // `sh` says 127 when the program in $EDITOR is not there.
        let missing = status.code() == Some(127);
        return Err(Error::data(if missing {
            format!("cannot start the editor `{editor}`: not found")
        } else {
            format!("the editor `{editor}` exited with {status}")
        })
        .hint(if missing {
            "set VISUAL or EDITOR to an editor that is installed"
        } else {
            "nothing was written"
        }));
    }
    Err(Error::usage(format!(
        "no editor found: neither VISUAL nor EDITOR is set, and none of {} is installed",
        FALLBACKS.join(", ")
    ))
    .hint("set EDITOR, e.g. `export EDITOR=nano`; or give --title and --body"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(editor: &str) -> Vec<String> {
        arguments(editor, Path::new("/d/orders.toml"), 12)
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn each_editor_gets_the_line_its_own_way() {
        for e in [
            "vi",
            "vim",
            "/usr/bin/nvim",
            "nano",
            "emacs",
            "micro",
            "kak",
            "hx",
            "vim -u NONE",
        ] {
            assert_eq!(args(e), ["+12", "/d/orders.toml"], "{e}");
        }
        assert_eq!(args("code"), ["--wait", "--goto", "/d/orders.toml:12"]);
        assert_eq!(args("code --wait"), ["--goto", "/d/orders.toml:12"]);
        // Never a guess for the others.
        for e in ["gedit", "subl -w", "kate", "ed"] {
            assert_eq!(args(e), ["/d/orders.toml"], "{e}");
        }
    }

    #[test]
    fn an_editor_with_arguments_goes_through_the_shell() {
        let a = args("vim -u NONE");
        let c = command(
            "vim -u NONE",
            &a.iter().map(Into::into).collect::<Vec<OsString>>(),
        );
        assert_eq!(c.get_program(), "sh");
        let all: Vec<_> = c
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            all,
            [
                "-c",
                "vim -u NONE \"$@\"",
                "vim -u NONE",
                "+12",
                "/d/orders.toml"
            ]
        );
        let c = command("nano", &[]);
        assert_eq!(c.get_program(), "nano");
    }
}
