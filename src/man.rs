//! The man page: clap_mangen's sections for the top level, then sections man
//! readers expect and clap does not model: each command with its own options,
//! EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES.

use std::io;

use clap::Command;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

/// Exit codes: keep in step with `cli::EXIT_CODES` (a test checks both agree).
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success. With --each: every record rendered."),
    ("1", "No reply matched the query."),
    (
        "2",
        "Usage or data error: a bad library file, an unknown reply, a missing variable, a template error, a message over the platform's limit, `check` found errors; with --each, at least one record failed (the others were still written).",
    ),
    (
        "3",
        "The clipboard could not be reached (see --print and the config's copy_command).",
    ),
    (
        "4",
        "The output could not be written (a closed pipe is not an error: reply stops quietly).",
    ),
];

/// Environment variables: keep in step with `cli::EXIT_CODES`.
const ENVIRONMENT: &[(&str, &str)] = &[
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
        "A fixed local time for greeting() and `today` (as --now).",
    ),
    (
        "REPLY_NO_CACHE",
        "Read every library file instead of using the catalog cache.",
    ),
    ("NO_COLOR", "No colour when set to a non-empty value."),
    (
        "XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME",
        "Where the config, your own library and the cache live (default: ~/.config, ~/.local/share, ~/.cache).",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/reply/config.toml",
        "The config: agent, brand, language, platform, libraries, variables.",
    ),
    (
        "$XDG_DATA_HOME/reply/replies/",
        "Your own library (TOML files), created by `reply init`.",
    ),
    (
        "$XDG_CACHE_HOME/reply/",
        "The catalog cache, checked against every file on each run; always safe to delete.",
    ),
];

const EXAMPLES: &[(&str, &str)] = &[
    (
        "reply refund -c Ana",
        "Render the best match for \"refund\" for Ana and copy it (or print it in a pipe).",
    ),
    (
        "reply render order-delay --each orders.csv --format text",
        "Render one message per row of orders.csv, separated by lines of ---.",
    ),
    (
        "source <(reply completions bash)",
        "Complete commands, options and reply ids in this bash session (add it to ~/.bashrc to keep it).",
    ),
    (
        "reply man > ~/.local/share/man/man1/reply.1",
        "Install this page.",
    ),
];

/// The whole page, in roff.
pub fn page(cmd: Command) -> io::Result<String> {
    let man = Man::new(cmd.clone());
    let mut w: Vec<u8> = Vec::new();
    man.render_title(&mut w)?;
    man.render_name_section(&mut w)?;
    man.render_synopsis_section(&mut w)?;
    man.render_description_section(&mut w)?;
    man.render_options_section(&mut w)?;
    commands(&cmd, &mut w)?;
    let mut r = Roff::new();
    list(&mut r, "EXIT STATUS", EXIT_STATUS);
    list(&mut r, "ENVIRONMENT", ENVIRONMENT);
    list(&mut r, "FILES", FILES);
    list(&mut r, "EXAMPLES", EXAMPLES);
    r.to_writer(&mut w)?;
    man.render_version_section(&mut w)?;
    Ok(String::from_utf8_lossy(&w).into_owned())
}

fn list(r: &mut Roff, title: &str, items: &[(&str, &str)]) {
    r.control("SH", [title]);
    for (term, text) in items {
        r.control("TP", []).text([bold(*term)]).text([roman(*text)]);
    }
}

/// COMMANDS: each visible subcommand, its usage and its own options.
fn commands(cmd: &Command, w: &mut Vec<u8>) -> io::Result<()> {
    let mut r = Roff::new();
    r.control("SH", ["COMMANDS"]);
    r.text([roman(
        "`reply QUERY [options]` is short for `reply render QUERY [options]`. The options above apply to every command.",
    )]);
    r.to_writer(w)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("reply {}", sub.get_name());
        let mut r = Roff::new();
        r.control("SS", [name.as_str()]);
        let mut about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        let aliases: Vec<&str> = sub.get_visible_aliases().collect();
        if !aliases.is_empty() {
            about.push_str(&format!(" (alias: {})", aliases.join(", ")));
        }
        r.text([roman(about)]);
        let usage = sub.clone().bin_name(&name).render_usage().to_string();
        let usage = usage.trim_start_matches("Usage:").trim();
        r.control("PP", []).text([italic("Usage: "), bold(usage)]);
        r.to_writer(w)?;
        // The subcommand alone: its options without the globals propagated.
        let own = sub.clone().disable_help_flag(true);
        if own.get_arguments().any(|a| !a.is_hide_set()) {
            let mut buf = Vec::new();
            Man::new(own).render_options_section(&mut buf)?;
            let text = String::from_utf8_lossy(&buf);
            // Options of a command are a block inside COMMANDS, not a section.
            let text = text.replacen(".SH OPTIONS\n", ".RS\n", 1);
            w.extend_from_slice(text.as_bytes());
            w.extend_from_slice(b".RE\n");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, EXIT_CODES};
    use clap::CommandFactory;

    #[test]
    fn sections_agree_with_the_help_text() {
        let page = page(Cli::command()).unwrap();
        for section in [
            "COMMANDS",
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
            "EXAMPLES",
        ] {
            assert!(
                page.contains(&format!(".SH \"{section}\""))
                    || page.contains(&format!(".SH {section}")),
                "{section}"
            );
        }
        // Every variable and exit code the --help text names is in the page.
        for word in EXIT_CODES.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if word.starts_with("REPLY_") || word == "NO_COLOR" {
                let name = if word.starts_with("REPLY_VAR_") {
                    "REPLY_VAR_<KEY>"
                } else {
                    word
                };
                assert!(
                    ENVIRONMENT.iter().any(|(n, _)| *n == name),
                    "{word} missing from ENVIRONMENT"
                );
            }
        }
        for line in EXIT_CODES.lines() {
            let t = line.trim_start();
            if let Some(code) = t
                .split_whitespace()
                .next()
                .filter(|c| c.parse::<u8>().is_ok())
            {
                assert!(EXIT_STATUS.iter().any(|(c, _)| *c == code), "exit {code}");
            }
        }
        assert!(page.contains("reply render"));
        assert!(!page.contains("__complete"));
    }
}
