//! `reply completions SHELL`, `reply man`, and the hidden `__complete-ids`
//! that completion scripts call to offer the reply ids of the libraries in use.

use clap::CommandFactory;

use crate::App;
use crate::cli::{Cli, CompleteIdsArgs, CompletionsArgs, Shell};
use crate::error::{Error, Result};

pub fn run(app: &mut App, args: &CompletionsArgs) -> Result<()> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Elvish => clap_complete::Shell::Elvish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    clap_complete::generate(shell, &mut cmd, "reply", &mut buf);
    let script = String::from_utf8(buf).map_err(|e| Error::data(format!("error: {e}")))?;
    app.out.write(&script)?;
    Ok(())
}

pub fn man(app: &mut App) -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(Error::from)?;
    let page = String::from_utf8(buf).map_err(|e| Error::data(format!("error: {e}")))?;
    app.out.write(&page)?;
    Ok(())
}

/// One id a line, with its title after a tab (zsh and fish show it).
pub fn ids(app: &mut App, args: &CompleteIdsArgs) -> Result<()> {
    // Completion must never print errors into the user's prompt.
    app.out.quiet = true;
    let Ok(cat) = app.catalog(false) else {
        return Ok(());
    };
    for r in cat
        .entries
        .iter()
        .filter(|r| r.id().starts_with(&args.prefix))
    {
        let title = crate::output::sanitize(r.title(), false);
        app.out.line(&format!("{}\t{title}", r.id()))?;
    }
    Ok(())
}
