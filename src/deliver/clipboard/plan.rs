//! Which ways of copying to try, in which order, and what to tell the person
//! about how it went (or what was tried when nothing worked).

use super::{ClipboardEnv as Env, CopyOptions, Method};

/// One way of copying, in the order [`plan`] puts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Attempt {
    Command(String),
    Display,
    Osc52,
    Native,
}

pub(super) const HAS_HOLDER: bool = cfg!(all(
    unix,
    not(any(
        target_os = "macos",
        target_os = "android",
        target_os = "emscripten"
    ))
));
const HAS_NATIVE: bool = cfg!(any(target_os = "macos", windows));

pub(super) fn plan(env: &Env, opts: &CopyOptions) -> Vec<Attempt> {
    if let Some(cmd) = opts
        .command
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        return vec![Attempt::Command(cmd.to_string())];
    }
    if opts.force_osc52 {
        return vec![Attempt::Osc52];
    }
    let mut attempts = Vec::new();
    if env.ssh {
        // The user's clipboard is on the machine the terminal runs on: OSC 52 first. A
        // forwarded X display (ssh -X) also reaches it, so it is the fallback.
        attempts.push(Attempt::Osc52);
        if HAS_HOLDER && env.has_display() {
            attempts.push(Attempt::Display);
        }
    } else if HAS_NATIVE {
        attempts.push(Attempt::Native);
        attempts.push(Attempt::Osc52);
    } else if HAS_HOLDER && env.has_display() {
        attempts.push(Attempt::Display);
        attempts.push(Attempt::Osc52);
    } else {
        attempts.push(Attempt::Osc52);
    }
    attempts
}

pub(super) fn note_for(method: &Method, failures: &[String]) -> Option<String> {
    let mut note = match method {
        Method::Osc52 {
            multiplexer: Some("tmux"),
        } => Some(
            "OSC 52 was used: the text reaches your clipboard only if your terminal allows \
             OSC 52 and tmux lets it through (in tmux.conf: set -g set-clipboard on, or \
             set -g allow-passthrough on)"
                .to_string(),
        ),
        Method::Osc52 {
            multiplexer: Some(m),
        } => Some(format!(
            "OSC 52 was used through {m}: the text reaches your clipboard only if your terminal \
             allows OSC 52"
        )),
        Method::Osc52 { multiplexer: None } => Some(
            "OSC 52 was used: the text reaches your clipboard only if your terminal allows \
             OSC 52 (most do; some need it enabled in their settings)"
                .to_string(),
        ),
        _ => None,
    };
    if !failures.is_empty() {
        let before = format!("tried first: {}", failures.join("; "));
        note = Some(match note {
            Some(n) => format!("{n}; {before}"),
            None => before,
        });
    }
    note
}

pub(super) fn failure_message(env: &Env, opts: &CopyOptions, failures: &[String]) -> String {
    let mut msg = String::from("could not copy to the clipboard; tried:");
    for f in failures {
        msg.push_str("\n  - ");
        msg.push_str(f);
    }
    let command_set = opts
        .command
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty());
    if !command_set && !opts.force_osc52 && HAS_HOLDER && !env.has_display() {
        msg.push_str("\n  - the desktop clipboard: neither DISPLAY nor WAYLAND_DISPLAY is set");
    }
    msg.push_str("\nTo fix: ");
    if command_set {
        msg.push_str(
            "correct copy_command in the config (or remove it to let reply choose), \
             or use --print to print the message instead",
        );
    } else {
        if HAS_HOLDER {
            msg.push_str(
                "run reply inside your desktop session or set DISPLAY (X11) or \
                 WAYLAND_DISPLAY (Wayland); ",
            );
        }
        msg.push_str(
            "set copy_command in the config (for example copy_command = \"xclip -selection \
             clipboard\", \"wl-copy\", \"pbcopy\" or \"clip.exe\"); \
             or use --print to print the message instead",
        );
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::PathBuf;

    /// The environment as the settings layer reads it (empty values unset).
    fn env(vars: &[(&str, &str)]) -> Env {
        let map: HashMap<&str, &str> = vars
            .iter()
            .copied()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let has = |k: &str| map.contains_key(k);
        Env {
            display: map.get("DISPLAY").map(|s| s.to_string()),
            wayland_display: map.get("WAYLAND_DISPLAY").map(|s| s.to_string()),
            ssh: has("SSH_TTY") || has("SSH_CONNECTION"),
            tmux: has("TMUX"),
            screen: has("STY") || map.get("TERM").is_some_and(|t| t.starts_with("screen")),
            runtime_dir: None,
            temp_dir: PathBuf::from("/tmp"),
        }
    }

    #[test]
    fn plan_order() {
        let none = CopyOptions::default();
        let cmd = CopyOptions {
            command: Some("  xclip -selection clipboard ".into()),
            force_osc52: true,
            ..Default::default()
        };
        let osc = CopyOptions {
            force_osc52: true,
            ..Default::default()
        };
        let blank_cmd = CopyOptions {
            command: Some("   ".into()),
            ..Default::default()
        };
        let desk = env(&[("DISPLAY", ":0")]);
        let ssh = env(&[("SSH_CONNECTION", "a b c d"), ("DISPLAY", "localhost:10.0")]);
        let bare = env(&[]);

        assert_eq!(
            plan(&desk, &cmd),
            vec![Attempt::Command("xclip -selection clipboard".into())]
        );
        assert_eq!(plan(&desk, &osc), vec![Attempt::Osc52]);
        if HAS_HOLDER {
            assert_eq!(plan(&desk, &none), vec![Attempt::Display, Attempt::Osc52]);
            assert_eq!(
                plan(&desk, &blank_cmd),
                vec![Attempt::Display, Attempt::Osc52]
            );
            assert_eq!(plan(&ssh, &none), vec![Attempt::Osc52, Attempt::Display]);
            assert_eq!(plan(&bare, &none), vec![Attempt::Osc52]);
        }
        if HAS_NATIVE {
            assert_eq!(plan(&desk, &none), vec![Attempt::Native, Attempt::Osc52]);
            assert_eq!(plan(&ssh, &none), vec![Attempt::Osc52]);
        }
    }

    #[test]
    fn notes() {
        assert!(note_for(&Method::X11, &[]).is_none());
        let n = note_for(&Method::Osc52 { multiplexer: None }, &[]).unwrap_or_default();
        assert!(n.contains("OSC 52") && n.contains("terminal allows"));
        let n = note_for(
            &Method::Osc52 {
                multiplexer: Some("tmux"),
            },
            &["the desktop clipboard (DISPLAY=:9): refused".into()],
        )
        .unwrap_or_default();
        assert!(n.contains("set-clipboard on") && n.contains("allow-passthrough"));
        assert!(n.contains("DISPLAY=:9): refused"));
    }

    #[test]
    fn failure_message_says_what_was_tried_and_what_to_do() {
        let m = failure_message(
            &env(&[]),
            &CopyOptions::default(),
            &["OSC 52: cannot open /dev/tty: no terminal".into()],
        );
        assert!(m.contains("OSC 52: cannot open /dev/tty"));
        assert!(m.contains("copy_command"));
        assert!(m.contains("--print"));
        if HAS_HOLDER {
            assert!(m.contains("neither DISPLAY nor WAYLAND_DISPLAY is set"));
            assert!(m.contains("set DISPLAY"));
        }
        let m = failure_message(
            &env(&[]),
            &CopyOptions {
                command: Some("false".into()),
                ..Default::default()
            },
            &["copy_command `false`: exit status 1".into()],
        );
        assert!(m.contains("correct copy_command") && !m.contains("neither DISPLAY"));
    }
}
