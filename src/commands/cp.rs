//! `reply cp ID NEW [--to LIBRARY] [--file NAME.toml]`: copy a reply (its
//! tables and their comments, renamed) to the end of a file of a library:
//! your own by default, in the file of the same name as the original's. A
//! copy with the same id in a higher library shadows the original, and the
//! command says so. The language the reply was read in goes with it.

use std::path::PathBuf;

use super::author::{self, after_write, shadowing, shown};
use super::mv::{check_new_id, refuse_taken};
use super::{App, Run};
use crate::cli::CpArgs;
use crate::diag::{Error, Result};
use crate::find;
use crate::library::edit::doc;
use crate::library::{LayerKind, parse, scan};
use crate::util::escape::sanitize;

impl Run for CpArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        check_new_id(&self.new)?;
        let cat = app.catalog(false)?;
        let entry = find::exact(&cat, &self.id)?;
        let source = find::open(&cat, entry)?;
        let reply = source
            .get(&self.id)
            .ok_or_else(|| Error::data(format!("reply `{}` could not be read", self.id)))?;
        let text = source.file(reply).text.clone();
        let lang = reply.lang().to_string();
        let layer = cat.layer(entry).clone();
        let from_starter = layer.kind == LayerKind::Starter;
        // The same file name in the other library, by default.
        let rel: PathBuf = match (&cat.file(entry).path, &layer.path) {
            (Some(p), Some(dir)) => p.strip_prefix(dir).unwrap_or(p).to_path_buf(),
            _ => PathBuf::from(
                cat.file(entry)
                    .name
                    .strip_prefix("starter:")
                    .unwrap_or("replies.toml"),
            ),
        };
        let target = author::library(app, self.to.as_deref())?;
        let file = author::file_in(&target, self.file.file.as_deref().unwrap_or(&rel))?;
        if from_starter && self.new == self.id && target.layer.kind == LayerKind::User {
            // Making your own library copies the starter library in: the
            // reply is there already, yours to change.
            author::materialize(app, &target)?;
            let l = crate::library::Library::load(
                vec![target.layer.clone()],
                &app.settings.library_lang,
            )?;
            if let Some(r) = l.get(&self.new) {
                let loc = l.location(r);
                app.out.info(&format!(
                    "`{}` is in {}:{} now, yours to change (`reply edit {}`).",
                    sanitize(&self.new, false),
                    sanitize(&loc.file, false),
                    loc.line,
                    sanitize(&self.new, false)
                ));
                return Ok(());
            }
        }
        refuse_taken(app, &target, &self.new)?;
        let snippet = doc::extract(&text, &self.id, &self.new)?;
        let layer_lang = scan::read_settings(&target.dir)
            .ok()
            .and_then(|s| s.lang)
            .unwrap_or_else(|| app.settings.library_lang.clone());
        let new = self.new.clone();
        let done = author::change(app, &target, &file, |current| {
            let current = current.unwrap_or("");
            let combined = doc::append(current, &snippet);
            let read_as = parse::parse_file("copy", &combined, &layer_lang)
                .replies
                .into_iter()
                .find(|r| r.id == new)
                .map(|r| r.lang().to_string());
            if read_as.is_some_and(|l| l != lang) {
                // The file or library it lands in has another language.
                let field = format!("lang = {}", toml_edit::Value::from(lang.as_str()));
                return Ok(doc::append(
                    current,
                    &doc::with_field(&snippet, &new, &field)?,
                ));
            }
            Ok(combined)
        })?;
        app.out.info(&format!(
            "Copied `{}` to `{}` in {}.",
            sanitize(&self.id, false),
            sanitize(&self.new, false),
            shown(app, &file)
        ));
        after_write(app, &file, &done.warnings);
        shadowing(app, &self.new, &file)
    }
}
