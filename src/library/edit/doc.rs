//! Changes to one reply in a library file's text that leave every other byte
//! as it was. toml_edit reads the file and says where each table is, with the
//! comments and blank lines above it; the change is made on those ranges of
//! the original text, so the rest of the file (comments, blank lines, key
//! order, string styles, line ends) is never rewritten.
//!
//! A reply is its table (`[order-delay]`) and every table below it
//! (`[order-delay.defaults]`, `[order-delay.translations.es]`,
//! `[order-delay.tests.basic]`…), wherever they are in the file. Each table
//! owns the comments right above its header, as toml_edit reads them: a
//! comment about a reply moves and goes with it.

use std::ops::Range;

use toml_edit::{Document, Item, Table};

use crate::diag::{Error, Result};

/// A table of the file: where its block starts (its comments), its header.
struct Block {
    start: usize,
    header: Range<usize>,
    /// The first key of its header: the reply it belongs to.
    root: String,
}

fn parse(text: &str) -> Result<Document<&str>> {
    Document::parse(text).map_err(|e| {
        Error::data(format!(
            "the file is not valid TOML: {}",
            e.message().trim()
        ))
        .hint("fix it with `reply edit`, or in an editor, first")
    })
}

/// Every table with a header, in file order.
fn blocks(doc: &Document<&str>) -> Vec<Block> {
    fn walk(table: &Table, root: Option<&str>, out: &mut Vec<Block>) {
        for (key, item) in table.iter() {
            let root = root.unwrap_or(key);
            let tables: Vec<&Table> = match item {
                Item::Table(t) => vec![t],
                Item::ArrayOfTables(a) => a.iter().collect(),
                _ => Vec::new(),
            };
            for t in tables {
                if !t.is_implicit()
                    && !t.is_dotted()
                    && let Some(header) = t.span()
                {
                    let start = t
                        .decor()
                        .prefix()
                        .and_then(|p| p.span())
                        .map_or(header.start, |p| p.start.min(header.start));
                    out.push(Block {
                        start,
                        header,
                        root: root.to_string(),
                    });
                }
                walk(t, Some(root), out);
            }
        }
    }
    let mut out = Vec::new();
    walk(doc.as_table(), None, &mut out);
    out.sort_by_key(|b| b.start);
    out
}

/// A reply's tables in a file: each whole (with its comments), and each header.
struct Pieces {
    blocks: Vec<Range<usize>>,
    headers: Vec<Range<usize>>,
}

/// The byte ranges of reply `id`'s tables, each with its comments, in file
/// order, and its header ranges. An error when the file has no such reply,
/// or writes it in a way these edits cannot take apart (an inline table or
/// dotted keys at the top of the file).
fn ranges(text: &str, id: &str) -> Result<Pieces> {
    let doc = parse(text)?;
    let Some(item) = doc.as_table().get(id) else {
        return Err(Error::data(format!("the file has no reply `{id}`")));
    };
    if !matches!(item, Item::Table(t) if !t.is_dotted()) {
        return Err(Error::data(format!(
            "reply `{id}` is written as an inline table or with dotted keys, which `reply` cannot change without rewriting it"
        ))
        .hint(format!("write it as a table `[{id}]`, then try again (`reply edit {id}`)")));
    }
    let all = blocks(&doc);
    let end_of_tables = doc
        .trailing()
        .span()
        .map_or(text.len(), |s| s.start)
        .max(all.last().map_or(0, |b| b.header.end));
    let mut spans = Vec::new();
    let mut headers = Vec::new();
    for (i, b) in all.iter().enumerate() {
        if b.root != id {
            continue;
        }
        let end = all.get(i + 1).map_or(end_of_tables, |n| n.start);
        spans.push(b.start..end);
        headers.push(b.header.clone());
    }
    if headers.is_empty() {
        return Err(Error::data(format!(
            "reply `{id}` has no table header `[{id}]` in the file"
        )));
    }
    Ok(Pieces {
        blocks: spans,
        headers,
    })
}

/// The keys set at the top of a text, outside any table (`lang = "es"`):
/// appended to a file, they would belong to its last table.
pub fn root_values(text: &str) -> Vec<String> {
    let Ok(doc) = Document::parse(text) else {
        return Vec::new();
    };
    doc.as_table()
        .iter()
        .filter(|(_, item)| item.is_value())
        .map(|(k, _)| k.to_string())
        .collect()
}

/// Whether the file defines a reply `id` (a top-level table of that name).
pub fn has_reply(text: &str, id: &str) -> bool {
    Document::parse(text).is_ok_and(|d| d.as_table().contains_key(id))
}

