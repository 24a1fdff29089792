//! The man page: clap_mangen's sections for the top level, then sections man
//! readers expect and clap does not model: each command with its own options,
//! EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES.

use std::io;

use clap::Command;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::{ENVIRONMENT, EXIT_STATUS};

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
    (
        "$XDG_STATE_HOME/reply/usage.jsonl",
        "The usage history: which replies reached a person, when and how they were found, never a value (see reply history, reply stats).",
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
    use crate::cli::Cli;
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
        // The help text and the page are built from the same tables.
        let help = crate::cli::after_help();
        for (name, _) in ENVIRONMENT {
            assert!(help.contains(name) && page.contains(name), "{name}");
        }
        for (code, _) in EXIT_STATUS {
            assert!(help.contains(&format!("  {code}  ")), "exit {code}");
        }
        assert!(page.contains("reply render"));
        assert!(!page.contains("__complete"));
    }
}
