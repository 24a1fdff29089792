//! The lint behind `reply check`.

use crate::App;
use crate::cli::CheckArgs;
use crate::error::Result;

pub fn run(app: &mut App, args: &CheckArgs) -> Result<()> {
    let _ = (app, args);
    Ok(())
}