/// The file without reply `id`: its tables and their comments go, nothing else.
pub fn remove(text: &str, id: &str) -> Result<String> {
    let spans = ranges(text, id)?.blocks;
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        out.push_str(&text[at..s.start]);
        at = s.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The file with reply `old` called `new`: the first key of each of its
/// table headers changes, in place, and nothing else.
pub fn rename(text: &str, old: &str, new: &str) -> Result<String> {
    let headers = ranges(text, old)?.headers;
    let mut out = String::with_capacity(text.len() + headers.len() * new.len());
    let mut at = 0;
    for h in headers {
        let key = first_key(text, h.clone()).ok_or_else(|| {
            Error::data(format!(
                "cannot read the header `{}`",
                text.get(h.clone()).unwrap_or("")
            ))
        })?;
        out.push_str(&text[at..key.start]);
        out.push_str(new);
        at = key.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// Reply `id`'s tables (with their comments) as a text of their own, named
/// `new`: what `cp` appends to another file.
pub fn extract(text: &str, id: &str, new: &str) -> Result<String> {
    let spans = ranges(text, id)?.blocks;
    let mut piece = String::new();
    for s in spans {
        let part = &text[s];
        piece.push_str(part);
        if !part.ends_with('\n') {
            piece.push('\n');
        }
    }
    // The blank lines that separated it from what came before are not its own.
    let piece = piece.trim_start_matches(['\n', '\r']).to_string();
    rename(&piece, id, new)
}

/// `snippet` with `key = value` (a TOML value, already written) as the first
/// line of the reply's own table, right after the header `[id]`.
pub fn with_field(snippet: &str, id: &str, line: &str) -> Result<String> {
    let headers = ranges(snippet, id)?.headers;
    let head = headers[0].end;
    let eol = snippet[head..]
        .find('\n')
        .map_or(snippet.len(), |i| head + i + 1);
    let mut out = snippet[..eol].to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    out.push_str(&snippet[eol..]);
    Ok(out)
}

/// `text` with `snippet` added at the end, after one blank line; the text
/// already there is kept byte for byte.
pub fn append(text: &str, snippet: &str) -> String {
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.trim().is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(snippet.trim_start_matches(['\n', '\r']));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The line (1-based) of reply `id`'s own table header, for the editor.
pub fn header_line(text: &str, id: &str) -> Option<usize> {
    let doc = Document::parse(text).ok()?;
    let Some(Item::Table(t)) = doc.as_table().get(id) else {
        return None;
    };
    let start = t.span()?.start;
    Some(text[..start].matches('\n').count() + 1)
}

/// The first key of a table header `[ key . … ]`: a bare key or a quoted one.
fn first_key(text: &str, header: Range<usize>) -> Option<Range<usize>> {
    let h = text.get(header.clone())?;
    let open = h.find('[')? + 1;
    let open = open + usize::from(h[open..].starts_with('['));
    let rest = &h[open..];
    let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let key = &rest[lead..];
    let len = match key.chars().next()? {
        q @ ('"' | '\'') => {
            let mut escaped = false;
            let close = key[1..].char_indices().find(|&(_, c)| {
                let end = c == q && !escaped;
                escaped = q == '"' && c == '\\' && !escaped;
                end
            })?;
            close.0 + 2
        }
        _ => key
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(key.len()),
    };
    let start = header.start + open + lead;
    Some(start..start + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# Orders: every reply about orders.\nlang = \"en\"\n\n# The one for late orders.\n[late]   # a header comment\ntitle = 'Late'\nbody = \"\"\"\nHi {{ customer }}\n\"\"\"\n\n# Its defaults.\n[late.defaults]\neta = \"soon\"   # keep this\n\n[thanks]\ntitle = \"Thanks\"\nbody = 'Thanks {{ customer }}'\n\n[ late . tests . basic ]\ncontains = \"Hi\"\n\n# The end.\n";

    #[test]
    fn remove_takes_the_tables_and_their_comments_only() {
        let out = remove(FILE, "late").unwrap();
        assert_eq!(
            out,
            "# Orders: every reply about orders.\nlang = \"en\"\n\n[thanks]\ntitle = \"Thanks\"\nbody = 'Thanks {{ customer }}'\n\n# The end.\n"
        );
        let out = remove(FILE, "thanks").unwrap();
        assert_eq!(
            out,
            FILE.replace(
                "\n[thanks]\ntitle = \"Thanks\"\nbody = 'Thanks {{ customer }}'\n",
                ""
            )
        );
        assert!(remove(FILE, "nope").is_err());
    }

    #[test]
    fn rename_changes_only_the_headers() {
        let out = rename(FILE, "late", "order-late").unwrap();
        assert_eq!(
            out,
            FILE.replace("[late]", "[order-late]")
                .replace("[late.defaults]", "[order-late.defaults]")
                .replace("[ late . tests", "[ order-late . tests")
        );
        let quoted = "[\"a\"]\ntitle='A'\nbody='b'\n[\"a\".defaults]\nx=1\n";
        assert_eq!(
            rename(quoted, "a", "b").unwrap(),
            "[b]\ntitle='A'\nbody='b'\n[b.defaults]\nx=1\n"
        );
    }

    #[test]
    fn extract_gathers_the_tables_wherever_they_are() {
        let out = extract(FILE, "late", "late-copy").unwrap();
        assert_eq!(
            out,
            "# The one for late orders.\n[late-copy]   # a header comment\ntitle = 'Late'\nbody = \"\"\"\nHi {{ customer }}\n\"\"\"\n\n# Its defaults.\n[late-copy.defaults]\neta = \"soon\"   # keep this\n\n[ late-copy . tests . basic ]\ncontains = \"Hi\"\n"
        );
        let with_lang = with_field(&out, "late-copy", "lang = \"es\"").unwrap();
        assert!(
            with_lang.contains("[late-copy]   # a header comment\nlang = \"es\"\ntitle = 'Late'")
        );
    }

    #[test]
    fn append_keeps_the_text_and_adds_one_blank_line() {
        assert_eq!(append("", "[a]\n"), "[a]\n");
        assert_eq!(append("[x]\n", "[a]\n"), "[x]\n\n[a]\n");
        assert_eq!(append("[x]", "[a]"), "[x]\n\n[a]\n");
        assert_eq!(append("[x]\n\n", "\n[a]\n"), "[x]\n\n[a]\n");
    }

    #[test]
    fn header_line_and_has_reply() {
        assert_eq!(header_line(FILE, "late"), Some(5));
        assert_eq!(header_line(FILE, "thanks"), Some(15));
        assert!(has_reply(FILE, "thanks") && !has_reply(FILE, "nope"));
    }

    #[test]
    fn values_outside_any_table_are_found() {
        assert_eq!(root_values("lang = 'es'\n[a]\nx = 1\n"), ["lang"]);
        assert!(root_values("[a]\nlang = 'es'\n").is_empty());
    }

    #[test]
    fn inline_replies_are_refused() {
        let e = remove("a = { title = 'x', body = 'y' }\n", "a").unwrap_err();
        assert!(e.to_string().contains("inline table"), "{e}");
        assert!(
            remove("[a\n", "a")
                .unwrap_err()
                .to_string()
                .contains("not valid TOML")
        );
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let crlf = FILE.replace('\n', "\r\n");
        let out = remove(&crlf, "late").unwrap();
        assert_eq!(out, remove(FILE, "late").unwrap().replace('\n', "\r\n"));
        let out = rename(&crlf, "late", "x").unwrap();
        assert_eq!(
            out,
            rename(FILE, "late", "x").unwrap().replace('\n', "\r\n")
        );
    }

    /// Every starter file, every reply: removing it leaves the rest of the
    /// file exactly as it was, and renaming it changes only its headers.
    #[test]
    fn every_starter_reply_comes_out_cleanly() {
        for (name, text) in crate::library::starter::STARTER {
            let parsed = crate::library::parse::parse_file(name, text, "en");
            for r in &parsed.replies {
                let out = remove(text, &r.id).unwrap();
                let again = crate::library::parse::parse_file(name, &out, "en");
                assert!(again.diagnostics.is_empty(), "{name} without {}", r.id);
                let left: Vec<&str> = again.replies.iter().map(|x| x.id.as_str()).collect();
                let want: Vec<&str> = parsed
                    .replies
                    .iter()
                    .map(|x| x.id.as_str())
                    .filter(|x| *x != r.id)
                    .collect();
                assert_eq!(left, want);
                // Every other reply reads as it did.
                let shape = |x: &crate::library::Reply| {
                    let texts: Vec<_> = x
                        .variants
                        .iter()
                        .map(|v| {
                            (
                                v.lang.clone(),
                                v.title.clone(),
                                v.body.src.clone(),
                                v.public.as_ref().map(|p| p.src.clone()),
                            )
                        })
                        .collect();
                    let tests: Vec<_> = x
                        .tests
                        .iter()
                        .map(|t| {
                            (
                                t.name.clone(),
                                t.vars.clone(),
                                t.contains.clone(),
                                t.expect.clone(),
                            )
                        })
                        .collect();
                    (x.tags.clone(), x.defaults.clone(), texts, tests)
                };
                for other in &again.replies {
                    let before = parsed.replies.iter().find(|x| x.id == other.id).unwrap();
                    assert!(
                        shape(other) == shape(before),
                        "{name}: {} changed",
                        other.id
                    );
                }
                let renamed = rename(text, &r.id, "renamed-reply").unwrap();
                let p = crate::library::parse::parse_file(name, &renamed, "en");
                let moved = p.replies.iter().find(|x| x.id == "renamed-reply").unwrap();
                assert_eq!(moved.tests.len(), r.tests.len());
                assert_eq!(moved.variants.len(), r.variants.len());
                assert_eq!(moved.defaults, r.defaults);
            }
        }
    }
}
