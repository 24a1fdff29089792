//! `reply completions SHELL`: the completion script for a shell.

use clap::CommandFactory;

use super::Emit;
use crate::cli::{Cli, CompletionsArgs, completion};
use crate::deliver::Out;
use crate::diag::Result;

impl Emit for CompletionsArgs {
    fn emit(&self, out: &mut Out) -> Result<()> {
        out.write(&completion::script(self.shell, Cli::command()))?;
        Ok(())
    }
}
