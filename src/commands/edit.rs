//! `reply edit ID [--resume]`: open the editor on a copy of the file that
//! holds the reply, at its line; check the whole file when the editor
//! closes; install it only if it passes and nobody changed the file
//! meanwhile, else keep the draft. A starter reply is read-only: on a
//! terminal the starter library is first copied into your own library.

use super::author::{self, Start, Writable, shown};
use super::new::offer_resume;
use super::{App, Run, ask};
use crate::cli::EditArgs;
use crate::compose::reply_tests::line_diff;
use crate::diag::{Error, Result};
use crate::find;
use crate::library::edit::{Draft, Kind, Meta, doc};
use crate::library::{Layer, LayerKind};
use crate::util::escape::sanitize;
use crate::util::fs::read_text;

impl Run for EditArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let drafts = author::drafts(app)?;
        if self.resume {
            return match drafts.find(&self.id)? {
                Some(d) => resume(app, &d),
                None => Err(Error::usage(format!("no draft of `{}` is kept", self.id))
                    .hint(format!("`reply edit {}` starts one", self.id))),
            };
        }
        if let Some(old) = drafts.find(&self.id)?
            && let Some(resumed) = offer_resume(app, &old)?
        {
            return resumed;
        }
        if !author::may_open_editor(app) {
            return Err(no_editor());
        }
        let cat = app.catalog(false)?;
        let entry = find::exact(&cat, &self.id)?;
        let starter = cat.layer(entry).kind == LayerKind::Starter;
        drop(cat);
        if starter {
            copy_starter(app, &self.id)?;
        }
        let at = author::locate(app, &self.id)?;
        let base = read_text(&at.file)
            .map_err(|e| Error::data(format!("cannot read {}: {e}", at.file.display())))?;
        let line = doc::header_line(&base, &self.id).unwrap_or(at.line);
        let meta = Meta {
            id: self.id.clone(),
            kind: Kind::Edit,
            library: at.lib.dir.clone(),
            file: at.file.clone(),
            skeleton: None,
        };
        let draft = drafts.create(meta, &base, Some(&base))?;
        if let Some(root) = author::git_root(&at.file) {
            app.out.info(&format!(
                "{} is in the git checkout {}: the change is made there, for you to commit and push.",
                shown(app, &at.file),
                shown(app, &root)
            ));
        }
        author::session(app, &at.lib, &draft, Start::Editor(line))
    }
}

fn no_editor() -> Error {
    Error::usage(
        "editing needs an editor: there is no terminal, and neither VISUAL nor EDITOR is set",
    )
    .hint(
        "run it on a terminal, or set EDITOR (scripts may set it to a program that edits the file)",
    )
}

/// A starter reply: on a terminal, offer to copy the starter library into
/// your own library (the starter library serves only while no library
/// exists, so copying one reply alone would hide the rest); else the error
/// that says how.
fn copy_starter(app: &mut App<'_>, id: &str) -> Result<()> {
    if !app.interactive {
        return Err(author::read_only_error(Some(id)));
    }
    let place = app
        .settings
        .user_library
        .as_deref()
        .map(|d| shown(app, d))
        .unwrap_or_default();
    let question = format!(
        "`{}` is in the built-in starter library, which is read-only. Copy the starter library into your own library ({place}) and edit it there?",
        sanitize(id, false)
    );
    if !ask::confirm(app, &question, true) {
        return Err(Error::usage("nothing was changed").hint(format!(
            "`reply cp {id} {id}` copies it into your own library"
        )));
    }
    let own = author::own_library(app)?;
    author::materialize(app, &own)
}

/// Goes on with a kept draft. When the file changed on disk since the draft
/// was made, its author is shown what changed and brings it into the draft:
/// the draft then replaces the file as it is now, and only that.
pub fn resume(app: &mut App<'_>, draft: &Draft) -> Result<()> {
    if !author::may_open_editor(app) {
        return Err(no_editor());
    }
    let file = draft.meta.file.clone();
    let layer = app
        .settings
        .layers
        .iter()
        .find(|l| l.path.as_deref() == Some(draft.meta.library.as_path()))
        .cloned()
        .unwrap_or_else(|| Layer::named(&draft.meta.library));
    let lib = Writable {
        layer: Layer {
            exists: true,
            ..layer
        },
        dir: draft.meta.library.clone(),
    };
    let text = draft.text()?;
    let line = match draft.meta.kind {
        Kind::Edit => {
            let base = draft.base()?.unwrap_or_default();
            let current = read_text(&file).map_err(|e| {
                Error::data(format!(
                    "cannot read {} ({e}); your draft is kept at {}",
                    shown(app, &file),
                    shown(app, &draft.path)
                ))
            })?;
            if current != base {
                if !app.interactive {
                    return Err(Error::data(format!(
                        "{} changed on disk since the draft was made: nothing was written; the draft is kept at {}",
                        shown(app, &file),
                        shown(app, &draft.path)
                    ))
                    .hint(format!(
                        "run `reply edit {} --resume` on a terminal to see the change and bring it into the draft",
                        draft.meta.id
                    )));
                }
                show_change(app, &file, &base, &current);
                draft.set_base(&current)?;
            }
            header_or_text_line(&text, &draft.meta.id)
        }
        Kind::New => text
            .lines()
            .position(|l| l.starts_with("title = "))
            .map_or(1, |i| i + 1),
    };
    author::session(app, &lib, draft, Start::Editor(line))
}

/// The line of the reply's header in a draft, even a draft that is not
/// valid TOML any more (then found as text).
fn header_or_text_line(text: &str, id: &str) -> usize {
    doc::header_line(text, id)
        .or_else(|| {
            text.lines()
                .position(|l| l.trim_start().starts_with(&format!("[{id}]")))
                .map(|i| i + 1)
        })
        .unwrap_or(1)
}

/// What someone else changed in `file`, shown before the draft opens again.
fn show_change(app: &mut App<'_>, file: &std::path::Path, base: &str, current: &str) {
    const SHOWN: usize = 40;
    let changed: Vec<String> = line_diff(base, current)
        .into_iter()
        .filter(|l| !l.starts_with(' '))
        .collect();
    app.out.info(&format!(
        "{} changed on disk since your draft was made (another agent, or a git pull):",
        shown(app, file)
    ));
    for l in changed.iter().take(SHOWN) {
        app.out.info(&format!("  {}", sanitize(l, false)));
    }
    if changed.len() > SHOWN {
        app.out
            .info(&format!("  … {} more changed lines", changed.len() - SHOWN));
    }
    app.out.info(
        "Bring those changes into your draft: it opens now, and replaces the file as it is now once saved.",
    );
}
