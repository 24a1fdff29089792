//! `reply import FORMAT SOURCE`: replies from another tool into a library.
//! The source is read and converted (`convert::import`), each reply given an
//! id no reply of the library has, the new text checked as `check` would
//! (a reply with an error is left out and said), the plan shown (and on a
//! terminal, asked about), and the file written through the one install
//! path: locked, validated again, atomic.

mod plan;

use plan::{Planned, assign, confirm, plan, report_json, show_warnings};

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::author::{self, Writable, shown};
use super::{App, Run};
use crate::cli::{ImportArgs, ImportFormat};
use crate::convert::import::{self, Options, csv::known_field};
use crate::convert::source::{self, SourceFile};
use crate::convert::{Converted, Format, Item, Skipped, slug};
use crate::diag::{Error, Result};
use crate::library::edit::{self, Refusal, doc};
use crate::library::{LayerKind, Library, parse, starter};
use crate::util::escape::sanitize;

fn format_of(f: ImportFormat) -> Format {
    match f {
        ImportFormat::Espanso => Format::Espanso,
        ImportFormat::Csv => Format::Csv,
        ImportFormat::Markdown => Format::Markdown,
        ImportFormat::Json => Format::Json,
        ImportFormat::Pet => Format::Pet,
    }
}

/// `--map COLUMN=FIELD`, checked.
fn map_of(args: &[String]) -> Result<Vec<(String, String)>> {
    args.iter()
        .map(|m| {
            let (c, f) = m.split_once('=').ok_or_else(|| {
                Error::usage(format!(
                    "`--map {}` is not COLUMN=FIELD",
                    sanitize(m, false)
                ))
                .hint("e.g. --map Comment=body --map 'Macro name=title'")
            })?;
            if !known_field(f) {
                return Err(Error::usage(format!(
                    "`{}` is not a field an import fills",
                    sanitize(f, false)
                ))
                .hint(format!(
                    "one of {}",
                    crate::convert::import::csv::FIELDS.join(", ")
                )));
            }
            Ok((c.to_string(), f.to_string()))
        })
        .collect()
}

