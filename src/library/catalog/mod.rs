//! The catalog: what list, search and render need to know about every reply
//! (id, titles, tags, where it lives, its text folded for search), without
//! the templates. It comes from the same scan as the full library, and is
//! cached (see `cache`): a changed, added or removed file is always read
//! again, so the cache is never stale. Suggest's term index (`terms`) is
//! built and cached on first use, from the same files.

mod cache;
mod entry;
mod read;
pub mod terms;

use std::collections::HashMap;

pub use cache::{Bodies, FileBodies, FileInfo, Problem, VARIANT_BREAK};
pub use entry::Entry;

use cache::{CachePaths, Stamp};
use read::{Read, bodies_of, file_info, read_file};

use super::Library;
use super::layers::{self, Layer, Role};
use super::scan::{self, Source};
use crate::diag::{Diagnostic, Location, Result};

pub struct Catalog {
    pub layers: Vec<Layer>,
    pub files: Vec<FileInfo>,
    /// Every reply in effect, highest layer first, then file order.
    pub entries: Vec<Entry>,
    /// Replies hidden by the same id in a higher layer.
    pub shadowed: Vec<Entry>,
    pub problems: Vec<Problem>,
    /// Ids defined twice in one layer where the first is in effect: rendering
    /// either would be a guess.
    conflicts: HashMap<String, Diagnostic>,
    index: HashMap<String, usize>,
    /// Folded bodies, loaded only when a search needs them.
    bodies: std::cell::OnceCell<Bodies>,
    /// Where the bodies come from when `bodies` is first asked for.
    source: std::cell::RefCell<BodiesSource>,
    /// The cache's files, `None` without a cache.
    cache: Option<CachePaths>,
    /// Suggest's term index, read or built on first use.
    terms: std::cell::OnceCell<terms::TermIndex>,
}

/// The bodies of the files: read in this run, or to be read from the cache.
enum BodiesSource {
    /// Everything is here (files read now, or the cache was just rewritten).
    Ready(Bodies),
    /// The cache holds the disk files' bodies (in the catalog's file order),
    /// in the bodies file whose checksum the index gave as `sum`; `extra`
    /// holds the starter library's, read in this run. `taken_ns`: when the
    /// stamps were taken, for rewriting the cache.
    Cache {
        paths: CachePaths,
        sum: u64,
        taken_ns: i128,
        extra: Vec<FileBodies>,
    },
    Taken,
}

/// A source with its stamp (disk files only).
struct Found {
    source: Source,
    stamp: Stamp,
}

