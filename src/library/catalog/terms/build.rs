//! The catalog's side of suggest's term index: read from the cache when it
//! was built from the files as they are, else built again, reading only the
//! files whose text changed.

use std::collections::HashMap;

use crate::library::catalog::cache::checksum;
use crate::library::catalog::{Catalog, terms};
use crate::library::parse;
use crate::library::scan::Source;

impl Catalog {
    /// Suggest's term index of every file, read from the cache when it was
    /// built from the files as they are now; else built, re-reading only the
    /// files whose text changed, and cached.
    pub fn terms(&self) -> &terms::TermIndex {
        self.terms.get_or_init(|| {
            let keys = self.file_keys();
            let old = self
                .cache
                .as_ref()
                .and_then(|p| terms::TermIndex::read(&p.terms));
            match old {
                Some(old) if old.files() == keys.as_slice() => old,
                old => {
                    let (index, complete) =
                        self.build_terms(keys, old.as_ref(), terms::Analysis::default());
                    if complete && let Some(p) = &self.cache {
                        // A cache that cannot be written only costs speed.
                        let _ = index.write(&p.terms);
                    }
                    index
                }
            }
        })
    }

    /// The term index of the files as they are now, built without the cache
    /// and with `analysis` (the benchmark compares analyses).
    pub fn build_term_index(&self, analysis: terms::Analysis) -> terms::TermIndex {
        self.build_terms(self.file_keys(), None, analysis).0
    }

    fn file_keys(&self) -> Vec<terms::FileKey> {
        self.files
            .iter()
            .map(|f| terms::FileKey {
                content: f.content,
                lang: f.lang.clone(),
                replies: f.entries.len() as u32,
            })
            .collect()
    }

    /// Builds the index for files with `keys`, carrying over from `old` the
    /// documents of every file whose key it has, and reading the others.
    /// `false` with it when a file changed while it was read: its replies
    /// are left out, and the index is not cached.
    fn build_terms(
        &self,
        keys: Vec<terms::FileKey>,
        old: Option<&terms::TermIndex>,
        analysis: terms::Analysis,
    ) -> (terms::TermIndex, bool) {
        // Which old file each file can be taken from: same text, same language.
        let mut by_key: HashMap<&terms::FileKey, usize> = HashMap::new();
        if let Some(old) = old {
            for (j, k) in old.files().iter().enumerate() {
                if k.content.is_some() {
                    by_key.entry(k).or_insert(j);
                }
            }
        }
        let from_old: Vec<Option<usize>> = keys.iter().map(|k| by_key.get(k).copied()).collect();
        let mut keep = vec![false; old.map_or(0, |o| o.files().len())];
        for j in from_old.iter().flatten() {
            keep[*j] = true;
        }
        let carried = match old {
            Some(o) if keep.contains(&true) => o.docs_terms(&keep),
            _ => terms::Carried::default(),
        };
        // Each old file's documents.
        let mut old_docs: HashMap<usize, Vec<usize>> = HashMap::new();
        if let Some(old) = old {
            for (d, meta) in old.docs().iter().enumerate() {
                if keep[meta.file as usize] {
                    old_docs.entry(meta.file as usize).or_default().push(d);
                }
            }
        }
        // The others are read again, in parallel, a few at a time: only
        // those few files' terms are in memory at once.
        let to_read: Vec<usize> = (0..keys.len())
            .filter(|&i| from_old[i].is_none() && keys[i].content.is_some())
            .collect();
        let chunk = 16 * std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut next = 0;
        let mut fresh: HashMap<usize, Option<terms::FileTerms>> = HashMap::new();
        let mut complete = true;
        let mut b = terms::Builder::default();
        for (i, key) in keys.iter().enumerate() {
            b.file(key.clone());
            if let (Some(j), Some(old)) = (from_old[i], old) {
                for &d in old_docs.get(&j).into_iter().flatten() {
                    let meta = old.docs()[d];
                    let lang = old.langs()[meta.lang as usize].code.as_str();
                    b.doc(
                        meta.nth,
                        meta.variant,
                        lang,
                        meta.lens,
                        carried
                            .doc(d)
                            .iter()
                            .map(|(t, tf)| (old.term(*t as usize), *tf)),
                    );
                }
                continue;
            }
            if key.content.is_none() {
                continue; // unreadable: no replies
            }
            if !fresh.contains_key(&i) {
                let batch: Vec<(usize, Source, Option<u64>)> = to_read[next..]
                    .iter()
                    .take(chunk)
                    .map(|&f| (f, self.source_of(&self.files[f]), keys[f].content))
                    .collect();
                next += batch.len();
                for (f, t) in crate::util::parallel::map(batch, |(f, source, content)| {
                    let t = source.read().ok().and_then(|text| {
                        // Changed since the catalog read it: its replies
                        // would not be the catalog's.
                        (Some(checksum(text.as_bytes())) == content).then(|| {
                            let parsed = parse::parse_file(&source.name, &text, &source.lang);
                            terms::file_docs(&parsed.replies, analysis)
                        })
                    });
                    (f, t)
                }) {
                    fresh.insert(f, t);
                }
            }
            match fresh.remove(&i).flatten() {
                Some(ft) => {
                    for d in &ft.docs {
                        b.doc(
                            d.nth,
                            d.variant,
                            &d.lang,
                            d.lens,
                            d.terms
                                .iter()
                                .map(|(t, tf)| (ft.vocab[*t as usize].as_str(), *tf)),
                        );
                    }
                }
                None => complete = false,
            }
        }
        (b.finish(), complete)
    }
}
