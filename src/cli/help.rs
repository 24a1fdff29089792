//! The text around the options: exit codes and environment variables, one
//! table each, shared by `--help`, the man page and (checked by a test) README.

/// Exit codes, for `--help`, the man page and README (a test checks README).
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success. With --each: every record rendered."),
    (
        "1",
        "No reply matched: a query that finds nothing, or an id no reply has (show, vars, render --exact); or no good match for a message (suggest, render --for); or Esc in the picker or at a prompt: nothing was chosen or copied.",
    ),
    (
        "2",
        "Usage or data error: a bad option or command, a bad library file, a missing variable, a template error, a message over the platform's limit, `check` found errors, a reply's test failed, a change was refused (its draft is kept), a file given to `stats --merge` is not a valid export; with --each, at least one record failed (the others were still written); `sync` refused an incoming revision or stopped for your local work (with --strict: a remote could not be reached).",
    ),
    (
        "3",
        "The clipboard could not be reached, to copy (see --print and the config's copy_command) or to read (suggest --from-clipboard).",
    ),
    (
        "4",
        "The output could not be written (a closed pipe is not an error: reply stops quietly).",
    ),
    (
        "130",
        "Ctrl-C in the picker or at a prompt: nothing was copied.",
    ),
];

/// Environment variables, for `--help`, the man page and README.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "REPLY_LIBRARY",
        "Library folders, separated by `:`: below --library, above the config's `libraries`.",
    ),
    (
        "REPLY_CONFIG",
        "The config file (default: $XDG_CONFIG_HOME/reply/config.toml).",
    ),
    ("REPLY_AGENT", "Your name, above the config's `agent`."),
    ("REPLY_BRAND", "The brand, above the config's `brand`."),
    (
        "REPLY_CUSTOMER",
        "The customer's name, when not given with -c.",
    ),
    (
        "REPLY_VAR_<KEY>",
        "Any variable, e.g. REPLY_VAR_order=A-1042; below -v, --vars and --each records.",
    ),
    ("REPLY_PLATFORM", "The default platform (as --platform)."),
    ("REPLY_LANG", "The default language (as --lang)."),
    (
        "REPLY_NOW",
        "A fixed local time for greeting(), `today`, team libraries' staleness, usage records and frecency (as --now).",
    ),
    (
        "REPLY_NO_CACHE",
        "Read every library file instead of using the catalog cache.",
    ),
    (
        "REPLY_NO_HISTORY",
        "Set to any non-empty value: record nothing in the usage history, and rank without it (as the config's `history = false`).",
    ),
    (
        "VISUAL, EDITOR",
        "The editor `new` and `edit` open (VISUAL first; else editor, nano, vi).",
    ),
    ("NO_COLOR", "No colour when set to a non-empty value."),
    (
        "XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME",
        "Where the config, your own library (and team clones, in reply/libraries) and the cache live (default: ~/.config, ~/.local/share, ~/.cache).",
    ),
    (
        "XDG_STATE_HOME",
        "Where drafts of `new` and `edit`, recent answers, the usage log and team libraries' sync times are kept (default: ~/.local/state/reply/).",
    ),
];

/// The text after `--help`: the exit codes and the environment, from the tables above.
pub fn after_help() -> String {
    let mut out = String::from("Exit codes:\n");
    for (code, what) in EXIT_STATUS {
        out.push_str(&wrap(&format!("  {code}  "), what));
    }
    out.push_str("\nEnvironment:\n");
    let width = ENVIRONMENT.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, what) in ENVIRONMENT {
        out.push_str(&wrap(&format!("  {name:width$}  "), what));
    }
    out.trim_end().to_string()
}

/// `lead` then `text`, wrapped at 79 columns under the text's first column.
fn wrap(lead: &str, text: &str) -> String {
    let indent = " ".repeat(lead.len());
    let mut out = String::new();
    let mut line = lead.to_string();
    for word in text.split_whitespace() {
        if line.len() + word.len() + 1 > 79 && line.len() > lead.len() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
        }
        if line.len() > lead.len() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}