impl Catalog {
    /// Builds the catalog for `layers`. `cache_dir`: where to keep the cache,
    /// `None` to read every file (the plain path, used to check the cache).
    pub fn load(
        layers: Vec<Layer>,
        default_lang: &str,
        cache_dir: Option<&std::path::Path>,
    ) -> Result<Catalog> {
        layers::check_named(&layers)?;
        // Before any file is looked at: see `cache::now_ns`.
        let taken_ns = cache::now_ns();
        let scan = scan::scan(&layers, default_lang);
        let mut problems: Vec<Problem> = scan.problems.iter().map(Problem::from).collect();
        let (disk, starter): (Vec<Source>, Vec<Source>) =
            scan.sources.into_iter().partition(|s| s.path.is_some());
        let found: Vec<Found> = disk
            .into_iter()
            .map(|source| {
                let stamp = source.path.as_deref().map_or(Stamp::UNKNOWN, Stamp::of);
                Found { source, stamp }
            })
            .collect();

        let paths = cache_dir.map(|d| CachePaths::new(d, &layers, default_lang));
        let cache = paths.clone();
        let index = paths.as_ref().and_then(CachePaths::read_index);
        let (old_taken, old_sum, old_count) = index
            .as_ref()
            .map_or((0, 0, 0), |i| (i.taken_ns, i.bodies, i.files.len()));
        let mut old: HashMap<std::path::PathBuf, (usize, FileInfo)> = HashMap::new();
        for (i, f) in index.into_iter().flat_map(|i| i.files).enumerate() {
            if let Some(p) = f.path.clone() {
                old.insert(p, (i, f));
            }
        }

        // Trust what the stamps prove unchanged; read the rest, with what was
        // cached of it (if it was read with the same language) to compare.
        let mut files: Vec<Option<FileInfo>> = Vec::with_capacity(found.len());
        let mut reused_from: Vec<Option<usize>> = Vec::with_capacity(found.len());
        let mut to_read = Vec::new();
        for (i, f) in found.iter().enumerate() {
            let key = f.source.path.clone().unwrap_or_default();
            let cached = old
                .remove(&key)
                .filter(|(_, info)| info.lang == f.source.lang && info.layer == f.source.layer);
            match cached {
                Some((oi, info)) if info.stamp.proves_unchanged(&f.stamp, old_taken) => {
                    files.push(Some(info));
                    reused_from.push(Some(oi));
                }
                cached => {
                    files.push(None);
                    reused_from.push(None);
                    to_read.push((i, cached));
                }
            }
        }
        // A cached file that is gone: rewrite the cache.
        let mut dirty = !old.is_empty();

        let mut fresh: Vec<Option<FileBodies>> = vec![None; found.len()];
        // Read, parse and summarise in the workers, so that no more than a
        // file's text and replies per thread are alive at once.
        let read = crate::util::parallel::map(to_read, |(i, cached)| {
            let f = &found[i];
            (i, read_file(&f.source, f.stamp, cached))
        });
        for (i, outcome) in read {
            match outcome {
                Read::Same(oi, mut info) => {
                    // Rewriting is worth it only if the stamp will then prove
                    // the file unchanged (not for a time in the future, nor
                    // for a file that cannot be read).
                    if info.content.is_some() {
                        dirty |= found[i].stamp.would_prove(taken_ns);
                        info.stamp = found[i].stamp;
                    }
                    files[i] = Some(info);
                    reused_from[i] = Some(oi);
                }
                Read::New(info, bodies) => {
                    dirty = true;
                    files[i] = Some(info);
                    fresh[i] = Some(bodies);
                }
            }
        }
        // The bodies file is in the index's file order: trusted as it is
        // only when the files are in that same order.
        dirty |= reused_from
            .iter()
            .enumerate()
            .any(|(i, r)| r.is_some_and(|oi| oi != i));
        let mut files: Vec<FileInfo> = files.into_iter().flatten().collect();

        // The starter library is built in: read it each time (it is small).
        let mut starter_bodies = Vec::new();
        for source in &starter {
            let (info, bodies) = file_info(source, Stamp::UNKNOWN, source.read());
            files.push(info);
            starter_bodies.push(bodies);
        }
        let disk_files = found.len();

        let source = match paths {
            // No cache: everything was read now.
            None => {
                let mut b = Bodies::default();
                for f in fresh
                    .into_iter()
                    .chain(starter_bodies.into_iter().map(Some))
                {
                    b.push_file(f.unwrap_or_default());
                }
                BodiesSource::Ready(b)
            }
            Some(paths) if dirty => {
                let old_bodies = if reused_from.iter().any(Option::is_some) {
                    paths
                        .read_bodies(old_sum)
                        .filter(|b| b.files.len() == old_count)
                } else {
                    None
                };
                // Bodies the cache should have had but lost: read again now,
                // or this run's search would miss what is in them.
                let lost: Vec<usize> = (0..disk_files)
                    .filter(|&i| fresh[i].is_none() && old_bodies.is_none())
                    .collect();
                let sources: Vec<Source> = lost.iter().map(|&i| found[i].source.clone()).collect();
                for (i, fb) in lost.into_iter().zip(bodies_of(sources)) {
                    fresh[i] = Some(fb);
                }
                let mut b = Bodies::default();
                for (i, f) in fresh.into_iter().enumerate() {
                    match (f, reused_from[i], &old_bodies) {
                        (Some(v), _, _) => b.push_file(v),
                        (None, Some(oi), Some(ob)) => b.push_file(ob.file(oi)),
                        _ => b.push_file(FileBodies::default()),
                    }
                }
                // A cache that cannot be written only costs speed.
                let _ = paths.write(&files[..disk_files], &b, taken_ns);
                for s in starter_bodies {
                    b.push_file(s);
                }
                BodiesSource::Ready(b)
            }
            Some(paths) => BodiesSource::Cache {
                paths,
                sum: old_sum,
                taken_ns,
                extra: starter_bodies,
            },
        };

        problems.extend(files.iter().flat_map(|f| f.problems.iter().cloned()));
        let mut cat = Catalog {
            layers,
            files: Vec::new(),
            entries: Vec::new(),
            shadowed: Vec::new(),
            problems,
            conflicts: HashMap::new(),
            index: HashMap::new(),
            bodies: std::cell::OnceCell::new(),
            source: std::cell::RefCell::new(source),
            cache,
            terms: std::cell::OnceCell::new(),
        };
        cat.assemble(files);
        Ok(cat)
    }

