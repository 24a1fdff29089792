//! Copying a rendered reply to the clipboard: a detached holder on X11/Wayland, OSC 52 over SSH or without a display, `copy_command` when configured, the system clipboard on macOS/Windows. And reading it back ([`paste`]), for `reply suggest --from-clipboard`.
//!
//! Nothing here prints: [`copy`] returns what happened ([`Copied`]) or what was tried
//! ([`ClipboardError`]), and the caller writes the messages ([`success_message`] builds the usual
//! one-line report).
//!
//! On Linux (and the other Unix desktops arboard drives through X11 or Wayland) the clipboard
//! content lives in the process that set it, so [`copy`] re-executes the current binary with the
//! hidden argument [`HOLDER_ARG`]; `main()` must hand control to [`holder_main`] when it sees that
//! argument, before parsing the command line. The holder reads the text on its stdin, takes the
//! clipboard, writes one ready byte on its stdout and then serves pastes until another program
//! takes the clipboard. [`copy`] returns only once the holder owns the clipboard.
//!
//! The process calling [`copy`] must not reset `SIGPIPE` to its default action: it writes the
//! text into the holder's (or `copy_command`'s) stdin, and a child that dies early must produce an
//! error, not kill `reply` silently.

mod command;
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
))]
mod holder;
mod osc52;
mod plan;

use plan::{Attempt, failure_message, note_for, plan};

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

/// The hidden first argument that turns the binary into the clipboard holder.
pub const HOLDER_ARG: &str = "__reply-clipboard-holder";

/// How [`copy`] should copy.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// `--osc52`: use OSC 52 even where a display is available.
    pub force_osc52: bool,
    /// `copy_command` from the config: overrides everything else when set.
    pub command: Option<String>,
    pub env: ClipboardEnv,
}

/// The way the text reached the clipboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// `copy_command` from the config (the command line as configured).
    Command(String),
    /// The X11 CLIPBOARD selection, served by the detached holder.
    #[cfg_attr(
        not(all(
            unix,
            not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
        )),
        allow(dead_code)
    )]
    X11,
    /// The Wayland clipboard (wlr data-control), served by the detached holder.
    #[cfg_attr(
        not(all(
            unix,
            not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
        )),
        allow(dead_code)
    )]
    Wayland,
    /// The OSC 52 escape sequence written to the controlling terminal, wrapped for a
    /// terminal multiplexer (`"tmux"` or `"screen"`) when one was detected.
    Osc52 { multiplexer: Option<&'static str> },
    /// The system clipboard on macOS or Windows (arboard, in process).
    #[cfg_attr(not(any(target_os = "macos", windows)), allow(dead_code))]
    Native,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Command(cmd) => write!(f, "`{cmd}`"),
            Method::X11 => f.write_str("X11"),
            Method::Wayland => f.write_str("Wayland"),
            Method::Osc52 { multiplexer: None } => f.write_str("OSC 52"),
            Method::Osc52 {
                multiplexer: Some(m),
            } => write!(f, "OSC 52 via {m}"),
            Method::Native => f.write_str(native_name()),
        }
    }
}

fn native_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS"
    } else if cfg!(windows) {
        "Windows"
    } else {
        "system clipboard"
    }
}

/// A successful copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub method: Method,
    /// Something the user should know, e.g. that OSC 52 needs the terminal's consent.
    pub note: Option<String>,
}

/// Copying failed in every way that was tried; nothing was copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClipboardError {
    /// Says what was tried and what to do.
    pub message: String,
}

impl fmt::Display for ClipboardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ClipboardError {}

/// Number of characters (Unicode scalar values) reported for `text`.
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// The usual one-line report for a successful copy, for example
/// "Copied 312 characters to the clipboard (X11)". The note, if any, is not included.
pub fn success_message(text: &str, copied: &Copied) -> String {
    let n = char_count(text);
    let unit = if n == 1 { "character" } else { "characters" };
    format!("Copied {n} {unit} to the clipboard ({})", copied.method)
}

