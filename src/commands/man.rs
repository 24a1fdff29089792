//! `reply man`: the man page, in roff.

use clap::CommandFactory;

use super::Emit;
use crate::cli::{Cli, ManArgs, man};
use crate::deliver::Out;
use crate::diag::Result;

impl Emit for ManArgs {
    fn emit(&self, out: &mut Out) -> Result<()> {
        out.write(&man::page(Cli::command())?)?;
        Ok(())
    }
}
