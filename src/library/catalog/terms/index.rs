//! The term index: for every term, the documents (reply variants) that hold
//! it and how often in each field; for every document, its reply, language
//! and field lengths; for every language, its number of documents and mean
//! field lengths. Everything a BM25F score needs, laid out so that a query
//! reads only the posting lists of its own terms: the dictionary is a sorted
//! table searched in place, the lists are decoded on demand.
//!
//! It is built from the files' text and kept as one cache file beside the
//! catalog's, named after the file contents it was built from (their
//! checksums), so a changed, added or removed file is seen; a rebuild
//! re-reads only the files whose text changed and carries over the rest.
//! The file ends with a checksum of everything before it, and is discarded
//! if anything in it is damaged.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::FIELD_COUNT;
use crate::library::catalog::cache::{CACHE_VERSION, checksum, write_cache_file};

/// What the index knows of each file it was built from, in the catalog's
/// file order: it is valid for a catalog whose files have the same keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileKey {
    /// The checksum of the file's text (`None`: it could not be read).
    pub content: Option<u64>,
    /// The default language it was read with.
    pub lang: String,
    /// How many replies it holds.
    pub replies: u32,
}

/// One document: one language variant of one reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    /// Index of the file (as in [`FileKey`]s).
    pub file: u32,
    /// The reply's position in its file.
    pub nth: u32,
    /// The variant's position in the reply.
    pub variant: u8,
    /// Index into [`TermIndex::langs`].
    pub lang: u8,
    /// Terms in each field.
    pub lens: [u16; FIELD_COUNT],
}

/// The documents of one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LangStats {
    pub code: String,
    pub docs: u32,
    /// Mean terms per field.
    pub avg: [f32; FIELD_COUNT],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Head {
    files: Vec<FileKey>,
    langs: Vec<LangStats>,
    docs: Vec<DocMeta>,
    terms: u32,
    strings: u32,
}

/// One entry of a posting list: a document and the term's count in each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub tf: [u8; FIELD_COUNT],
}

/// A dictionary record: where the term's text and posting list are, and
/// how many documents hold it. Five u32, little-endian.
const RECORD: usize = 20;

/// Ends the file: checksum of the payload (u64), version (u32), magic.
const MAGIC: &[u8; 8] = b"RPLYTRM1";
const TRAILER: usize = 8 + 4 + 8;

/// The index, as built or read back: its head decoded, the rest (the
/// dictionary, the term texts, the posting lists) left as bytes.
#[derive(Debug)]
pub struct TermIndex {
    head: Head,
    /// Payload: the head's length (u64), the head, the dictionary, the
    /// strings, the postings.
    bytes: Vec<u8>,
    dict: usize,
    strings: usize,
    postings: usize,
}

