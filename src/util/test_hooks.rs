//! Places where a test can stop `reply` on purpose, to prove what a crash
//! there leaves behind. Set once, from the environment, by the settings layer
//! (`REPLY_TEST_PAUSE_BEFORE_RENAME`); unset, they cost one atomic read.

use std::path::PathBuf;
use std::sync::OnceLock;

static PAUSE_BEFORE_RENAME: OnceLock<PathBuf> = OnceLock::new();

/// Makes every durable replace (`util::fs::replace`) stop between writing its
/// temporary file and renaming it: it creates `marker` (holding the temporary
/// file's path) and waits for `marker` to be removed.
pub fn set_pause_before_rename(marker: PathBuf) {
    let _ = PAUSE_BEFORE_RENAME.set(marker);
}

pub fn pause_before_rename() -> Option<PathBuf> {
    PAUSE_BEFORE_RENAME.get().cloned()
}
