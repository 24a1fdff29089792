//! `reply pick [QUERY]` (and `reply` alone on a terminal): the picker, the
//! prompts for what the chosen reply still needs, then the render and
//! delivery; `--for MESSAGE` lists the suggestions for a customer's message
//! instead. Needs a person at a terminal; a script gets a clear error.

use super::render::{Options, session};
use super::{App, Run};
use crate::cli::PickArgs;
use crate::diag::{Error, Result};
use crate::history::usage::{Found, How};
use crate::tui;

impl Run for PickArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        if !app.can_pick {
            return Err(Error::usage("`reply pick` needs a terminal to show the list on")
                .hint("in a script, `reply search WORDS` lists the matches and `reply render ID` renders one"));
        }
        // Picking for a pipe (`reply pick | wl-copy`): the prompts are part
        // of the pick, asked on the terminal like it.
        app.interactive = true;
        let cat = app.catalog(false)?;
        let opts = Options::of_pick(self);
        if let Some(message) = &self.for_message {
            let found = super::suggest::for_picker(
                app,
                &cat,
                message,
                self.lang.as_deref(),
                self.platform.as_deref(),
            )?;
            return super::suggest::pick_among(app, &cat, &found, opts);
        }
        let query = self.query.join(" ");
        session(
            app,
            &cat,
            tui::Start::Pick { query },
            &opts,
            How::new(Found::Picker, None),
        )
    }
}
