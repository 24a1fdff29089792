//! The catalog: what list, search and render need to know about every reply
//! (id, titles, tags, where it lives, its text folded for search), without
//! the templates. It is cached in `$XDG_CACHE_HOME/reply`, checked against
//! every file's size and modification time on each run: a changed, added or
//! removed file is always read again, so the cache is never stale.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::error::Result;
use crate::fold::fold_str;
use crate::library::{self, Layer, LayerKind, Library, Reply, STARTER};

/// Bumped whenever the cached structures change, so an old cache is ignored.
const CACHE_VERSION: u32 = 1;

/// One reply, as the catalog knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    /// Index into `Catalog::files`.
    pub file: u32,
    pub line: u32,
    /// `(language, title)` of every variant, the reply's own first.
    pub titles: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub platforms: Vec<String>,
    pub has_public: bool,
    /// Position of the reply within its file (set when the catalog is assembled).
    #[serde(skip)]
    pub nth: u32,
}

impl Entry {
    pub fn lang(&self) -> &str {
        self.titles.first().map_or("en", |t| t.0.as_str())
    }

    pub fn title(&self) -> &str {
        self.titles.first().map_or("", |t| t.1.as_str())
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.titles.iter().map(|t| t.0.as_str())
    }

    pub fn has_lang(&self, lang: &str) -> bool {
        self.titles.iter().any(|t| t.0.eq_ignore_ascii_case(lang))
    }

    pub fn fits_platform(&self, platform: &str) -> bool {
        self.platforms.is_empty()
            || self
                .platforms
                .iter()
                .any(|p| p.eq_ignore_ascii_case(platform))
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))
    }

    fn from_reply(r: &Reply, file: u32, line: u32) -> Entry {
        Entry {
            id: r.id.clone(),
            file,
            line,
            titles: r
                .variants
                .iter()
                .map(|v| (v.lang.clone(), v.title.clone()))
                .collect(),
            tags: r.tags.clone(),
            platforms: r.platforms.clone(),
            has_public: r.variants.iter().any(|v| v.public.is_some()),
            nth: 0,
        }
    }
}

/// The folded text of every variant's body, one string per reply, for search.
fn folded_bodies(r: &Reply) -> String {
    let mut s = String::new();
    for v in &r.variants {
        if !s.is_empty() {
            s.push('\n');
        }
        s.push_str(&fold_str(&v.body.src));
    }
    s
}

/// A problem found while reading a file, kept as text so it can be cached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub error: bool,
    pub file: Option<String>,
    pub text: String,
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Problem {
        Problem {
            error: d.is_error(),
            file: d.location.as_ref().map(|l| l.file.clone()),
            text: d.to_string(),
        }
    }
}

/// A file as the catalog remembers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileInfo {
    /// As shown to people (`starter:orders.toml` for built-in files).
    pub name: String,
    /// The file on disk; `None` for the starter library.
    pub path: Option<PathBuf>,
    pub layer: usize,
    size: u64,
    mtime_ns: i128,
    /// The default language the file was read with (it changes the replies).
    pub lang: String,
    pub problems: Vec<Problem>,
    entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    files: Vec<FileInfo>,
}

/// The same encoding as `IndexFile`, written without copying the files.
#[derive(Serialize)]
struct IndexRef<'a> {
    version: u32,
    files: &'a [FileInfo],
}

#[derive(Serialize)]
struct BodiesRef<'a> {
    version: u32,
    files: Vec<&'a [String]>,
}

#[derive(Serialize, Deserialize)]
struct BodiesFile {
    version: u32,
    /// Per file of the index, in the same order: the folded bodies of its replies.
    files: Vec<Vec<String>>,
}

/// A file found on disk, before it is read.
struct Found {
    path: PathBuf,
    layer: usize,
    size: u64,
    mtime_ns: i128,
    lang: String,
}

