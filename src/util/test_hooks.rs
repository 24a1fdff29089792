//! Places where a test can stop `reply` on purpose, to prove what a crash
//! there leaves behind. Set once, from the environment, by the settings layer
//! (`REPLY_TEST_PAUSE_BEFORE_RENAME`, `REPLY_TEST_PANIC_IN_PICKER`), and a
//! log of what the catalog parsed (`REPLY_TEST_CATALOG_PARSES`), so a test
//! can prove which files a run read again; unset, they cost one atomic read.

use std::path::PathBuf;
use std::sync::OnceLock;

static PAUSE_BEFORE_RENAME: OnceLock<PathBuf> = OnceLock::new();
static PANIC_IN_PICKER: OnceLock<()> = OnceLock::new();
static PARSE_LOG: OnceLock<PathBuf> = OnceLock::new();

/// Makes the catalog append the name of every file it parses to `log`, a line each.
pub fn set_parse_log(log: PathBuf) {
    let _ = PARSE_LOG.set(log);
}

/// Notes that the catalog parsed the file shown as `name` (see [`set_parse_log`]).
pub fn parsed(name: &str) {
    if let Some(log) = PARSE_LOG.get() {
        use std::io::Write;
        // One write per line, appended: lines from parallel workers never mix.
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = f.write_all(format!("{name}\n").as_bytes());
        }
    }
}

/// Makes the picker panic once it has drawn (`REPLY_TEST_PANIC_IN_PICKER`):
/// to prove the terminal is put back even then.
pub fn set_panic_in_picker() {
    let _ = PANIC_IN_PICKER.set(());
}

pub fn panic_in_picker() -> bool {
    PANIC_IN_PICKER.get().is_some()
}

/// Makes every durable replace (`util::fs::replace`) stop between writing its
/// temporary file and renaming it: it creates `marker` (holding the temporary
/// file's path) and waits for `marker` to be removed.
pub fn set_pause_before_rename(marker: PathBuf) {
    let _ = PAUSE_BEFORE_RENAME.set(marker);
}

pub fn pause_before_rename() -> Option<PathBuf> {
    PAUSE_BEFORE_RENAME.get().cloned()
}
