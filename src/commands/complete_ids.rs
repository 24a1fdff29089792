//! `reply __complete-ids PREFIX` (hidden): the reply ids the completion
//! scripts offer, one a line, with the title after a tab (zsh and fish show it).

use super::{App, Run};
use crate::cli::CompleteIdsArgs;
use crate::diag::Result;
use crate::util::escape::sanitize;

impl Run for CompleteIdsArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        // Completion must never print errors into the user's prompt.
        app.out.quiet = true;
        let Ok(cat) = app.catalog(false) else {
            return Ok(());
        };
        for r in cat
            .entries
            .iter()
            .filter(|r| r.id().starts_with(&self.prefix))
        {
            app.out
                .line(&format!("{}\t{}", r.id(), sanitize(r.title(), false)))?;
        }
        Ok(())
    }
}
