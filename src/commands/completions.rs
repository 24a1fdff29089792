//! `reply completions SHELL`, `reply man`, and the hidden `__complete-ids`
//! that completion scripts call to offer the reply ids of the libraries in use.

use clap::CommandFactory;

use crate::App;
use crate::cli::{Cli, CompleteIdsArgs, CompletionsArgs, Shell};
use crate::completion;
use crate::error::{Error, Result};

pub fn run(app: &mut App, args: &CompletionsArgs) -> Result<()> {
    let shell = match args.shell {
        Shell::Bash => completion::Shell::Bash,
        Shell::Zsh => completion::Shell::Zsh,
        Shell::Fish => completion::Shell::Fish,
        Shell::Elvish => completion::Shell::Elvish,
        Shell::Powershell => completion::Shell::PowerShell,
    };
    app.out.write(&completion::script(shell, Cli::command()))?;
    Ok(())
}

pub fn man(app: &mut App) -> Result<()> {
    let page = crate::man::page(Cli::command()).map_err(Error::from)?;
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