    /// Applies layering: a higher layer shadows, a duplicate within a layer is an error.
    fn assemble(&mut self, mut files: Vec<FileInfo>) {
        let mut all = Vec::new();
        for (fi, f) in files.iter_mut().enumerate() {
            for (k, e) in f.entries.iter().enumerate() {
                let mut e = e.clone();
                e.file = fi as u32;
                e.nth = k as u32;
                all.push(e);
            }
        }
        let roles = layers::roles(all.iter().map(|e| (e.id(), files[e.file as usize].layer)));
        let place = |e: &Entry| Location {
            column: e.column as usize,
            ..Location::line(&files[e.file as usize].name, e.line as usize)
        };
        for (i, role) in roles.iter().enumerate() {
            if let Role::Duplicate { first } = role {
                let (e, f) = (&all[i], &all[*first]);
                let d = layers::duplicate(e.id(), place(e), &place(f));
                self.problems.push(Problem::from(&d));
                // Ambiguous only if the first one is the reply in effect.
                if roles[*first] == Role::InEffect {
                    self.conflicts.insert(e.id().to_string(), d);
                }
            }
        }
        for (e, role) in all.into_iter().zip(roles) {
            match role {
                Role::InEffect => {
                    self.index.insert(e.id().to_string(), self.entries.len());
                    self.entries.push(e);
                }
                Role::Shadowed => self.shadowed.push(e),
                Role::Duplicate { .. } => {}
            }
        }
        self.files = files;
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    /// Where the reply in effect with this id is in `entries`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// When `id` is unknown: the problems of a file that has errors and seems to
    /// define it (a `[id]` header), so the person learns why it is missing
    /// instead of "no such reply".
    pub fn broken_home(&self, id: &str) -> Option<Diagnostic> {
        let headers = [format!("[{id}]"), format!("[{id}."), format!("[\"{id}\"]")];
        self.files
            .iter()
            .filter(|f| f.problems.iter().any(|p| p.error))
            .find_map(|f| {
                let text = self.source_of(f).read().ok()?;
                text.lines()
                    .any(|l| {
                        headers
                            .iter()
                            .any(|h| l.trim_start().starts_with(h.as_str()))
                    })
                    .then(|| {
                        let mut d = Diagnostic::error(
                            "broken-file",
                            format!("reply `{id}` is in {}, which has errors:", f.name),
                        );
                        d.related = f
                            .problems
                            .iter()
                            .filter(|p| p.error)
                            .map(|p| p.text.clone())
                            .collect();
                        d
                    })
            })
    }

    /// The error that makes an id ambiguous (defined twice in one layer).
    pub fn conflict(&self, id: &str) -> Option<&Diagnostic> {
        self.conflicts.get(id)
    }

    pub fn file(&self, e: &Entry) -> &FileInfo {
        &self.files[e.file as usize]
    }

    pub fn layer(&self, e: &Entry) -> &Layer {
        &self.layers[self.file(e).layer]
    }

    fn source_of(&self, f: &FileInfo) -> Source {
        Source {
            name: f.name.clone(),
            path: f.path.clone(),
            layer: f.layer,
            lang: f.lang.clone(),
        }
    }

    /// Folded bodies for search, read on first use, so an exact-id render
    /// never pays for them.
    pub fn bodies(&self) -> &Bodies {
        self.bodies.get_or_init(|| {
            let source = std::mem::replace(&mut *self.source.borrow_mut(), BodiesSource::Taken);
            let disk_files = self.files.iter().filter(|f| f.path.is_some()).count();
            let mut b = match source {
                BodiesSource::Ready(b) => b,
                BodiesSource::Cache {
                    paths,
                    sum,
                    taken_ns,
                    extra,
                } => {
                    // A missing, damaged or mismatched bodies cache: read the
                    // files again (results never depend on the cache), and
                    // write both cache files anew from what was read.
                    let mut b = paths
                        .read_bodies(sum)
                        .filter(|b| b.files.len() == disk_files)
                        .unwrap_or_else(|| {
                            let files: Vec<Source> = self.files[..disk_files]
                                .iter()
                                .map(|f| self.source_of(f))
                                .collect();
                            let mut b = Bodies::default();
                            for fb in bodies_of(files) {
                                b.push_file(fb);
                            }
                            let _ = paths.write(&self.files[..disk_files], &b, taken_ns);
                            b
                        });
                    for e in extra {
                        b.push_file(e);
                    }
                    b
                }
                BodiesSource::Taken => Bodies::default(),
            };
            b.index_entries(
                self.entries
                    .iter()
                    .map(|e| (e.file as usize, e.nth as usize)),
            );
            b
        })
    }

    /// Reads the one file that holds `entry`, fully (templates, spans), for
    /// rendering or showing it.
    pub fn open(&self, entry: &Entry) -> Library {
        Library::load_one(self.layers.clone(), &self.source_of(self.file(entry)))
    }
}
