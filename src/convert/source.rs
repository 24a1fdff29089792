//! Reading what an import is given: one file, or the files of a folder with
//! the right extensions (hidden ones skipped, links followed only inside the
//! folder, each file at most 16 MB, at most [`MAX_FILES`]), decoded from
//! whatever encoding the tool that wrote it used: UTF-8 with or without a
//! BOM, UTF-16 (with a BOM, or without one when every other byte is zero),
//! else Windows-1252, which is what spreadsheets on Windows write.

use std::path::{Path, PathBuf};

use crate::util::fs::MAX_TEXT_FILE;

/// The most files one import reads from a folder.
pub const MAX_FILES: usize = 100_000;

/// A file of the source, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// As shown in reports: relative to the folder given, or the file's name.
    pub name: String,
    pub text: String,
    /// The encoding it was read in, when not plain UTF-8 (`UTF-8 with BOM`,
    /// `UTF-16LE`, `windows-1252`).
    pub encoding: Option<&'static str>,
}

/// Why a source could not be read at all.
#[derive(Debug)]
pub struct Unreadable {
    pub path: PathBuf,
    pub reason: String,
}

/// Decodes a file's bytes. Returns the text and the encoding when it was not
/// plain UTF-8.
pub fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        return (text.into_owned(), Some("UTF-8 with BOM"));
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), Some(enc.name()));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text.into_owned(), Some(enc.name()));
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), None),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Some("windows-1252"))
        }
    }
}

/// UTF-16 without a BOM: text in Latin script has a zero byte in every
/// other place, which no UTF-8 or Windows-1252 text has.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_at = |i: usize| sample.chunks(2).filter(|p| p[i] == 0).count();
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= pairs * 9 && even == 0 {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Reads `path`: the file itself (whatever its extension), or every file
/// under the folder whose extension is one of `exts`, in name order.
pub fn read(path: &Path, exts: &[&str]) -> Result<Vec<SourceFile>, Unreadable> {
    let unreadable = |p: &Path, reason: String| Unreadable {
        path: p.to_path_buf(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(path, e.to_string()))?;
    if !meta.is_dir() {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        return Ok(vec![read_one(path, name).map_err(|r| unreadable(path, r))?]);
    }
    let root = std::fs::canonicalize(path).map_err(|e| unreadable(path, e.to_string()))?;
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    walk(&root, &root, exts, &mut found, &mut seen).map_err(|r| unreadable(path, r))?;
    found.sort();
    found
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&root).unwrap_or(&p).display().to_string();
            read_one(&p, name.clone()).map_err(|r| unreadable(&p, r))
        })
        .collect()
}

fn walk(
    root: &Path,
    dir: &Path,
    exts: &[&str],
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> Result<(), String> {
    let real = std::fs::canonicalize(dir).map_err(|e| e.to_string())?;
    // A folder reached twice through links is read once; one outside the
    // source folder is not read at all.
    if !real.starts_with(root) || !seen.insert(real) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries.flatten() {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let p = e.path();
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            walk(root, &p, exts, out, seen)?;
        } else if meta.is_file()
            && p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.iter().any(|e| e.eq_ignore_ascii_case(x)))
            && std::fs::canonicalize(&p).is_ok_and(|r| r.starts_with(root))
        {
            if out.len() >= MAX_FILES {
                return Err(format!(
                    "the folder has more than {MAX_FILES} files to import"
                ));
            }
            out.push(p);
        }
    }
    Ok(())
}

fn read_one(path: &Path, name: String) -> Result<SourceFile, String> {
    use std::io::Read;
    let file = crate::util::fs::open_regular(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_TEXT_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_TEXT_FILE {
        return Err(format!(
            "the file is larger than {} MB, the most reply reads",
            MAX_TEXT_FILE >> 20
        ));
    }
    let (text, encoding) = decode(&bytes);
    Ok(SourceFile {
        name,
        text,
        encoding,
    })
}

/// A source given as text (stdin), decoded as a file would be.
pub fn from_bytes(name: &str, bytes: &[u8]) -> SourceFile {
    let (text, encoding) = decode(bytes);
    SourceFile {
        name: name.to_string(),
        text,
        encoding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_recognised() {
        assert_eq!(decode(b"caf\xC3\xA9"), ("café".into(), None));
        assert_eq!(
            decode(b"\xEF\xBB\xBFcaf\xC3\xA9"),
            ("café".into(), Some("UTF-8 with BOM"))
        );
        assert_eq!(
            decode(b"caf\xE9 \x80"),
            ("café €".into(), Some("windows-1252"))
        );
        let le: Vec<u8> = "\u{feff}id,título"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&le), ("id,título".into(), Some("UTF-16LE")));
        let be: Vec<u8> = "\u{feff}id,título"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&be), ("id,título".into(), Some("UTF-16BE")));
        let bare: Vec<u8> = "id,title\nthx,Thanks"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(&bare),
            ("id,title\nthx,Thanks".into(), Some("UTF-16LE"))
        );
    }

    #[test]
    fn a_folder_is_read_by_extension_and_hidden_files_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.md"), "b").unwrap();
        std::fs::write(dir.path().join("sub/a.MD"), "a").unwrap();
        std::fs::write(dir.path().join(".hidden.md"), "h").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "t").unwrap();
        let files = read(dir.path(), &["md"]).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["b.md", "sub/a.MD"]);
        assert!(read(&dir.path().join("missing"), &["md"]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "s").unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("src/out")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            dir.path().join("src/link.md"),
        )
        .unwrap();
        assert!(read(&dir.path().join("src"), &["md"]).unwrap().is_empty());
    }
}
