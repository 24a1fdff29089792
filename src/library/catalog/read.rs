//! Reading one file for the catalog: parsed only when its text is not the
//! one the cache holds, into what the catalog keeps of it.

use super::Entry;
use super::cache::{FileBodies, FileInfo, Problem, Stamp, checksum};
use crate::diag::Lines;
use crate::library::scan::Source;
use crate::library::{parse, unreadable};

/// A file read because its stamp did not prove it unchanged.
pub(super) enum Read {
    /// Its text is the cached one (same checksum): the cached info, and its
    /// index in the cache, still hold.
    Same(usize, FileInfo),
    New(FileInfo, FileBodies),
}

/// Reads one file; parses it unless its text is the one `cached` was read
/// from, or it is still unreadable for the same reason.
pub(super) fn read_file(source: &Source, stamp: Stamp, cached: Option<(usize, FileInfo)>) -> Read {
    let text = source.read();
    let Some((oi, info)) = cached else {
        let (info, bodies) = file_info(source, stamp, text);
        return Read::New(info, bodies);
    };
    match &text {
        Ok(t) if info.content == Some(checksum(t.as_bytes())) => return Read::Same(oi, info),
        Err(e)
            if info.content.is_none()
                && info.problems == [Problem::from(&unreadable(&source.name, e))] =>
        {
            return Read::Same(oi, info);
        }
        _ => {}
    }
    let (info, bodies) = file_info(source, stamp, text);
    Read::New(info, bodies)
}

/// The folded bodies of each file, read and parsed again (in parallel).
pub(super) fn bodies_of(sources: Vec<Source>) -> Vec<FileBodies> {
    crate::util::parallel::map(sources, |s| {
        s.read()
            .map(|t| FileBodies::of(&parse::parse_file(&s.name, &t, &s.lang).replies))
            .unwrap_or_default()
    })
}

/// Parses one file's text (or notes why it could not be read) into what the
/// catalog keeps of it.
pub(super) fn file_info(
    source: &Source,
    stamp: Stamp,
    text: std::io::Result<String>,
) -> (FileInfo, FileBodies) {
    let mut info = FileInfo {
        name: source.name.clone(),
        path: source.path.clone(),
        layer: source.layer,
        stamp,
        content: None,
        lang: source.lang.clone(),
        problems: Vec::new(),
        entries: Vec::new(),
    };
    let mut bodies = FileBodies::default();
    match text {
        Ok(text) => {
            info.content = Some(checksum(text.as_bytes()));
            crate::util::test_hooks::parsed(&source.name);
            let p = parse::parse_file(&source.name, &text, &source.lang);
            info.problems = p.diagnostics.iter().map(Problem::from).collect();
            let lines = Lines::new(&text);
            for r in &p.replies {
                let (line, column) = lines.position(&text, r.span.start);
                info.entries
                    .push(Entry::from_reply(r, 0, line as u32, column as u32));
            }
            bodies = FileBodies::of(&p.replies);
        }
        Err(e) => {
            // Whatever made it unreadable may go away without changing the
            // stamp (a group membership, an ACL on a folder): never trusted.
            info.stamp = Stamp::UNKNOWN;
            info.problems
                .push(Problem::from(&unreadable(&source.name, &e)));
        }
    }
    (info, bodies)
}
