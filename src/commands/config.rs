//! `reply config get|set|unset|path|edit`: read and change the config file,
//! one key at a time keeping its comments and layout (`settings::edit`), or
//! in the person's editor, on a draft that replaces the file only once it is
//! a valid config.

use std::path::{Path, PathBuf};

use super::{App, Run, ask, author, editor};
use crate::cli::{ConfigAction, ConfigArgs};
use crate::diag::{Error, Result};
use crate::settings::edit::{self as config_edit, ConfigFile};
use crate::util::escape::sanitize;
use crate::util::fs;

impl Run for ConfigArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let Some(path) = app.settings.config_file.clone() else {
            return Err(Error::usage(
                "cannot tell where the config file goes: neither XDG_CONFIG_HOME nor HOME is set",
            )
            .hint("set HOME, or REPLY_CONFIG to the file to use"));
        };
        let shown = sanitize(&path.display().to_string(), false);
        match &self.action {
            ConfigAction::Path => app.out.line(&path.display().to_string())?,
            ConfigAction::Edit => edit(app, &path)?,
            ConfigAction::Get { key } => match ConfigFile::open(&path)?.get(key)? {
                Some(value) => app.out.line(&value)?,
                None => {
                    return Err(Error::no_match(format!("`{key}` is not set in {shown}"))
                        .hint(format!("set it with `reply config set {key} VALUE`")));
                }
            },
            ConfigAction::Set { key, value } => {
                let mut file = ConfigFile::open(&path)?;
                file.set(key, value)?;
                file.save()?;
                app.out.info(&format!("Set {key} in {shown}"));
            }
            ConfigAction::Unset { key } => {
                let mut file = ConfigFile::open(&path)?;
                if file.unset(key)? {
                    file.save()?;
                    app.out.info(&format!("Removed {key} from {shown}"));
                } else {
                    app.out.info(&format!("{key} was not set in {shown}"));
                }
            }
        }
        Ok(())
    }
}

/// What a new config starts as in the editor: every key, commented out.
const SKELETON: &str = r#"# reply's config. Every key is optional; `reply config --help` lists them.
# agent = "Sam"                  # your name, as customers should see it
# brand = "Acme"
# lang = "en"                    # the language to answer in
# platform = "instagram"         # the platform to measure against
# output = "auto"                # auto, copy, print or both
# libraries = ["~/team-replies"] # above your own library, highest first
#
# [vars]
# signature = "The Acme team"
#
# [platforms.x]
# max_chars = 280
#
# [limits]
# render_time = "2s"
# render_output = "1MB"
"#;

/// A config edit in progress: the draft the editor opens and what the file
/// was when the edit began, both kept until the edit is saved or dropped.
struct Draft {
    path: PathBuf,
    /// A copy of the config as it was (absent: there was no config file).
    base: PathBuf,
}

impl Draft {
    fn new(app: &App<'_>) -> Result<Draft> {
        // Beside the reply drafts, not among them: those folders are ids.
        let folder = app.settings.state_dir.as_ref().ok_or_else(|| {
            Error::usage("cannot tell where drafts go: neither XDG_STATE_HOME nor HOME is set")
                .hint("set HOME or XDG_STATE_HOME")
        })?;
        let folder = folder.join("config-edit");
        Ok(Draft {
            path: folder.join("config.toml"),
            base: folder.join("base.toml"),
        })
    }

    fn exists(&self) -> bool {
        self.path.exists()
    }

    fn base(&self) -> Option<Vec<u8>> {
        fs::read_bytes(&self.base)
    }

    /// Starts a draft from the config as it is now (`None`: no file).
    fn start(&self, now: Option<&[u8]>) -> Result<()> {
        let write = |p: &Path, bytes: &[u8]| {
            fs::replace(p, bytes).map_err(|e| {
                Error::data(format!("cannot write the draft {}: {e}", p.display()))
                    .hint("nothing was changed")
            })
        };
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| {
                Error::data(format!("cannot create {}: {e}", folder.display()))
                    .hint("nothing was changed; check XDG_STATE_HOME")
            })?;
        }
        match now {
            Some(bytes) => write(&self.base, bytes)?,
            None => {
                let _ = std::fs::remove_file(&self.base);
            }
        }
        write(&self.path, now.unwrap_or(SKELETON.as_bytes()))
    }

    /// Takes the config as it is now as what the draft replaces.
    fn start_base(&self, now: Option<&[u8]>) -> Result<()> {
        match now {
            Some(bytes) => fs::replace(&self.base, bytes).map_err(|e| {
                Error::data(format!("cannot write {}: {e}", self.base.display()))
                    .hint("nothing was changed")
            }),
            None => {
                let _ = std::fs::remove_file(&self.base);
                Ok(())
            }
        }
    }

    fn discard(&self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_file(&self.base);
    }
}

