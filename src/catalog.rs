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

/// Separates the groups of a packed entry: id, titles, tags, platforms.
const GROUP: char = '\u{1e}';
/// Separates the fields within a group.
const FIELD: char = '\u{1f}';

/// One reply, as the catalog knows it. Its texts are packed into one string
/// (one allocation instead of seven), because a large library has 100,000
/// of them and the cost of a run is then mostly allocating and freeing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// `id GROUP lang FIELD title FIELD lang FIELD title … GROUP tag FIELD tag
    /// GROUP platform FIELD platform`.
    packed: Box<str>,
    /// Index into `Catalog::files`.
    pub file: u32,
    pub line: u32,
    pub has_public: bool,
    /// Position of the reply within its file (set when the catalog is assembled).
    #[serde(skip)]
    pub nth: u32,
}

/// The separators cannot appear in ids or language codes (validated); in a
/// title or tag they would be control characters, shown escaped anyway.
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([GROUP, FIELD]) {
        s.replace([GROUP, FIELD], " ").into()
    } else {
        s.into()
    }
}

fn fields(group: &str) -> impl Iterator<Item = &str> {
    group.split(FIELD).filter(|f| !f.is_empty())
}

impl Entry {
    fn group(&self, n: usize) -> &str {
        self.packed.split(GROUP).nth(n).unwrap_or("")
    }

    pub fn id(&self) -> &str {
        self.group(0)
    }

    /// `(language, title)` of every variant, the reply's own first.
    pub fn titles(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut it = self.group(1).split(FIELD);
        std::iter::from_fn(move || Some((it.next()?, it.next()?)))
    }

    pub fn title_at(&self, variant: usize) -> Option<(&str, &str)> {
        self.titles().nth(variant)
    }

    pub fn tags(&self) -> impl Iterator<Item = &str> {
        fields(self.group(2))
    }

    pub fn platforms(&self) -> impl Iterator<Item = &str> {
        fields(self.group(3))
    }

    pub fn lang(&self) -> &str {
        self.title_at(0).map_or("en", |t| t.0)
    }

    pub fn title(&self) -> &str {
        self.title_at(0).map_or("", |t| t.1)
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.titles().map(|t| t.0)
    }

    pub fn has_lang(&self, lang: &str) -> bool {
        self.languages().any(|l| l.eq_ignore_ascii_case(lang))
    }

    pub fn fits_platform(&self, platform: &str) -> bool {
        let mut p = self.platforms().peekable();
        p.peek().is_none() || p.any(|x| x.eq_ignore_ascii_case(platform))
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags().any(|t| t.eq_ignore_ascii_case(tag))
    }

    fn from_reply(r: &Reply, file: u32, line: u32) -> Entry {
        let mut packed = String::with_capacity(64);
        packed.push_str(&r.id);
        packed.push(GROUP);
        for (i, v) in r.variants.iter().enumerate() {
            if i > 0 {
                packed.push(FIELD);
            }
            packed.push_str(&v.lang);
            packed.push(FIELD);
            packed.push_str(&clean(&v.title));
        }
        for group in [&r.tags, &r.platforms] {
            packed.push(GROUP);
            for (i, t) in group.iter().enumerate() {
                if i > 0 {
                    packed.push(FIELD);
                }
                packed.push_str(&clean(t));
            }
        }
        Entry {
            packed: packed.into_boxed_str(),
            file,
            line,
            has_public: r.variants.iter().any(|v| v.public.is_some()),
            nth: 0,
        }
    }
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

/// The folded bodies of one file's replies in one string, with each reply's range.
#[derive(Debug, Default, Clone)]
pub struct FileBodies {
    text: String,
    ranges: Vec<(u32, u32)>,
}

impl FileBodies {
    fn of(replies: &[Reply]) -> FileBodies {
        let mut b = FileBodies::default();
        for r in replies {
            let start = b.text.len() as u32;
            for (i, v) in r.variants.iter().enumerate() {
                if i > 0 {
                    b.text.push('\n');
                }
                b.text.push_str(&fold_str(&v.body.src));
            }
            b.ranges.push((start, b.text.len() as u32 - start));
        }
        b
    }
}

/// Every folded body, in few large strings (one per file read in this run,
/// or one for the whole cache): reading the cache back is one allocation,
/// however many replies.
#[derive(Debug, Default)]
pub struct Bodies {
    chunks: Vec<String>,
    /// Per file: its chunk and the byte range of each reply's body in it.
    files: Vec<(u32, Vec<(u32, u32)>)>,
    /// Per entry of the catalog (set once the entries are known).
    spans: Vec<(u32, u32, u32)>,
}

/// Written after the blob: magic, then the version, so a foreign or old file is ignored.
const BODIES_MAGIC: &[u8; 8] = b"RPLYBDY1";

impl Bodies {
    fn push_file(&mut self, b: FileBodies) {
        self.files.push((self.chunks.len() as u32, b.ranges));
        self.chunks.push(b.text);
    }