fn le32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(b: &[u8], at: &mut usize) -> Option<u32> {
    let mut v: u32 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *b.get(*at)?;
        *at += 1;
        v |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

impl TermIndex {
    /// An index of nothing.
    pub fn empty() -> TermIndex {
        Builder::default().finish()
    }

    pub fn files(&self) -> &[FileKey] {
        &self.head.files
    }

    pub fn langs(&self) -> &[LangStats] {
        &self.head.langs
    }

    pub fn docs(&self) -> &[DocMeta] {
        &self.head.docs
    }

    /// How many distinct terms.
    pub fn len(&self) -> usize {
        self.head.terms as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn record(&self, t: usize) -> [u32; 5] {
        let at = self.dict + t * RECORD;
        std::array::from_fn(|i| le32(&self.bytes, at + 4 * i))
    }

    /// The text of term `t` (`lang:stem`).
    pub fn term(&self, t: usize) -> &str {
        let [off, len, ..] = self.record(t);
        let start = self.strings + off as usize;
        // Checked when the index was read or built: always UTF-8 on
        // boundaries; an empty term otherwise rather than a panic.
        std::str::from_utf8(&self.bytes[start..start + len as usize]).unwrap_or("")
    }

    /// How many documents hold term `t`.
    pub fn df(&self, t: usize) -> u32 {
        self.record(t)[4]
    }

    /// The term with this text.
    pub fn find(&self, term: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.term(mid).cmp(term) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The terms whose text starts with `prefix` (a language's: `es:`).
    pub fn with_prefix(&self, prefix: &str) -> std::ops::Range<usize> {
        let first = |pred: &dyn Fn(&str) -> bool| {
            let (mut lo, mut hi) = (0, self.len());
            while lo < hi {
                let mid = (lo + hi) / 2;
                if pred(self.term(mid)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            lo
        };
        let start = first(&|t| t >= prefix);
        let end = first(&|t| t >= prefix && !t.starts_with(prefix));
        start..end.max(start)
    }

    /// The posting list of term `t`, in document order.
    pub fn postings(&self, t: usize) -> Vec<Posting> {
        let [_, _, off, len, df] = self.record(t);
        let start = self.postings + off as usize;
        let list = &self.bytes[start..start + len as usize];
        let mut out = Vec::with_capacity(df as usize);
        let mut at = 0;
        let mut doc = 0u32;
        while at < list.len() {
            let Some(delta) = read_varint(list, &mut at) else {
                break;
            };
            let Some(&mask) = list.get(at) else { break };
            at += 1;
            let mut tf = [0u8; FIELD_COUNT];
            for (f, slot) in tf.iter_mut().enumerate() {
                if mask & (1 << f) != 0 {
                    *slot = list.get(at).copied().unwrap_or(0);
                    at += 1;
                }
            }
            doc = doc.wrapping_add(delta);
            out.push(Posting { doc, tf });
        }
        out
    }

    /// Every posting of the documents whose file `keep` says, by document:
    /// what a rebuild carries over from the files that did not change.
    pub fn docs_terms(&self, keep: &[bool]) -> Carried {
        let docs = &self.head.docs;
        let kept = |d: u32| {
            docs.get(d as usize)
                .is_some_and(|m| keep.get(m.file as usize).copied().unwrap_or(false))
        };
        // Two passes over the lists, so the result is two flat arrays (a
        // document's postings are a range of one), not a vector per document.
        let mut start = vec![0u32; docs.len() + 1];
        for t in 0..self.len() {
            for p in self.postings(t) {
                if kept(p.doc) {
                    start[p.doc as usize + 1] += 1;
                }
            }
        }
        for d in 0..docs.len() {
            start[d + 1] += start[d];
        }
        let mut fill = start.clone();
        let mut flat = vec![(0u32, [0u8; FIELD_COUNT]); start[docs.len()] as usize];
        for t in 0..self.len() {
            for p in self.postings(t) {
                if kept(p.doc) {
                    let at = &mut fill[p.doc as usize];
                    flat[*at as usize] = (t as u32, p.tf);
                    *at += 1;
                }
            }
        }
        Carried { start, flat }
    }

    /// Reads an index written by [`TermIndex::write`]; `None` when the file
    /// is missing, damaged, or from another version.
    pub fn read(path: &Path) -> Option<TermIndex> {
        let mut bytes = crate::util::fs::read_bytes(path)?;
        let n = bytes.len();
        if n < TRAILER || &bytes[n - 8..] != MAGIC {
            return None;
        }
        let mut sum = [0u8; 8];
        sum.copy_from_slice(&bytes[n - TRAILER..n - TRAILER + 8]);
        if le32(&bytes, n - 12) != CACHE_VERSION
            || u64::from_le_bytes(sum) != checksum(&bytes[..n - TRAILER])
        {
            return None;
        }
        bytes.truncate(n - TRAILER);
        TermIndex::from_payload(bytes)
    }

    /// Writes the index (atomically: a reader sees the old file or the new).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut bytes = Vec::with_capacity(self.bytes.len() + TRAILER);
        bytes.extend_from_slice(&self.bytes);
        bytes.extend_from_slice(&checksum(&self.bytes).to_le_bytes());
        bytes.extend_from_slice(&CACHE_VERSION.to_le_bytes());
        bytes.extend_from_slice(MAGIC);
        write_cache_file(path, &bytes)
    }

    /// Decodes the head and checks that every record points inside the
    /// payload, at UTF-8 text in order: a damaged payload whose checksum
    /// still matched (it cannot, short of tampering) fails here, not later.
    fn from_payload(bytes: Vec<u8>) -> Option<TermIndex> {
        let head_len =
            usize::try_from(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)).ok()?;
        let head: Head = postcard::from_bytes(bytes.get(8..8usize.checked_add(head_len)?)?).ok()?;
        let dict = 8 + head_len;
        let strings = dict.checked_add((head.terms as usize).checked_mul(RECORD)?)?;
        let postings = strings.checked_add(head.strings as usize)?;
        if postings > bytes.len()
            || head.langs.len() > usize::from(u8::MAX) + 1
            || head
                .docs
                .iter()
                .any(|d| d.file as usize >= head.files.len() || d.lang as usize >= head.langs.len())
        {
            return None;
        }
        let index = TermIndex {
            head,
            bytes,
            dict,
            strings,
            postings,
        };
        let mut previous: Option<&str> = None;
        for t in 0..index.len() {
            let [off, len, poff, plen, _] = index.record(t);
            let text = index
                .bytes
                .get(strings + off as usize..)
                .and_then(|b| b.get(..len as usize))?;
            let text = std::str::from_utf8(text).ok()?;
            (poff as usize)
                .checked_add(plen as usize)
                .filter(|&e| postings + e <= index.bytes.len())?;
            if previous.is_some_and(|p| p >= text) {
                return None;
            }
            previous = Some(text);
        }
        Some(index)
    }
}

/// The postings of some documents of an index, by document.
#[derive(Debug, Default)]
pub struct Carried {
    start: Vec<u32>,
    flat: Vec<(u32, [u8; FIELD_COUNT])>,
}

impl Carried {
    /// Document `d`'s terms (indices into the index it came from) and counts.
    pub fn doc(&self, d: usize) -> &[(u32, [u8; FIELD_COUNT])] {
        match (self.start.get(d), self.start.get(d + 1)) {
            (Some(&a), Some(&b)) => &self.flat[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// Builds an index document by document, in the catalog's file order.
#[derive(Default)]
pub struct Builder {
    files: Vec<FileKey>,
    langs: Vec<(String, u32, [u64; FIELD_COUNT])>,
    docs: Vec<DocMeta>,
    vocab: HashMap<Box<str>, u32>,
    /// Per term: its text, encoded postings, last document, document count.
    terms: Vec<(Box<str>, Vec<u8>, u32, u32)>,
}

impl Builder {
    /// Starts the next file; its documents follow.
    pub fn file(&mut self, key: FileKey) {
        self.files.push(key);
    }

    /// Adds a document of the current file. `terms`: each term once, with
    /// its count per field.
    pub fn doc<'t>(
        &mut self,
        nth: u32,
        variant: u8,
        lang: &str,
        lens: [u16; FIELD_COUNT],
        terms: impl IntoIterator<Item = (&'t str, [u8; FIELD_COUNT])>,
    ) {
        let Some(file) = self.files.len().checked_sub(1) else {
            return;
        };
        let l = match self.langs.iter().position(|(c, ..)| c == lang) {
            Some(l) => l,
            None if self.langs.len() <= usize::from(u8::MAX) => {
                self.langs.push((lang.to_string(), 0, [0; FIELD_COUNT]));
                self.langs.len() - 1
            }
            // More than 256 languages in one library: the rest are not ranked.
            None => return,
        };
        let stats = &mut self.langs[l];
        stats.1 += 1;
        for (sum, len) in stats.2.iter_mut().zip(lens) {
            *sum += u64::from(len);
        }
        let doc = self.docs.len() as u32;
        self.docs.push(DocMeta {
            file: file as u32,
            nth,
            variant,
            lang: l as u8,
            lens,
        });
        for (term, tf) in terms {
            let t = match self.vocab.get(term) {
                Some(&t) => t,
                None => {
                    let t = self.terms.len() as u32;
                    self.vocab.insert(term.into(), t);
                    self.terms.push((term.into(), Vec::new(), 0, 0));
                    t
                }
            };
            let (_, list, last, df) = &mut self.terms[t as usize];
            push_varint(list, doc - *last);
            let mut mask = 0u8;
            for (f, &n) in tf.iter().enumerate() {
                if n > 0 {
                    mask |= 1 << f;
                }
            }
            list.push(mask);
            list.extend(tf.iter().filter(|&&n| n > 0));
            *last = doc;
            *df += 1;
        }
    }

    pub fn finish(self) -> TermIndex {
        let mut terms = self.terms;
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let langs = self
            .langs
            .into_iter()
            .map(|(code, docs, sums)| LangStats {
                code,
                docs,
                avg: sums.map(|s| {
                    if docs == 0 {
                        0.0
                    } else {
                        s as f32 / docs as f32
                    }
                }),
            })
            .collect();
        let strings_len: usize = terms.iter().map(|t| t.0.len()).sum();
        let head = Head {
            files: self.files,
            langs,
            docs: self.docs,
            terms: terms.len() as u32,
            strings: strings_len as u32,
        };
        let head_bytes = postcard::to_stdvec(&head).unwrap_or_default();
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&(head_bytes.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&head_bytes);
        let (mut soff, mut poff) = (0u32, 0u32);
        for (text, list, _, df) in &terms {
            for v in [soff, text.len() as u32, poff, list.len() as u32, *df] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            soff = soff.wrapping_add(text.len() as u32);
            poff = poff.wrapping_add(list.len() as u32);
        }
        for (text, ..) in &terms {
            bytes.extend_from_slice(text.as_bytes());
        }
        for (_, list, ..) in &terms {
            bytes.extend_from_slice(list);
        }
        let dict = 8 + head_bytes.len();
        let strings = dict + terms.len() * RECORD;
        TermIndex {
            head,
            bytes,
            dict,
            strings,
            postings: strings + strings_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TermIndex {
        let mut b = Builder::default();
        b.file(FileKey {
            content: Some(1),
            lang: "en".into(),
            replies: 2,
        });
        b.doc(
            0,
            0,
            "en",
            [1, 2, 0, 3, 0],
            [("en:order", [1, 1, 0, 0, 0]), ("en:late", [0, 1, 0, 2, 0])],
        );
        b.doc(
            0,
            1,
            "es",
            [1, 2, 0, 3, 1],
            [("es:pedid", [0, 1, 0, 1, 255])],
        );
        b.doc(1, 0, "en", [1, 1, 0, 1, 0], [("en:order", [0, 0, 0, 1, 0])]);
        b.finish()
    }

    #[test]
    fn a_built_index_answers_lookups() {
        let i = sample();
        assert_eq!(i.len(), 3);
        let order = i.find("en:order").unwrap();
        assert_eq!(i.df(order), 2);
        assert_eq!(
            i.postings(order),
            [
                Posting {
                    doc: 0,
                    tf: [1, 1, 0, 0, 0]
                },
                Posting {
                    doc: 2,
                    tf: [0, 0, 0, 1, 0]
                }
            ]
        );
        assert_eq!(i.find("en:zzz"), None);
        assert_eq!(i.with_prefix("en:"), 0..2);
        assert_eq!(i.with_prefix("es:"), 2..3);
        assert_eq!(i.with_prefix("fr:"), 3..3);
        let en = &i.langs()[0];
        assert_eq!((en.code.as_str(), en.docs, en.avg[3]), ("en", 2, 2.0));
        assert_eq!(i.docs()[1].variant, 1);
    }

    #[test]
    fn written_and_read_back_the_same_and_any_damage_discards_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        let i = sample();
        i.write(&path).unwrap();
        let back = TermIndex::read(&path).unwrap();
        assert_eq!(back.head, i.head);
        assert_eq!(back.bytes, i.bytes);
        let good = std::fs::read(&path).unwrap();
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x04;
            std::fs::write(&path, &bad).unwrap();
            assert!(TermIndex::read(&path).is_none(), "byte {at}");
        }
        for n in 0..good.len() {
            std::fs::write(&path, &good[..n]).unwrap();
            assert!(TermIndex::read(&path).is_none(), "cut at {n}");
        }
    }

    #[test]
    fn carried_over_postings_are_those_of_the_kept_files() {
        let i = sample();
        let by_doc = i.docs_terms(&[true]);
        let terms: Vec<&str> = by_doc
            .doc(0)
            .iter()
            .map(|(t, _)| i.term(*t as usize))
            .collect();
        assert_eq!(terms, ["en:late", "en:order"]);
        assert_eq!(by_doc.doc(2).len(), 1);
        assert!(by_doc.doc(3).is_empty());
        let none = i.docs_terms(&[false]);
        assert!((0..3).all(|d| none.doc(d).is_empty()));
    }

    #[test]
    fn varints_round_trip() {
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            let mut b = Vec::new();
            push_varint(&mut b, v);
            let mut at = 0;
            assert_eq!(read_varint(&b, &mut at), Some(v));
            assert_eq!(at, b.len());
        }
    }
}