fn read_source(app: &App<'_>, path: &Path, format: Format) -> Result<Vec<SourceFile>> {
    if path.as_os_str() == "-" {
        use std::io::Read;
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(crate::util::fs::MAX_TEXT_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::data(format!("cannot read stdin: {e}")))?;
        if bytes.len() as u64 > crate::util::fs::MAX_TEXT_FILE {
            return Err(Error::data(
                "stdin holds more than 16 MB, the most reply reads",
            ));
        }
        return Ok(vec![source::from_bytes("stdin", &bytes)]);
    }
    let exts = import::extensions(format);
    let files = source::read(path, exts).map_err(|u| {
        Error::data(format!(
            "cannot read {}: {}",
            shown(app, &u.path),
            sanitize(&u.reason, false)
        ))
        .hint("give a file, or a folder that holds the files to import")
    })?;
    if files.is_empty() {
        return Err(Error::data(format!(
            "{} holds no {} file to import",
            shown(app, path),
            exts.iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    Ok(files)
}

/// The file the replies go to when `--file` names none: named after the
/// source (`macros.csv` → `macros.toml`).
fn default_file(source: &Path, format: Format) -> PathBuf {
    let stem = source
        .file_stem()
        .map(|s| slug::slug(&s.to_string_lossy()))
        .filter(|s| !s.is_empty() && source.as_os_str() != "-")
        .unwrap_or_else(|| format.name().to_string());
    PathBuf::from(format!("{stem}.toml"))
}

/// The ids the library has now, and the starter library's when writing
/// creates it (they are copied in first).
fn taken_ids(app: &App<'_>, lib: &Writable) -> Result<HashSet<String>> {
    let mut ids = HashSet::new();
    if lib.dir.is_dir() {
        let l = Library::load(vec![lib.layer.clone()], &app.settings.library_lang)?;
        ids.extend(l.replies.iter().chain(&l.shadowed).map(|r| r.id.clone()));
    } else if lib.layer.kind == LayerKind::User
        && app
            .settings
            .layers
            .iter()
            .any(|l| l.kind == LayerKind::Starter && l.exists)
    {
        for (name, text) in starter::STARTER {
            let p = parse::parse_file(name, text, "en");
            ids.extend(p.replies.into_iter().map(|r| r.id));
        }
    }
    Ok(ids)
}

impl Run for ImportArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let format = format_of(self.format);
        let options = Options {
            map: map_of(&self.map)?,
        };
        if !options.map.is_empty() && format != Format::Csv {
            return Err(Error::usage("--map is for CSV imports"));
        }
        let rel = self
            .file
            .file
            .clone()
            .unwrap_or_else(|| default_file(&self.source, format));
        author::check_file_name(&rel)?;
        let files = read_source(app, &self.source, format)?;
        let lib = author::chosen_library(app, self.into.as_deref())?;
        if lib.layer.kind == LayerKind::Starter {
            return Err(author::read_only_error(None));
        }
        let file = author::file_in(&lib, &rel)?;
        let Converted { items, mut skipped } = import::convert(format, &files, &options);
        for f in files.iter().filter(|f| f.encoding.is_some()) {
            app.out.info(&format!(
                "{} was read as {}.",
                sanitize(&f.name, false),
                f.encoding.unwrap_or("")
            ));
        }
        let existing = taken_ids(app, &lib)?;
        let mut planned = assign(items, &existing);
        let source_name = if self.source.as_os_str() == "-" {
            "stdin".to_string()
        } else {
            app.settings.show_path(&self.source)
        };
        let current = match crate::util::fs::read_text(&file) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Error::data(format!(
                    "cannot read {}: {e}",
                    shown(app, &file)
                )));
            }
        };
        let name = file.display().to_string();
        let text_of = |planned: &[Planned]| {
            let items: Vec<Item> = planned.iter().map(|p| p.item.clone()).collect();
            crate::convert::toml::file_text(&items)
        };
        // A reply the checks refuse is left out (and said); the others go in.
        let mut warnings = Vec::new();
        for _ in 0..3 {
            if planned.is_empty() {
                break;
            }
            let combined = doc::append(current.as_deref().unwrap_or(""), &text_of(&planned));
            let diagnostics = author::judge(app, &lib, &file, &name, &combined);
            let ours: HashSet<&str> = planned.iter().map(|p| p.item.id.as_str()).collect();
            let mut bad: BTreeMap<String, String> = BTreeMap::new();
            let mut foreign = Vec::new();
            for d in diagnostics.iter().filter(|d| d.is_error()) {
                match d.reply.as_deref().filter(|r| ours.contains(r)) {
                    Some(r) => {
                        bad.entry(r.to_string())
                            .or_insert_with(|| d.message.clone());
                    }
                    None => foreign.push(d.clone()),
                }
            }
            if !foreign.is_empty() {
                author::show_diagnostics(app, &foreign);
                return Err(Error::data(format!(
                    "{} has errors of its own: nothing was imported",
                    shown(app, &file)
                ))
                .hint("fix the file first (`reply check` lists its problems), or import into another with --file"));
            }
            if bad.is_empty() {
                warnings = diagnostics;
                break;
            }
            planned.retain(|p| match bad.get(&p.item.id) {
                Some(why) => {
                    skipped.push(Skipped {
                        origin: p.item.origin.clone(),
                        reason: format!("it would not pass `reply check`: {why}"),
                    });
                    false
                }
                None => true,
            });
        }
        let write = !self.dry_run && !planned.is_empty();
        if self.json.json {
            if write && !confirm(app, self, &planned, &file)? {
                return Ok(());
            }
        } else {
            plan(app, &planned, &skipped, &file, &source_name, format)?;
            if planned.is_empty() {
                return Err(Error::data(format!(
                    "nothing in {} could be imported",
                    sanitize(&source_name, false)
                )));
            }
            if self.dry_run {
                app.out.info("Dry run: nothing was written.");
                return Ok(());
            }
            if !confirm(app, self, &planned, &file)? {
                return Ok(());
            }
        }
        let mut written = false;
        if write {
            let text = text_of(&planned);
            author::materialize(app, &lib)?;
            let result = edit::install(
                &lib.target(&file),
                Some(current.as_deref()),
                |cur| Ok(doc::append(cur.unwrap_or(""), &text)),
                |t| author::judge(app, &lib, &file, &name, t),
            );
            match result {
                Ok(done) => {
                    warnings = done.warnings;
                    written = true;
                }
                Err(Refusal::Changed) => {
                    return Err(Error::data(format!(
                        "{} changed while the import was being prepared: nothing was written",
                        shown(app, &file)
                    ))
                    .hint("run the import again"));
                }
                Err(Refusal::Invalid(d)) => {
                    author::show_diagnostics(app, &d);
                    return Err(Error::data(format!(
                        "the library changed while the import was being prepared, and {} would have errors: nothing was written",
                        shown(app, &file)
                    ))
                    .hint("run the import again"));
                }
                Err(Refusal::Failed(e)) => return Err(e),
            }
        }
        if self.json.json {
            report_json(
                app, self, &planned, &skipped, &warnings, &lib, &file, written,
            )?;
            if planned.is_empty() {
                return Err(Error::data(format!(
                    "nothing in {} could be imported",
                    sanitize(&source_name, false)
                )));
            }
            return Ok(());
        }
        if written {
            app.out.info(&format!(
                "Imported {} repl{} into {}.",
                planned.len(),
                if planned.len() == 1 { "y" } else { "ies" },
                shown(app, &file)
            ));
            show_warnings(app, &warnings, &file);
            author::after_write(app, &file, &[]);
        }
        Ok(())
    }
}