/// Copies `text`, byte for byte, choosing the way from `opts` and the environment
/// (`DISPLAY`, `WAYLAND_DISPLAY`, `SSH_TTY`, `SSH_CONNECTION`, `TMUX`, `STY`, `TERM`).
///
/// Returns only once the text is in place (on X11/Wayland: once the holder owns the clipboard).
pub fn copy(text: &str, opts: &CopyOptions) -> Result<Copied, ClipboardError> {
    let env = &opts.env;
    let mut failures: Vec<String> = Vec::new();
    for attempt in plan(env, opts) {
        let outcome = match attempt {
            Attempt::Command(cmd) => command::run(&cmd, text)
                .map(|()| Method::Command(cmd.clone()))
                .map_err(|e| format!("copy_command `{cmd}`: {e}")),
            Attempt::Display => copy_display(text, env),
            Attempt::Osc52 => {
                let mux = env.multiplexer();
                osc52::write_to_terminal(&osc52::sequence(text.as_bytes(), mux))
                    .map(|()| Method::Osc52 { multiplexer: mux })
                    .map_err(|e| format!("OSC 52: {e}"))
            }
            Attempt::Native => copy_native(text),
        };
        match outcome {
            Ok(method) => {
                let note = note_for(&method, &failures);
                return Ok(Copied { method, note });
            }
            Err(e) => failures.push(e),
        }
    }
    Err(ClipboardError {
        message: failure_message(env, opts, &failures),
    })
}

/// Reads the text on the clipboard (for `reply suggest --from-clipboard`).
///
/// On X11 and Wayland it is read in process with arboard, which asks the program that holds the
/// clipboard (the holder, when `reply` copied last); on macOS and Windows from the system
/// clipboard. Elsewhere, or without a display, there is none to read: the error says so and what
/// to do instead. `copy_command` and OSC 52 only write, so they are not tried.
pub fn paste(env: &ClipboardEnv) -> Result<String, ClipboardError> {
    let failed = |what: String| ClipboardError {
        message: format!(
            "could not read the clipboard: {what}\nTo fix: pass the message as an argument, or \
             pipe it in (`wl-paste | reply suggest`, `xclip -o -selection clipboard | reply \
             suggest`, `pbpaste | reply suggest`)"
        ),
    };
    if plan::HAS_HOLDER && !env.has_display() {
        return Err(failed(
            "neither DISPLAY nor WAYLAND_DISPLAY is set (over SSH or without a desktop there is \
             no clipboard reply can read)"
                .into(),
        ));
    }
    if !plan::HAS_HOLDER && !cfg!(any(target_os = "macos", windows)) {
        return Err(failed("this system has no clipboard reply can read".into()));
    }
    if plan::HAS_HOLDER && env.display.is_none() && !wayland_readable() {
        return Err(failed(format!(
            "{}: the compositor offers no data-control protocol, and DISPLAY is not set",
            env.display_label()
        )));
    }
    let where_ = if plan::HAS_HOLDER {
        env.display_label()
    } else {
        format!("the {} clipboard", native_name())
    };
    let mut clipboard = arboard::Clipboard::new().map_err(|e| failed(format!("{where_}: {e}")))?;
    match clipboard.get_text() {
        Ok(text) => Ok(text),
        Err(arboard::Error::ContentNotAvailable) => Err(failed(format!(
            "{where_}: there is no text on the clipboard"
        ))),
        Err(e) => Err(failed(format!("{where_}: {e}"))),
    }
}

/// Whether arboard can read a Wayland clipboard here (the same probe the holder makes).
fn wayland_readable() -> bool {
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    ))]
    {
        wl_clipboard_rs::utils::is_primary_selection_supported().is_ok()
    }
    #[cfg(not(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    )))]
    {
        false
    }
}

/// The entry point of the detached holder process (see the module documentation).
pub fn holder_main(env: &ClipboardEnv) -> ExitCode {
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    ))]
    {
        holder::holder_main(env)
    }
    #[cfg(not(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    )))]
    {
        let _ = env;
        ExitCode::FAILURE
    }
}

/// What the environment says about where the user's clipboard is (the
/// settings layer fills it in from `DISPLAY`, `WAYLAND_DISPLAY`, `SSH_TTY`,
/// `SSH_CONNECTION`, `TMUX`, `STY`, `TERM`, `XDG_RUNTIME_DIR`, `TMPDIR`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClipboardEnv {
    pub display: Option<String>,
    pub wayland_display: Option<String>,
    pub ssh: bool,
    pub tmux: bool,
    pub screen: bool,
    /// Where the holder keeps its pid file: `$XDG_RUNTIME_DIR/reply`, else
    /// `$TMPDIR/reply-UID`.
    pub runtime_dir: Option<PathBuf>,
    pub temp_dir: PathBuf,
}

