//! The editor session of the authoring commands: a draft in the drafts
//! folder, opened in the editor, judged as the file it would make, then
//! installed, opened again at the error, kept or discarded.

use super::{Writable, after_write, judge, materialize, shadowing, show_diagnostics, shown};
use crate::commands::{App, ask, editor};
use crate::diag::{Diagnostic, Error, Result};
use crate::library::edit::{self, Draft, Drafts, Kind, Refusal, doc, skeleton};
use crate::util::escape::sanitize;

/// The drafts folder.
pub fn drafts(app: &App<'_>) -> Result<Drafts> {
    app.settings.drafts.clone().map(Drafts::new).ok_or_else(|| {
        Error::usage("cannot tell where drafts go: neither XDG_STATE_HOME nor HOME is set")
            .hint("set HOME or XDG_STATE_HOME")
    })
}

/// Whether an editor may be opened: a person is there, or (for scripts that
/// drive an editor, as with git) `$VISUAL` or `$EDITOR` names one; never
/// with --no-input.
pub fn may_open_editor(app: &App<'_>) -> bool {
    !app.no_input && (app.interactive || app.settings.editor.is_some())
}

/// The error that ends a session whose draft is kept.
fn kept(app: &App<'_>, draft: &Draft, why: &str) -> Error {
    Error::data(format!(
        "{why}: nothing was written; your draft is kept at {}",
        shown(app, &draft.path)
    ))
    .hint(format!(
        "`reply edit {} --resume` opens it again; delete the folder {} to drop it",
        draft.meta.id,
        shown(app, draft.folder())
    ))
}

/// The text that means "nothing was changed" for a draft.
fn untouched(draft: &Draft) -> Result<Option<String>> {
    Ok(match draft.meta.kind {
        Kind::New => draft.meta.skeleton.clone(),
        Kind::Edit => draft.base().map_err(Error::from)?,
    })
}

/// The diagnostics of a new reply's draft, appended to `current`, placed in
/// the draft: the appended part's lines are the draft's lines.
fn judge_new(
    app: &App<'_>,
    lib: &Writable,
    draft: &Draft,
    current: Option<&str>,
    text: &str,
) -> Vec<Diagnostic> {
    let file = &draft.meta.file;
    let target_name = file.display().to_string();
    let combined = doc::append(current.unwrap_or(""), text);
    let trimmed = text.trim_start_matches(['\n', '\r']);
    let start_line = combined[..combined.len() - trimmed.len()]
        .matches('\n')
        .count();
    let lead = text.len() - trimmed.len();
    let lead_lines = text[..lead].matches('\n').count();
    let draft_name = app.settings.show_path(&draft.path);
    let mut out = Vec::new();
    for key in doc::root_values(text) {
        out.push(
            Diagnostic::error(
                "draft",
                format!(
                    "`{key}` at the top of the draft would belong to the reply before it in {}",
                    shown(app, file)
                ),
            )
            .hint(format!(
                "move it into the reply's table, under [{}]",
                draft.meta.id
            )),
        );
    }
    for mut d in judge(app, lib, file, &target_name, &combined) {
        if let Some(l) = d.location.as_mut()
            && l.file == target_name
            && l.line > start_line
        {
            l.file = draft_name.clone();
            l.line = l.line - start_line + lead_lines;
        }
        out.push(d);
    }
    out
}

/// How a session starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Open the editor on the draft at this line first.
    Editor(usize),
    /// The draft is complete (from the command line): check and install it;
    /// on an error keep it, without asking.
    Given,
}

