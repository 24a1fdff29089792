//! `reply new ID`: write a new reply at the end of a library file. With
//! `--body` (or `--body-file`) and `--title` it is built from the flags;
//! otherwise the editor opens on a commented skeleton the flags fill in.
//! Either way it is checked with the whole file before it is written, and a
//! draft that does not pass is kept.

use std::path::PathBuf;

use super::author::{self, Start, shown};
use super::mv::{check_new_id, refuse_taken};
use super::{App, Run, ask};
use crate::cli::NewArgs;
use crate::diag::{Error, Result};
use crate::library::edit::skeleton::{self, NewReply};
use crate::library::edit::{Draft, Kind, Meta};
use crate::library::parse;
use crate::util::escape::sanitize;

impl Run for NewArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        check_new_id(&self.id)?;
        if let Some(l) = &self.lang
            && !parse::valid_lang(l)
        {
            return Err(
                Error::usage(format!("`{}` is not a language code", sanitize(l, false)))
                    .hint("use a code such as `en`, `es` or `pt-br`"),
            );
        }
        let rel = self
            .file
            .file
            .clone()
            .unwrap_or_else(|| default_file(&self.tags));
        author::check_file_name(&rel)?;
        let body = match (&self.body, &self.body_file) {
            (Some(b), _) => Some(b.clone()),
            (None, Some(f)) => Some(read_body(f)?),
            (None, None) => None,
        };
        // Everything the command line alone can refuse, before anything is touched.
        if body.is_some() && self.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(Error::usage("a new reply needs a title: give --title")
                .hint("it is what people search and list, e.g. --title \"Order delayed\""));
        }
        if body.is_none() && !author::may_open_editor(app) {
            return Err(
                Error::usage("no body given, and no terminal to open an editor on").hint(
                    "give --title and --body (or --body-file FILE, `-` for stdin); or run it on a terminal",
                ),
            );
        }
        let lib = author::chosen_library(app, None)?;
        refuse_taken(app, &lib, &self.id)?;
        let file = author::file_in(&lib, &rel)?;
        let reply = NewReply {
            id: self.id.clone(),
            title: self.title.clone().unwrap_or_default(),
            body: body.clone().unwrap_or_default(),
            tags: self.tags.clone(),
            lang: self.lang.as_ref().map(|l| l.to_ascii_lowercase()),
            public: self.public.clone(),
            platforms: self
                .platforms
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect(),
        };
        let drafts = author::drafts(app)?;
        if let Some(old) = drafts.find(&self.id)?
            && let Some(resumed) = offer_resume(app, &old)?
        {
            return resumed;
        }
        let meta = |skeleton: Option<String>| Meta {
            id: self.id.clone(),
            kind: Kind::New,
            library: lib.dir.clone(),
            file: file.clone(),
            skeleton,
        };
        if body.is_some() {
            let draft = drafts.create(meta(None), &skeleton::reply_text(&reply), None)?;
            return author::session(app, &lib, &draft, Start::Given);
        }
        let text = skeleton::skeleton(&reply, &shown(app, &file));
        let line = text
            .lines()
            .position(|l| l.starts_with("title = "))
            .map_or(1, |i| i + 1);
        let draft = drafts.create(meta(Some(text.clone())), &text, None)?;
        author::session(app, &lib, &draft, Start::Editor(line))
    }
}

/// The file named after the first tag (`orders.toml`), else `replies.toml`.
fn default_file(tags: &[String]) -> PathBuf {
    match tags.first().map(|t| t.to_lowercase()) {
        Some(t) if parse::valid_id(&t) => PathBuf::from(format!("{t}.toml")),
        _ => PathBuf::from("replies.toml"),
    }
}

fn read_body(path: &str) -> Result<String> {
    use std::io::Read;
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin()
            .lock()
            .take(crate::util::fs::MAX_TEXT_FILE)
            .read_to_string(&mut text)
            .map(|_| ())
    } else {
        crate::util::fs::read_text(std::path::Path::new(path)).map(|t| text = t)
    };
    read.map_err(|e| {
        Error::data(format!(
            "cannot read the body from {}: {e}",
            if path == "-" { "stdin" } else { path }
        ))
    })?;
    Ok(text)
}

/// A draft of this id is kept already: on a terminal, offer to go on with
/// it (`Some`: what that did) or drop it (`None`: start again); without one,
/// an error, since starting again would throw it away.
pub fn offer_resume(app: &mut App<'_>, old: &Draft) -> Result<Option<Result<()>>> {
    let id = &old.meta.id;
    if !app.interactive {
        return Err(Error::usage(format!(
            "a draft of `{id}` is kept at {}",
            shown(app, &old.path)
        ))
        .hint(format!(
            "`reply edit {id} --resume` goes on with it; delete the folder {} to start again",
            shown(app, old.folder())
        )));
    }
    let question = format!(
        "A draft of `{}` is kept at {}.",
        sanitize(id, false),
        shown(app, &old.path)
    );
    match ask::choose(
        app,
        &question,
        &[
            ('r', "resume it"),
            ('d', "discard it and start again"),
            ('q', "quit"),
        ],
        'q',
    ) {
        'r' => Ok(Some(super::edit::resume(app, old))),
        'd' => {
            old.discard()?;
            Ok(None)
        }
        _ => Err(Error::usage("nothing was done; the draft is kept")),
    }
}
