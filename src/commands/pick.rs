//! `reply pick [QUERY]` (and `reply` alone on a terminal): the picker, the
//! prompts for what the chosen reply still needs, then the render and
//! delivery. Needs a person at a terminal; a script gets a clear error.

use super::render::{Options, session};
use super::{App, Run};
use crate::cli::PickArgs;
use crate::diag::{Error, Result};
use crate::history::usage::{Found, How};
use crate::tui;

impl Run for PickArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        if !app.interactive {
            return Err(Error::usage("`reply pick` needs a terminal to show the list on")
                .hint("in a script, `reply search WORDS` lists the matches and `reply render ID` renders one"));
        }
        let cat = app.catalog(false)?;
        let query = self.query.join(" ");
        session(
            app,
            &cat,
            tui::Start::Pick { query },
            &Options::of_pick(self),
            How::new(Found::Picker, None),
        )
    }
}