pub struct Catalog {
    pub layers: Vec<Layer>,
    pub files: Vec<FileInfo>,
    /// Every reply in effect, highest layer first, then file order.
    pub entries: Vec<Entry>,
    /// Replies hidden by the same id in a higher layer.
    pub shadowed: Vec<Entry>,
    pub problems: Vec<Problem>,
    index: HashMap<String, usize>,
    conflicts: HashMap<String, String>,
    /// Folded bodies per entry of `entries`, loaded only when a search needs them.
    bodies: std::cell::OnceCell<Vec<String>>,
    /// Folded bodies per file, when files were read in this run (moved into
    /// `bodies` when that is built).
    file_bodies: std::cell::RefCell<Vec<Option<Vec<String>>>>,
    cache: Option<Cache>,
}

struct Cache {
    bodies_path: PathBuf,
    /// For each disk file, its position in the cache it was taken from.
    reused_from: Vec<Option<usize>>,
}

fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Where the cache for this set of layers lives: one pair of files per set,
/// so `--library a` and `--library b` do not evict each other.
fn cache_paths(dir: &Path, layers: &[Layer], lang: &str) -> (PathBuf, PathBuf) {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    lang.hash(&mut h);
    for l in layers.iter().filter(|l| l.exists) {
        l.path.hash(&mut h);
    }
    let key = format!("{:016x}", h.finish());
    (
        dir.join(format!("catalog-{key}.index")),
        dir.join(format!("catalog-{key}.bodies")),
    )
}

fn read_cache<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    postcard::from_bytes(&bytes).ok()
}

/// Writes atomically (temp file, then rename) so a reader never sees half a cache.
fn write_cache<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let bytes = postcard::to_stdvec(value).map_err(std::io::Error::other)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map_or_else(Default::default, |n| n.to_string_lossy()),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

