//! The library: which folders replies come from (layers), the one scan of
//! their files, reading and parsing them (model, parse), and the catalog that
//! list, search and render use, with its cache. [`Library`] is the full read
//! (templates and their positions), for `check` and for the one file a render
//! or `show` needs.

pub mod catalog;
pub mod edit;
pub mod layers;
pub mod model;
pub mod parse;
pub mod scan;
pub mod starter;
pub mod tomlstr;

use std::collections::HashMap;

pub use catalog::{Catalog, Entry};
pub use layers::{Layer, LayerKind, Role, layers, roles};
pub use model::{Part, Reply, ReplyTest, Text, Value, VarKind, VarSpec, Variant, valid_var_name};
pub use scan::Source;

use crate::diag::{Diagnostic, Location, Result};

/// A file the library was read from, kept so errors can quote its lines.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to people (`starter:orders.toml` for built-in files).
    pub name: String,
    pub text: String,
    pub layer: usize,
    /// Built on the first diagnostic's location, once per file.
    lines: std::sync::OnceLock<crate::diag::Lines>,
}

impl SourceFile {
    pub fn new(name: String, text: String, layer: usize) -> SourceFile {
        SourceFile {
            name,
            text,
            layer,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// The location of a byte range of the file's text.
    pub fn location(&self, range: std::ops::Range<usize>) -> Location {
        self.lines
            .get_or_init(|| crate::diag::Lines::new(&self.text))
            .at(&self.name, &self.text, range)
    }
}

#[derive(Debug, Default)]
pub struct Library {
    pub layers: Vec<Layer>,
    pub files: Vec<SourceFile>,
    /// Every reply in effect, highest layer first, then file order.
    pub replies: Vec<Reply>,
    /// Replies hidden by a reply with the same id in a higher layer.
    pub shadowed: Vec<Reply>,
    /// Problems found while reading: reported, never fatal for the other replies.
    pub diagnostics: Vec<Diagnostic>,
    index: HashMap<String, usize>,
}

impl Library {
    /// Reads every file of every existing layer. Problems in files become diagnostics.
    pub fn load(layers: Vec<Layer>, default_lang: &str) -> Result<Library> {
        layers::check_named(&layers)?;
        let scan = scan::scan(&layers, default_lang);
        let mut lib = Library {
            diagnostics: scan.problems,
            ..Library::default()
        };
        let parsed = crate::util::parallel::map(scan.sources, |source| {
            let read = source
                .read()
                .map(|t| (parse::parse_file(&source.name, &t, &source.lang), t));
            (source, read)
        });
        lib.layers = layers;
        for (source, read) in parsed {
            lib.push_file(&source, read);
        }
        lib.finish();
        Ok(lib)
    }

    /// The library `layers` would be once `text` is written at `path` (a file
    /// of one of them, there or not yet): every other file read from disk,
    /// `text` in place of that one and shown as `shown_as` (a draft's path,
    /// so that diagnostics point at the file being edited).
    pub fn load_with(
        layers: Vec<Layer>,
        default_lang: &str,
        path: &std::path::Path,
        shown_as: &str,
        text: &str,
    ) -> Result<Library> {
        layers::check_named(&layers)?;
        let mut scan = scan::scan(&layers, default_lang);
        let at = scan
            .sources
            .iter()
            .position(|s| s.path.as_deref() == Some(path));
        let target = match at {
            Some(i) => scan.sources.remove(i),
            None => {
                // A new file: in the layer whose folder holds it, read in that
                // layer's language (its settings file, else the default).
                let layer = layers
                    .iter()
                    .position(|l| l.path.as_deref().is_some_and(|d| path.starts_with(d)))
                    .unwrap_or(0);
                let lang = layers
                    .get(layer)
                    .and_then(|l| l.path.as_deref())
                    .and_then(|d| scan::read_settings(d).ok())
                    .and_then(|s| s.lang)
                    .unwrap_or_else(|| default_lang.to_string());
                Source {
                    name: String::new(),
                    path: Some(path.to_path_buf()),
                    layer,
                    lang,
                }
            }
        };
        let target = Source {
            name: shown_as.to_string(),
            ..target
        };
        let mut lib = Library {
            diagnostics: scan.problems,
            ..Library::default()
        };
        // File order decides which of two duplicates is "first": keep the
        // edited file where the scan would put it.
        let mut sources = scan.sources;
        let slot = sources
            .iter()
            .position(|s| (s.layer, s.path.as_deref()) > (target.layer, target.path.as_deref()))
            .unwrap_or(sources.len());
        sources.insert(slot, target.clone());
        let parsed = crate::util::parallel::map(sources, |source| {
            let read = if source == target {
                Ok(text.to_string())
            } else {
                source.read()
            }
            .map(|t| (parse::parse_file(&source.name, &t, &source.lang), t));
            (source, read)
        });
        lib.layers = layers;
        for (source, read) in parsed {
            lib.push_file(&source, read);
        }
        lib.finish();
        Ok(lib)
    }

    /// A library holding the one file `source`: what rendering or showing a
    /// reply needs, without reading the others.
    pub fn load_one(layers: Vec<Layer>, source: &Source) -> Library {
        let read = source
            .read()
            .map(|t| (parse::parse_file(&source.name, &t, &source.lang), t));
        let mut lib = Library {
            layers,
            ..Library::default()
        };
        lib.push_file(source, read);
        lib.finish();
        lib
    }

    fn push_file(&mut self, source: &Source, read: std::io::Result<(parse::ParsedFile, String)>) {
        match read {
            Ok((p, text)) => {
                let file = self.files.len();
                self.files
                    .push(SourceFile::new(source.name.clone(), text, source.layer));
                self.diagnostics.extend(p.diagnostics);
                for mut r in p.replies {
                    r.file = file;
                    self.replies.push(r);
                }
            }
            Err(e) => self.diagnostics.push(unreadable(&source.name, &e)),
        }
    }

    /// Applies layering to the replies read so far (in layer order).
    fn finish(&mut self) {
        let all = std::mem::take(&mut self.replies);
        let roles = roles(
            all.iter()
                .map(|r| (r.id.as_str(), self.files[r.file].layer)),
        );
        // Positions only for duplicates: finding a line is a scan of the file.
        let first_locations: HashMap<usize, Location> = roles
            .iter()
            .filter_map(|r| match r {
                Role::Duplicate { first } => Some((*first, self.location(&all[*first]))),
                _ => None,
            })
            .collect();
        for (reply, role) in all.into_iter().zip(&roles) {
            match role {
                Role::InEffect => {
                    self.index.insert(reply.id.clone(), self.replies.len());
                    self.replies.push(reply);
                }
                Role::Shadowed => self.shadowed.push(reply),
                Role::Duplicate { first } => {
                    let d = layers::duplicate(
                        &reply.id,
                        self.location(&reply),
                        &first_locations[first],
                    );
                    self.diagnostics.push(d);
                }
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&Reply> {
        self.index.get(id).map(|&i| &self.replies[i])
    }

    pub fn file(&self, reply: &Reply) -> &SourceFile {
        &self.files[reply.file]
    }

    /// Where a reply is defined: its table header.
    pub fn location(&self, reply: &Reply) -> Location {
        let f = self.file(reply);
        f.location(reply.span.clone())
    }

    /// The location of a byte inside a template text, through TOML escapes.
    pub fn text_location(
        &self,
        reply: &Reply,
        text: &Text,
        offset: std::ops::Range<usize>,
    ) -> Location {
        let f = self.file(reply);
        let token = f.text.get(text.span.clone()).unwrap_or("");
        let start = text.span.start + tomlstr::raw_offset(token, offset.start);
        let end = text.span.start + tomlstr::raw_offset(token, offset.end);
        f.location(start..end.max(start + 1))
    }

    /// The first few bytes of a text, for diagnostics about the text as a whole.
    pub fn text_start(&self, reply: &Reply, text: &Text) -> Location {
        let f = self.file(reply);
        f.location(text.span.start..text.span.start + 3.min(text.span.len()))
    }

    /// Whether the reply is in a layer nobody can edit (the built-in starter library).
    pub fn read_only(&self, reply: &Reply) -> bool {
        self.layers
            .get(self.file(reply).layer)
            .is_some_and(|l| l.kind == LayerKind::Starter)
    }
}

/// The problem of a file that could not be read.
pub fn unreadable(name: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot read {name}: {e}"))
        .hint("check the file's permissions; the other files were read")
}
