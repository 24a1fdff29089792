//! `reply init`: copy the starter library into the user's own library folder.
//! Never overwrites a file that is there already.

use crate::App;
use crate::data_err;
use crate::error::Result;
use crate::library::STARTER;

pub fn run(app: &mut App) -> Result<()> {
    let Some(dir) = app.env.user_library() else {
        return Err(data_err!(
            "error: cannot tell where your library goes: neither XDG_DATA_HOME nor HOME is set\n  = hint: set HOME, or XDG_DATA_HOME"
        ));
    };
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for (name, text) in STARTER {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| data_err!("error: cannot create {}: {e}", parent.display()))?;
        }
        // `create_new` makes "never overwrite" atomic: no check-then-write race.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(text.as_bytes())
                    .and_then(|()| f.sync_all())
                    .map_err(|e| data_err!("error: cannot write {}: {e}", path.display()))?;
                written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept.push(path),
            Err(e) => return Err(data_err!("error: cannot write {}: {e}", path.display())),
        }
    }
    for p in &written {
        app.out.line(&format!("created {}", p.display()))?;
    }
    for p in &kept {
        app.out
            .warn(&format!("warning: {} exists: left as it is", p.display()));
    }
    app.out.info(&format!(
        "Your library is {}: edit its files, then `reply list` shows your replies.",
        dir.display()
    ));
    Ok(())
}
