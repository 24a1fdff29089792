//! `reply render ID --each FILE`: one message per record (mail merge).

use crate::App;
use crate::cli::RenderArgs;
use crate::error::Result;
use crate::library::Library;

pub fn render_batch(app: &mut App, lib: &Library, id: &str, args: &RenderArgs) -> Result<()> {
    let _ = (app, lib, id, args);
    Err(crate::error::Error::data("error: --each is not built yet"))
}