impl Catalog {
    /// Builds the catalog for `layers`. `cache_dir`: where to keep the cache,
    /// `None` to read every file (the plain path, used to check the cache).
    pub fn load(
        layers: Vec<Layer>,
        default_lang: &str,
        cache_dir: Option<&Path>,
    ) -> Result<Catalog> {
        Library::check_layers(&layers)?;
        let mut problems = Vec::new();
        let mut found = Vec::new();
        for (i, layer) in layers.iter().enumerate() {
            let (true, Some(dir)) = (layer.exists, &layer.path) else {
                continue;
            };
            let lang = match library::read_settings(dir) {
                Ok(s) => s.lang.unwrap_or_else(|| default_lang.to_string()),
                Err(d) => {
                    problems.push(Problem::from(&*d));
                    default_lang.to_string()
                }
            };
            match library::library_files(dir) {
                Ok(files) => {
                    for path in files {
                        let meta = std::fs::metadata(&path).ok();
                        found.push(Found {
                            size: meta.as_ref().map_or(0, |m| m.len()),
                            mtime_ns: meta.as_ref().map_or(0, mtime_ns),
                            path,
                            layer: i,
                            lang: lang.clone(),
                        });
                    }
                }
                Err(e) => problems.push(Problem {
                    error: true,
                    file: None,
                    text: format!(
                        "error: cannot read library folder {}: {e}\n  = hint: check the folder's permissions, or remove it from your libraries",
                        dir.display()
                    ),
                }),
            }
        }

        let paths = cache_dir.map(|d| cache_paths(d, &layers, default_lang));
        let old: Option<IndexFile> = paths
            .as_ref()
            .and_then(|(index, _)| read_cache::<IndexFile>(index))
            .filter(|c| c.version == CACHE_VERSION);
        let mut old_by_path: HashMap<PathBuf, (usize, FileInfo)> = HashMap::new();
        if let Some(old) = old {
            for (i, f) in old.files.into_iter().enumerate() {
                if let Some(p) = f.path.clone() {
                    old_by_path.insert(p, (i, f));
                }
            }
        }

        // Which files must be read again: new, changed, or read with another language.
        let mut files: Vec<Option<FileInfo>> = Vec::with_capacity(found.len());
        let mut reused_from: Vec<Option<usize>> = Vec::with_capacity(found.len());
        let mut to_read = Vec::new();
        for (i, f) in found.iter().enumerate() {
            match old_by_path.remove(&f.path) {
                Some((oi, info))
                    if info.size == f.size
                        && info.mtime_ns == f.mtime_ns
                        && info.lang == f.lang
                        && info.layer == f.layer =>
                {
                    files.push(Some(info));
                    reused_from.push(Some(oi));
                }
                _ => {
                    files.push(None);
                    reused_from.push(None);
                    to_read.push(i);
                }
            }
        }
        // Anything read anew, or a cached file that is gone: the cache is rewritten.
        let dirty = !to_read.is_empty() || !old_by_path.is_empty();

        let mut file_bodies: Vec<Option<Vec<String>>> = vec![None; found.len()];
        // Read, parse and summarise in the workers, so that no more than a
        // file's text and replies per thread are alive at once.
        let read = crate::parallel::map(to_read, |i| {
            let f = &found[i];
            let name = f.path.display().to_string();
            let parsed = library::read_text(&f.path).map(|t| {
                let p = library::parse::parse_file(&name, &t, 0, &f.lang);
                (t, p)
            });
            (
                i,
                file_info(
                    name,
                    Some(f.path.clone()),
                    f.layer,
                    f.size,
                    f.mtime_ns,
                    &f.lang,
                    parsed,
                ),
            )
        });
        for (i, (info, bodies)) in read {
            files[i] = Some(info);
            file_bodies[i] = Some(bodies);
        }
        let mut files: Vec<FileInfo> = files.into_iter().flatten().collect();

        // The starter library is built in: read it each time (it is small).
        if let Some(i) = layers
            .iter()
            .position(|l| l.kind == LayerKind::Starter && l.exists)
        {
            for (name, text) in STARTER {
                let name = format!("starter:{name}");
                let p = library::parse::parse_file(&name, text, 0, default_lang);
                let (info, bodies) =
                    file_info(name, None, i, 0, 0, default_lang, Ok((text.to_string(), p)));
                files.push(info);
                file_bodies.push(Some(bodies));
            }
        }

        let mut cat = Catalog {
            layers,
            files: Vec::new(),
            entries: Vec::new(),
            shadowed: Vec::new(),
            problems,
            index: HashMap::new(),
            conflicts: HashMap::new(),
            bodies: std::cell::OnceCell::new(),
            file_bodies: std::cell::RefCell::new(file_bodies),
            cache: paths.as_ref().map(|(_, b)| Cache {
                bodies_path: b.clone(),
                reused_from: reused_from.clone(),
            }),
        };
        cat.assemble(files);

        if let Some((index_path, bodies_path)) = &paths
            && dirty
        {
            // Bodies of the files kept from the cache come from the old bodies file.
            let old_bodies: Option<BodiesFile> = if reused_from.iter().any(Option::is_some) {
                read_cache::<BodiesFile>(bodies_path).filter(|b| b.version == CACHE_VERSION)
            } else {
                None
            };
            let disk_files = cat.files.iter().filter(|f| f.path.is_some()).count();
            let mut complete = true;
            let mut file_bodies = cat.file_bodies.borrow_mut();
            for (i, from) in reused_from.iter().enumerate().take(disk_files) {
                if file_bodies[i].is_none() {
                    match (from, &old_bodies) {
                        (Some(oi), Some(ob)) if ob.files.get(*oi).is_some() => {
                            file_bodies[i] = Some(ob.files[*oi].clone());
                        }
                        _ => complete = false,
                    }
                }
            }
            if complete {
                let index = IndexRef {
                    version: CACHE_VERSION,
                    files: &cat.files[..disk_files],
                };
                let bodies = BodiesRef {
                    version: CACHE_VERSION,
                    files: file_bodies[..disk_files]
                        .iter()
                        .map(|b| b.as_deref().unwrap_or(&[]))
                        .collect(),
                };
                // A cache that cannot be written only costs speed: ignore the error.
                let _ = write_cache(bodies_path, &bodies)
                    .and_then(|()| write_cache(index_path, &index));
            } else {
                // The bodies cache was lost: start afresh next time.
                let _ = std::fs::remove_file(index_path);
            }
        }
        Ok(cat)
    }