/// Checks and installs `draft`, after the editor when `start` says so,
/// until it is written, kept or discarded (see the module comment).
pub fn session(app: &mut App<'_>, lib: &Writable, draft: &Draft, start: Start) -> Result<()> {
    let id = draft.meta.id.clone();
    let untouched = untouched(draft)?;
    let mut line = match start {
        Start::Editor(l) => Some(l),
        Start::Given => None,
    };
    loop {
        if let Some(line) = line {
            editor::open(app, &draft.path, line).map_err(|e| {
                let why = e
                    .diagnostic()
                    .map(|d| d.message)
                    .unwrap_or_else(|| "the editor failed".into());
                kept(app, draft, &why)
            })?;
        }
        let text = draft.text().map_err(|e| {
            Error::data(format!(
                "cannot read the draft {}: {e}",
                draft.path.display()
            ))
        })?;
        if line.is_some() && untouched.as_deref() == Some(text.as_str()) {
            draft.discard()?;
            app.out.info("No change: nothing was written.");
            return Ok(());
        }
        let install_text = match draft.meta.kind {
            Kind::New => {
                let s = draft.meta.skeleton.as_deref().unwrap_or("");
                let stripped = skeleton::strip_guide(&text, s);
                let parsed = crate::library::parse::parse_file("draft", &stripped, "en");
                if parsed.replies.is_empty() && parsed.diagnostics.is_empty() {
                    draft.discard()?;
                    app.out
                        .info("The draft holds no reply: nothing was written.");
                    return Ok(());
                }
                stripped
            }
            Kind::Edit => text.clone(),
        };
        let target = lib.target(&draft.meta.file);
        let diagnostics = match draft.meta.kind {
            Kind::New => {
                let current = crate::util::fs::read_text(&draft.meta.file).ok();
                judge_new(app, lib, draft, current.as_deref(), &text)
            }
            Kind::Edit => {
                let name = app.settings.show_path(&draft.path);
                judge(app, lib, &draft.meta.file, &name, &text)
            }
        };
        if diagnostics.iter().any(Diagnostic::is_error) {
            show_diagnostics(app, &diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let why = format!(
                "`{id}` has {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            if !app.interactive || line.is_none() {
                return Err(kept(app, draft, &why));
            }
            let choice = ask::choose(
                app,
                &format!("{why}."),
                &[
                    ('e', "edit again"),
                    ('k', "keep the draft"),
                    ('d', "discard it"),
                ],
                'k',
            );
            match choice {
                'e' => {
                    // Back at the first error in the draft.
                    let draft_name = app.settings.show_path(&draft.path);
                    if let Some(l) = diagnostics
                        .iter()
                        .filter(|d| d.is_error())
                        .find_map(|d| d.location.as_ref().filter(|l| l.file == draft_name))
                    {
                        line = Some(l.line);
                    }
                    continue;
                }
                'd' => {
                    draft.discard()?;
                    app.out.info("Discarded: nothing was written.");
                    return Ok(());
                }
                _ => return Err(kept(app, draft, &why)),
            }
        }
        let base = match draft.meta.kind {
            Kind::Edit => Some(draft.base().map_err(Error::from)?),
            Kind::New => None,
        };
        if let Err(e) = materialize(app, lib) {
            let why = e.diagnostic().map(|d| d.message).unwrap_or_default();
            return Err(kept(app, draft, &why));
        }
        let result = edit::install(
            &target,
            base.as_ref().map(|b| b.as_deref()),
            |current| {
                Ok(match draft.meta.kind {
                    Kind::New => doc::append(current.unwrap_or(""), &install_text),
                    Kind::Edit => install_text.clone(),
                })
            },
            |t| {
                judge(
                    app,
                    lib,
                    &draft.meta.file,
                    &draft.meta.file.display().to_string(),
                    t,
                )
            },
        );
        return match result {
            Ok(done) => {
                draft.discard()?;
                let verb = match draft.meta.kind {
                    Kind::New => "Added",
                    Kind::Edit => "Saved",
                };
                app.out.info(&format!(
                    "{verb} `{}` in {}.",
                    sanitize(&id, false),
                    shown(app, &draft.meta.file)
                ));
                after_write(app, &draft.meta.file, &done.warnings);
                match draft.meta.kind {
                    Kind::New => shadowing(app, &id, &draft.meta.file),
                    Kind::Edit => Ok(()),
                }
            }
            Err(Refusal::Changed) => Err(kept(
                app,
                draft,
                &format!(
                    "{} changed on disk while you were editing it (another agent, or a git pull)",
                    shown(app, &draft.meta.file)
                ),
            )
            .hint(format!(
                "your changes are in the draft: `reply edit {id} --resume` shows what changed on disk and opens the draft again to bring it in"
            ))),
            Err(Refusal::Invalid(d)) => {
                show_diagnostics(app, &d);
                Err(kept(app, draft, &format!("`{id}` does not pass with the file as it is now")))
            }
            Err(Refusal::Failed(e)) => {
                let why = e.diagnostic().map(|d| d.message).unwrap_or_default();
                Err(kept(app, draft, &why))
            }
        };
    }
}