type Env = ClipboardEnv;

impl ClipboardEnv {
    fn has_display(&self) -> bool {
        self.display.is_some() || self.wayland_display.is_some()
    }

    /// tmux sets `TERM=screen…` too, so `TMUX` is checked first.
    fn multiplexer(&self) -> Option<&'static str> {
        if self.tmux {
            Some("tmux")
        } else if self.screen {
            Some("screen")
        } else {
            None
        }
    }

    fn display_label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(w) = &self.wayland_display {
            parts.push(format!("WAYLAND_DISPLAY={w}"));
        }
        if let Some(d) = &self.display {
            parts.push(format!("DISPLAY={d}"));
        }
        format!("the desktop clipboard ({})", parts.join(", "))
    }
}

fn copy_display(text: &str, env: &Env) -> Result<Method, String> {
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    ))]
    {
        holder::copy_via_holder(text, env).map_err(|e| format!("{}: {e}", env.display_label()))
    }
    #[cfg(not(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    )))]
    {
        let _ = text;
        Err(format!("{}: not supported here", env.display_label()))
    }
}

fn copy_native(text: &str) -> Result<Method, String> {
    #[cfg(any(target_os = "macos", windows))]
    {
        let mut clipboard =
            arboard::Clipboard::new().map_err(|e| format!("{} clipboard: {e}", native_name()))?;
        clipboard
            .set_text(text)
            .map_err(|e| format!("{} clipboard: {e}", native_name()))?;
        Ok(Method::Native)
    }
    #[cfg(not(any(target_os = "macos", windows)))]
    {
        let _ = text;
        Err(format!("{}: not supported here", native_name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

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
    fn env_detection() {
        let e = env(&[("DISPLAY", ":0"), ("TERM", "xterm-256color")]);
        assert_eq!(e.display.as_deref(), Some(":0"));
        assert!(e.has_display() && !e.ssh && e.multiplexer().is_none());

        let e = env(&[("DISPLAY", ""), ("WAYLAND_DISPLAY", "")]);
        assert!(!e.has_display(), "empty values count as unset");

        assert!(env(&[("SSH_TTY", "/dev/pts/3")]).ssh);
        assert!(env(&[("SSH_CONNECTION", "10.0.0.1 5 10.0.0.2 22")]).ssh);

        // tmux sets TERM=screen-256color as well: tmux wins.
        let e = env(&[
            ("TMUX", "/tmp/tmux-0/default,1,0"),
            ("TERM", "screen-256color"),
        ]);
        assert_eq!(e.multiplexer(), Some("tmux"));
        assert_eq!(
            env(&[("STY", "123.pts-0.host")]).multiplexer(),
            Some("screen")
        );
        assert_eq!(
            env(&[("TERM", "screen.xterm")]).multiplexer(),
            Some("screen")
        );
        assert_eq!(env(&[("TERM", "xterm")]).multiplexer(), None);
    }

    #[test]
    fn method_display() {
        assert_eq!(Method::X11.to_string(), "X11");
        assert_eq!(Method::Wayland.to_string(), "Wayland");
        assert_eq!(Method::Osc52 { multiplexer: None }.to_string(), "OSC 52");
        assert_eq!(
            Method::Osc52 {
                multiplexer: Some("tmux")
            }
            .to_string(),
            "OSC 52 via tmux"
        );
        assert_eq!(Method::Command("wl-copy".into()).to_string(), "`wl-copy`");
    }

    #[test]
    fn counting_and_message() {
        assert_eq!(char_count(""), 0);
        assert_eq!(char_count("¿qué?"), 5);
        assert_eq!(char_count("😀"), 1);
        assert_eq!(char_count("שלום"), 4);
        assert_eq!(char_count("a\r\nb"), 4);
        let x11 = Copied {
            method: Method::X11,
            note: None,
        };
        assert_eq!(
            success_message("Hola 😀", &x11),
            "Copied 6 characters to the clipboard (X11)"
        );
        assert_eq!(
            success_message("é", &x11),
            "Copied 1 character to the clipboard (X11)"
        );
    }
}