    fn text(&self, chunk: u32, start: u32, len: u32) -> &str {
        self.chunks
            .get(chunk as usize)
            .and_then(|c| c.get(start as usize..(start + len) as usize))
            .unwrap_or("")
    }

    /// File `i`'s bodies, copied out (to carry them into a rewritten cache).
    fn file(&self, i: usize) -> FileBodies {
        let mut out = FileBodies::default();
        if let Some((chunk, ranges)) = self.files.get(i) {
            for &(s, l) in ranges {
                let start = out.text.len() as u32;
                out.text.push_str(self.text(*chunk, s, l));
                out.ranges.push((start, l));
            }
        }
        out
    }

    /// The folded body of entry `i` of the catalog.
    pub fn get(&self, i: usize) -> &str {
        self.spans
            .get(i)
            .map_or("", |&(c, s, l)| self.text(c, s, l))
    }

    /// Layout: the blob, then the postcard-encoded ranges, their length (u64
    /// LE), the version (u32 LE) and the magic. Reading it back needs no copy.
    fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut blob_len = 0u32;
        let mut ranges: Vec<Vec<(u32, u32)>> = Vec::with_capacity(self.files.len());
        for (chunk, rs) in &self.files {
            let base = blob_len;
            ranges.push(rs.iter().map(|&(s, l)| (base + s, l)).collect());
            blob_len += self
                .chunks
                .get(*chunk as usize)
                .map_or(0, |c| c.len() as u32);
        }
        let index = postcard::to_stdvec(&ranges).map_err(std::io::Error::other)?;
        let mut bytes = Vec::with_capacity(blob_len as usize + index.len() + 20);
        for (chunk, _) in &self.files {
            bytes.extend_from_slice(
                self.chunks
                    .get(*chunk as usize)
                    .map_or(&[][..], |c| c.as_bytes()),
            );
        }
        bytes.extend_from_slice(&index);
        bytes.extend_from_slice(&(index.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&CACHE_VERSION.to_le_bytes());
        bytes.extend_from_slice(BODIES_MAGIC);
        write_atomic(path, &bytes)
    }

    fn read(path: &Path) -> Option<Bodies> {
        let mut bytes = std::fs::read(path).ok()?;
        let n = bytes.len();
        if n < 20 || &bytes[n - 8..] != BODIES_MAGIC {
            return None;
        }
        let version = u32::from_le_bytes(bytes[n - 12..n - 8].try_into().ok()?);
        let index_len = u64::from_le_bytes(bytes[n - 20..n - 12].try_into().ok()?) as usize;
        if version != CACHE_VERSION || index_len > n - 20 {
            return None;
        }
        let blob_len = n - 20 - index_len;
        let files: Vec<Vec<(u32, u32)>> = postcard::from_bytes(&bytes[blob_len..n - 20]).ok()?;
        bytes.truncate(blob_len);
        let blob = String::from_utf8(bytes).ok()?;
        Some(Bodies {
            chunks: vec![blob],
            files: files.into_iter().map(|r| (0, r)).collect(),
            spans: Vec::new(),
        })
    }
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
    conflicts: HashMap<String, String>,
    /// Folded bodies, loaded only when a search needs them.
    bodies: std::cell::OnceCell<Bodies>,
    /// Where the bodies come from when `bodies` is first asked for.
    source: std::cell::RefCell<BodiesSource>,
}

/// The bodies of the files: read in this run, or to be read from the cache.
enum BodiesSource {
    /// Everything is here (files read now, or the cache was just rewritten).
    Ready(Bodies),
    /// The cache file holds the disk files' bodies (in the catalog's file
    /// order); `extra` holds the starter library's, read in this run.
    Cache {
        path: PathBuf,
        extra: Vec<FileBodies>,
    },
    Taken,
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

fn read_index(path: &Path) -> Option<IndexFile> {
    let bytes = std::fs::read(path).ok()?;
    postcard::from_bytes::<IndexFile>(&bytes)
        .ok()
        .filter(|c| c.version == CACHE_VERSION)
}

/// Writes atomically (temp file, then rename) so a reader never sees half a cache.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
            let (files, errors) = library::library_files(dir);
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
            for (d, e) in errors {
                problems.push(Problem::from(&library::folder_error(&d, &e)));
            }
        }