    /// Applies layering: a higher layer shadows, a duplicate within a layer is an error.
    fn assemble(&mut self, files: Vec<FileInfo>) {
        for (fi, f) in files.iter().enumerate() {
            self.problems.extend(f.problems.iter().cloned());
            for (k, e) in f.entries.iter().enumerate() {
                let mut e = e.clone();
                e.file = fi as u32;
                e.nth = k as u32;
                match self.index.get(&e.id) {
                    None => {
                        self.index.insert(e.id.clone(), self.entries.len());
                        self.entries.push(e);
                    }
                    Some(&i) if files[self.entries[i].file as usize].layer == f.layer => {
                        let first = &self.entries[i];
                        let d = library::duplicate_diagnostic(
                            &e.id,
                            (&f.name, e.line as usize),
                            (&files[first.file as usize].name, first.line as usize),
                        );
                        self.conflicts.insert(e.id.clone(), d.clone());
                        self.problems.push(Problem {
                            error: true,
                            file: Some(f.name.clone()),
                            text: d,
                        });
                    }
                    Some(_) => self.shadowed.push(e),
                }
            }
        }
        self.files = files;
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    /// The error that makes an id ambiguous (defined twice in one layer).
    pub fn conflict(&self, id: &str) -> Option<&str> {
        self.conflicts.get(id).map(String::as_str)
    }

    pub fn file(&self, e: &Entry) -> &FileInfo {
        &self.files[e.file as usize]
    }

    pub fn layer(&self, e: &Entry) -> &Layer {
        &self.layers[self.file(e).layer]
    }

    /// Folded bodies, one per entry of `entries`, for search: read from the
    /// cache on first use, so an exact-id render never pays for them.
    pub fn bodies(&self) -> &[String] {
        self.bodies.get_or_init(|| {
            let mut file_bodies = self.file_bodies.borrow_mut();
            let cached: Option<BodiesFile> = if file_bodies.iter().any(Option::is_none) {
                self.cache
                    .as_ref()
                    .and_then(|c| read_cache::<BodiesFile>(&c.bodies_path))
                    .filter(|b| b.version == CACHE_VERSION)
            } else {
                None
            };
            let per_file: Vec<Vec<String>> = file_bodies
                .iter_mut()
                .enumerate()
                .map(|(i, b)| {
                    let from = self
                        .cache
                        .as_ref()
                        .and_then(|c| c.reused_from.get(i).copied().flatten());
                    match (b.take(), from, &cached) {
                        (Some(v), _, _) => v,
                        (None, Some(oi), Some(c)) => c.files.get(oi).cloned().unwrap_or_default(),
                        _ => Vec::new(),
                    }
                })
                .collect();
            self.entries
                .iter()
                .map(|e| {
                    per_file[e.file as usize]
                        .get(e.nth as usize)
                        .cloned()
                        .unwrap_or_default()
                })
                .collect()
        })
    }

    /// Reads the one file that holds `entry`, fully (templates, spans), for
    /// rendering or showing it.
    pub fn open(&self, entry: &Entry) -> Result<Library> {
        let f = self.file(entry);
        Library::load_one(
            self.layers.clone(),
            f.layer,
            &f.name,
            f.path.as_deref(),
            &f.lang,
        )
    }
}

type Parsed = std::io::Result<(String, library::parse::ParsedFile)>;

fn file_info(
    name: String,
    path: Option<PathBuf>,
    layer: usize,
    size: u64,
    mtime_ns: i128,
    lang: &str,
    parsed: Parsed,
) -> (FileInfo, Vec<String>) {
    let mut info = FileInfo {
        name: name.clone(),
        path,
        layer,
        size,
        mtime_ns,
        lang: lang.to_string(),
        problems: Vec::new(),
        entries: Vec::new(),
    };
    let mut bodies = Vec::new();
    match parsed {
        Ok((text, p)) => {
            info.problems = p.diagnostics.iter().map(Problem::from).collect();
            let lines = LineIndex::new(&text);
            for r in &p.replies {
                info.entries.push(Entry::from_reply(r, 0, lines.line(r.span.start) as u32));
                bodies.push(folded_bodies(r));
            }
        }
        Err(e) => info.problems.push(Problem {
            error: true,
            file: Some(name.clone()),
            text: format!("error: cannot read {name}: {e}\n  = hint: check the file's permissions; the other files were read"),
        }),
    }
    (info, bodies)
}

/// Byte offset → line number, by binary search over line starts.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        LineIndex(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}
