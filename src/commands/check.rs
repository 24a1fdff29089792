//! `reply check [PATH...]`: lint libraries, compiler-style.

use crate::App;
use crate::cli::CheckArgs;
use crate::error::Result;

pub fn run(app: &mut App, args: &CheckArgs) -> Result<()> {
    crate::lint::run(app, args)
}