        let paths = cache_dir.map(|d| cache_paths(d, &layers, default_lang));
        let mut old: HashMap<PathBuf, (usize, FileInfo)> = HashMap::new();
        if let Some(index) = paths.as_ref().and_then(|(index, _)| read_index(index)) {
            for (i, f) in index.files.into_iter().enumerate() {
                if let Some(p) = f.path.clone() {
                    old.insert(p, (i, f));
                }
            }
        }

        // Reuse what is unchanged; read what is new, changed, or was read
        // with another default language.
        let mut files: Vec<Option<FileInfo>> = Vec::with_capacity(found.len());
        let mut reused_from: Vec<Option<usize>> = Vec::with_capacity(found.len());
        let mut to_read = Vec::new();
        for (i, f) in found.iter().enumerate() {
            match old.remove(&f.path) {
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
        // Anything read anew, or a cached file that is gone: rewrite the cache.
        let dirty = !to_read.is_empty() || !old.is_empty();

        let mut fresh: Vec<Option<FileBodies>> = vec![None; found.len()];
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
            fresh[i] = Some(bodies);
        }
        let mut files: Vec<FileInfo> = files.into_iter().flatten().collect();
        let disk_files = files.len();

        // The starter library is built in: read it each time (it is small).
        let mut starter_bodies = Vec::new();
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
                starter_bodies.push(bodies);
            }
        }

        let source = match &paths {
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
            Some((index_path, bodies_path)) if dirty => {
                let old_bodies = if reused_from.iter().any(Option::is_some) {
                    Bodies::read(bodies_path)
                } else {
                    None
                };
                let mut b = Bodies::default();
                let mut complete = true;
                for (i, f) in fresh.into_iter().enumerate() {
                    match (f, reused_from[i], &old_bodies) {
                        (Some(v), _, _) => b.push_file(v),
                        (None, Some(oi), Some(ob)) if oi < ob.files.len() => {
                            b.push_file(ob.file(oi))
                        }
                        _ => {
                            complete = false;
                            b.push_file(FileBodies::default());
                        }
                    }
                }
                if complete {
                    let index = IndexRef {
                        version: CACHE_VERSION,
                        files: &files[..disk_files],
                    };
                    // A cache that cannot be written only costs speed: ignore the error.
                    let _ = b.write(bodies_path).and_then(|()| {
                        let bytes = postcard::to_stdvec(&index).map_err(std::io::Error::other)?;
                        write_atomic(index_path, &bytes)
                    });
                } else {
                    // The bodies cache was lost: read everything afresh next time.
                    let _ = std::fs::remove_file(index_path);
                }
                for s in starter_bodies {
                    b.push_file(s);
                }
                BodiesSource::Ready(b)
            }
            Some((_, bodies_path)) => BodiesSource::Cache {
                path: bodies_path.clone(),
                extra: starter_bodies,
            },
        };

        let mut cat = Catalog {
            layers,
            files: Vec::new(),
            entries: Vec::new(),
            shadowed: Vec::new(),
            problems,
            conflicts: HashMap::new(),
            bodies: std::cell::OnceCell::new(),
            source: std::cell::RefCell::new(source),
        };
        cat.assemble(files);
        Ok(cat)
    }

    /// Applies layering: a higher layer shadows, a duplicate within a layer is an error.
    fn assemble(&mut self, mut files: Vec<FileInfo>) {
        let mut all = Vec::new();
        for (fi, f) in files.iter_mut().enumerate() {
            self.problems.extend(f.problems.iter().cloned());
            for (k, e) in f.entries.iter().enumerate() {
                let mut e = e.clone();
                e.file = fi as u32;
                e.nth = k as u32;
                all.push(e);
            }
        }
        let roles = library::roles(all.iter().map(|e| (e.id(), files[e.file as usize].layer)));
        let mut conflicts = Vec::new();
        for (i, role) in roles.iter().enumerate() {
            if let library::Role::Duplicate { first } = role {
                let (e, f) = (&all[i], &all[*first]);
                let d = library::duplicate_diagnostic(
                    e.id(),
                    (&files[e.file as usize].name, e.line as usize),
                    (&files[f.file as usize].name, f.line as usize),
                );
                // Ambiguous only if the first one is the reply in effect.
                if roles[*first] == library::Role::InEffect {
                    conflicts.push((e.id().to_string(), d.clone()));
                }
                self.problems.push(Problem {
                    error: true,
                    file: Some(files[e.file as usize].name.clone()),
                    text: d,
                });
            }
        }
        self.conflicts.extend(conflicts);
        for (e, role) in all.into_iter().zip(roles) {
            match role {
                library::Role::InEffect => self.entries.push(e),
                library::Role::Shadowed => self.shadowed.push(e),
                library::Role::Duplicate { .. } => {}
            }
        }
        self.files = files;
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id() == id)
    }

    /// When `id` is unknown: the problems of a file that has errors and seems to
    /// define it (a `[id]` header), so the person learns why it is missing
    /// instead of "no such reply".
    pub fn broken_home(&self, id: &str) -> Option<String> {
        let headers = [format!("[{id}]"), format!("[{id}."), format!("[\"{id}\"]")];
        self.files
            .iter()
            .filter(|f| f.problems.iter().any(|p| p.error))
            .find_map(|f| {
                let text = match &f.path {
                    Some(p) => library::read_text(p).ok()?,
                    None => STARTER
                        .iter()
                        .find(|(n, _)| format!("starter:{n}") == f.name)?
                        .1
                        .to_string(),
                };
                text.lines()
                    .any(|l| {
                        headers
                            .iter()
                            .any(|h| l.trim_start().starts_with(h.as_str()))
                    })
                    .then(|| {
                        let problems: Vec<&str> = f
                            .problems
                            .iter()
                            .filter(|p| p.error)
                            .map(|p| p.text.as_str())
                            .collect();
                        format!(
                            "error: reply `{id}` is in {}, which has errors:\n{}",
                            f.name,
                            problems.join("\n")
                        )
                    })
            })
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

    /// Folded bodies for search, read on first use, so an exact-id render
    /// never pays for them.
    pub fn bodies(&self) -> &Bodies {
        self.bodies.get_or_init(|| {
            let source = std::mem::replace(&mut *self.source.borrow_mut(), BodiesSource::Taken);
            let disk_files = self.files.iter().filter(|f| f.path.is_some()).count();
            let mut b = match source {
                BodiesSource::Ready(b) => b,
                BodiesSource::Cache { path, extra } => {
                    // A missing or damaged bodies cache: read the files again
                    // (results never depend on the cache), and drop the index
                    // so that the next run rebuilds both.
                    let mut b = Bodies::read(&path)
                        .filter(|b| b.files.len() == disk_files)
                        .unwrap_or_else(|| {
                            let _ = std::fs::remove_file(path.with_extension("index"));
                            let files: Vec<&FileInfo> = self.files[..disk_files].iter().collect();
                            let mut b = Bodies::default();
                            for fb in crate::parallel::map(files, |f| {
                                let Some(p) = &f.path else {
                                    return FileBodies::default();
                                };
                                library::read_text(p)
                                    .map(|t| {
                                        FileBodies::of(
                                            &library::parse::parse_file(&f.name, &t, 0, &f.lang)
                                                .replies,
                                        )
                                    })
                                    .unwrap_or_default()
                            }) {
                                b.push_file(fb);
                            }
                            b
                        });
                    for e in extra {
                        b.push_file(e);
                    }
                    b
                }
                BodiesSource::Taken => Bodies::default(),
            };
            b.spans = self
                .entries
                .iter()
                .map(|e| {
                    b.files
                        .get(e.file as usize)
                        .and_then(|(c, f)| f.get(e.nth as usize).map(|&(s, l)| (*c, s, l)))
                        .unwrap_or((0, 0, 0))
                })
                .collect();
            b
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
) -> (FileInfo, FileBodies) {
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
    let mut bodies = FileBodies::default();
    match parsed {
        Ok((text, p)) => {
            info.problems = p.diagnostics.iter().map(Problem::from).collect();
            let lines = LineIndex::new(&text);
            for r in &p.replies {
                info.entries
                    .push(Entry::from_reply(r, 0, lines.line(r.span.start) as u32));
            }
            bodies = FileBodies::of(&p.replies);
        }
        Err(e) => info.problems.push(Problem {
            error: true,
            file: Some(name.clone()),
            text: format!(
                "error: cannot read {name}: {e}\n  = hint: check the file's permissions; the other files were read"
            ),
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