/// `reply config edit`: the editor on a draft; saved only when valid, never
/// over a change made meanwhile; on any failure the draft stays.
fn edit(app: &mut App<'_>, path: &Path) -> Result<()> {
    if !author::may_open_editor(app) {
        return Err(Error::usage(
            "`reply config edit` opens an editor, and there is no terminal and no $EDITOR here",
        )
        .hint("set a key with `reply config set KEY VALUE`, or set EDITOR"));
    }
    let draft = Draft::new(app)?;
    let shown_draft = author::shown(app, &draft.path);
    let now = fs::read_bytes(path);
    if draft.exists() {
        if !app.interactive {
            return Err(Error::data(format!(
                "a draft of the config from an earlier `reply config edit` is kept at {shown_draft}"
            ))
            .hint("run `reply config edit` on a terminal to resume or discard it, or delete it"));
        }
        app.out.info(&format!(
            "A draft of the config from an earlier edit is kept at {shown_draft}."
        ));
        match ask::choose(
            app,
            "Resume it, discard it, or quit?",
            &[('r', "resume"), ('d', "discard"), ('q', "quit")],
            'q',
        ) {
            'r' => {
                if draft.base() != now {
                    app.out.info(
                        "The config changed since that draft was made: once saved, the draft \
                         replaces the file as it is now.",
                    );
                    draft.start_base(now.as_deref())?;
                }
            }
            'd' => draft.start(now.as_deref())?,
            _ => return Err(Error::Cancelled),
        }
    } else {
        draft.start(now.as_deref())?;
    }
    let mut line = 1;
    loop {
        if let Err(e) = editor::open(app, &draft.path, line) {
            return Err(kept(e, &shown_draft));
        }
        let Some(text) = fs::read_bytes(&draft.path) else {
            return Err(Error::data(format!(
                "the draft {shown_draft} is gone: nothing was saved"
            ))
            .hint("run `reply config edit` again"));
        };
        let base = draft.base();
        let unchanged = match &base {
            Some(b) => *b == text,
            None => text == SKELETON.as_bytes(),
        };
        if unchanged {
            draft.discard();
            app.out.info("No change: the config was left as it is.");
            return Ok(());
        }
        let Ok(text) = String::from_utf8(text) else {
            return Err(kept(
                Error::data("the config is not UTF-8 text: nothing was saved"),
                &shown_draft,
            ));
        };
        // Checked as the draft first, so errors point into the file the
        // editor shows.
        let done = config_edit::check(&text, &draft.path)
            .and_then(|()| config_edit::install(path, base.as_deref(), &text));
        match done {
            Ok(()) => {
                draft.discard();
                app.out.info(&format!(
                    "Saved {}",
                    sanitize(&path.display().to_string(), false)
                ));
                return Ok(());
            }
            Err(e) => {
                let at = e.diagnostic().and_then(|d| d.location).map(|l| l.line);
                if !app.interactive {
                    return Err(kept(e, &shown_draft));
                }
                app.out.report(&e);
                match ask::choose(
                    app,
                    "The config was not saved.",
                    &[
                        ('e', "edit again"),
                        ('k', "keep the draft"),
                        ('d', "discard it"),
                    ],
                    'k',
                ) {
                    'e' => line = at.unwrap_or(1),
                    'd' => {
                        draft.discard();
                        return Err(Error::Cancelled);
                    }
                    _ => return Err(kept(Error::Reported, &shown_draft)),
                }
            }
        }
    }
}

/// `e`, with where the draft is kept.
fn kept(e: Error, draft: &str) -> Error {
    let note = format!("your draft is kept at {draft}; `reply config edit` opens it again");
    match e {
        Error::Reported => Error::data(format!("the config was not saved: {note}")),
        e => e.note(note),
    }
}
