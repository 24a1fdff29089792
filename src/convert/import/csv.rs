//! CSV exports (help-desk macros, spreadsheets, `reply export csv`): a
//! header row names the columns, the delimiter (`,` `;` tab `|`) is the one
//! that splits the first rows into the same number of fields, quoted cells
//! may hold line breaks. Rows with the same `id` and another `lang` are
//! that reply's translations. Help-desk placeholders are converted.

use std::collections::BTreeMap;

use super::Options;
use crate::convert::placeholders::{Rules, convert as placeholders};
use crate::convert::source::SourceFile;
use crate::convert::{Converted, Item, Note, Translation, slug::slug, title_from};
use crate::library::parse::valid_lang;
use crate::library::{Value, valid_var_name};

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    Id,
    Name,
    Title,
    Body,
    Tags,
    Lang,
    Public,
    Examples,
    Platforms,
    Default(String),
    Ignore,
}

/// The fields `--map` may name.
pub const FIELDS: &[&str] = &[
    "id",
    "name",
    "title",
    "body",
    "tags",
    "lang",
    "public",
    "examples",
    "platforms",
    "default.NAME",
    "ignore",
];

fn field(name: &str) -> Option<Field> {
    let n = name.trim().to_lowercase();
    if let Some(d) = n
        .strip_prefix("defaults.")
        .or_else(|| n.strip_prefix("default."))
    {
        return valid_var_name(d).then(|| Field::Default(d.to_string()));
    }
    Some(match n.as_str() {
        "id" | "key" | "slug" | "shortcut" => Field::Id,
        "name" | "macro" | "macro name" | "macro_name" => Field::Name,
        "title" | "subject" => Field::Title,
        "body" | "text" | "content" | "message" | "reply" | "response" => Field::Body,
        "tags" | "tag" | "labels" | "categories" | "category" => Field::Tags,
        "lang" | "language" | "locale" => Field::Lang,
        "public" => Field::Public,
        "examples" => Field::Examples,
        "platforms" => Field::Platforms,
        "ignore" | "-" => Field::Ignore,
        _ => return None,
    })
}

/// Whether `--map` names a field an import knows.
pub fn known_field(name: &str) -> bool {
    field(name).is_some()
}

/// The delimiter that splits the first rows most consistently.
pub fn delimiter(text: &str) -> u8 {
    let sample: String = text.chars().take(64 * 1024).collect();
    let mut best = (b',', 0usize, 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let mut r = ::csv::ReaderBuilder::new()
            .delimiter(d)
            .flexible(true)
            .has_headers(false)
            .from_reader(sample.as_bytes());
        let counts: Vec<usize> = r
            .records()
            .take(20)
            .map_while(Result::ok)
            .map(|rec| rec.len())
            .collect();
        // The last row of a sample may be cut short.
        let rows = if counts.len() > 2 {
            &counts[..counts.len() - 1]
        } else {
            &counts[..]
        };
        let Some(&width) = rows.first() else { continue };
        if width < 2 {
            continue;
        }
        let same = rows.iter().filter(|&&n| n == width).count();
        if (same, width) > (best.1, best.2) {
            best = (d, same, width);
        }
    }
    best.0
}

/// Tags as spreadsheets write them: split on `,`, `;` or `|`.
fn split_tags(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in cell.split([',', ';', '|', '\n']) {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// A cell of examples: one a line (as `reply export csv` writes them).
fn split_lines(cell: &str) -> Vec<String> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn convert(file: &SourceFile, options: &Options, out: &mut Converted) {
    let text = file.text.replace("\r\n", "\n");
    let d = delimiter(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(d)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.skip(&file.name, format!("cannot read the header row: {e}"));
            return;
        }
    };
    let mapped: BTreeMap<String, String> = options
        .map
        .iter()
        .map(|(c, f)| (c.trim().to_lowercase(), f.clone()))
        .collect();
    let fields: Vec<Option<Field>> = headers
        .iter()
        .map(|h| match mapped.get(&h.trim().to_lowercase()) {
            Some(f) => field(f),
            None => field(h),
        })
        .collect();
    for (h, f) in headers.iter().zip(&fields) {
        if f.is_none() && !h.trim().is_empty() {
            out.skip(
                &file.name,
                format!(
                    "the column `{}` is not imported: `--map '{}=FIELD'` says what it holds",
                    crate::util::escape::sanitize(h, false),
                    crate::util::escape::sanitize(h, false)
                ),
            );
        }
    }
    if !fields.iter().any(|f| f == &Some(Field::Body)) {
        out.skip(
            &file.name,
            format!(
                "no column holds the text (`body`, `text`, `content`…); the columns are {}: use --map COLUMN=body",
                headers
                    .iter()
                    .map(|h| format!("`{}`", crate::util::escape::sanitize(h, false)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        return;
    }
    let has_id = fields.iter().any(|f| f == &Some(Field::Id));
    // Where each explicit id's item is, to add translations to it.
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                out.skip(
                    format!("{}:{line}", file.name),
                    format!("not a CSV row: {e}"),
                );
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let origin = format!("{}:{line}", file.name);
        let mut row = Row::default();
        for (cell, f) in record.iter().zip(&fields) {
            let cell = cell.to_string();
            match f {
                Some(Field::Id) => row.id = cell.trim().to_string(),
                Some(Field::Name) => row.name = cell.trim().to_string(),
                Some(Field::Title) => row.title = cell.trim().to_string(),
                Some(Field::Body) => row.body = cell,
                Some(Field::Tags) => row.tags.extend(split_tags(&cell)),
                Some(Field::Lang) => row.lang = cell.trim().to_ascii_lowercase(),
                Some(Field::Public) => row.public = cell,
                Some(Field::Examples) => row.examples.extend(split_lines(&cell)),
                Some(Field::Platforms) => row.platforms.extend(split_tags(&cell)),
                Some(Field::Default(name)) if !cell.is_empty() => {
                    row.defaults.insert(name.clone(), Value::String(cell));
                }
                _ => {}
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if row.body.trim().is_empty() {
            out.skip(origin, "the row has no text");
            continue;
        }
        let mut notes = Vec::new();
        let lang = if row.lang.is_empty() {
            None
        } else if valid_lang(&row.lang) {
            Some(row.lang.clone())
        } else {
            notes.push(Note::attention(format!(
                "`{}` is not a language code: the reply is in the library's language",
                crate::util::escape::sanitize(&row.lang, false)
            )));
            None
        };
        let rules = Rules {
            helpdesk: true,
            names: None,
        };
        let body = placeholders(&row.body, rules);
        let public = (!row.public.trim().is_empty()).then(|| placeholders(&row.public, rules));
        notes.extend(body.notes.iter().cloned());
        if let Some(p) = &public {
            notes.extend(p.notes.iter().cloned());
        }
        let title = [&row.title, &row.name]
            .into_iter()
            .find(|t| !t.is_empty())
            .cloned()
            .unwrap_or_else(|| title_from(&row.body));
        // A row of an id seen before, in another language: a translation.
        if has_id
            && !row.id.is_empty()
            && let Some(&at) = by_id.get(&row.id)
        {
            let item: &mut Item = &mut out.items[at];
            let taken = std::iter::once(item.lang.as_deref())
                .chain(item.translations.iter().map(|t| Some(t.lang.as_str())))
                .any(|l| l == lang.as_deref());
            if let Some(l) = lang.clone().filter(|_| !taken && item.lang.is_some()) {
                item.translations.push(Translation {
                    lang: l,
                    title,
                    body: body.text,
                    public: public.map(|p| p.text),
                    examples: row.examples,
                });
                item.notes.extend(notes);
                continue;
            }
        }
        let id = [&row.id, &row.name, &title]
            .into_iter()
            .map(|s| slug(s))
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        if !row.id.is_empty() {
            by_id.entry(row.id.clone()).or_insert(out.items.len());
        }
        out.items.push(Item {
            id,
            origin,
            lang,
            title,
            body: body.text,
            public: public.map(|p| p.text),
            tags: row.tags,
            examples: row.examples,
            platforms: row
                .platforms
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect(),
            defaults: row.defaults,
            notes,
            ..Item::default()
        });
    }
}

#[derive(Default)]
struct Row {
    id: String,
    name: String,
    title: String,
    body: String,
    tags: Vec<String>,
    lang: String,
    public: String,
    examples: Vec<String>,
    platforms: Vec<String>,
    defaults: BTreeMap<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, map: &[(&str, &str)]) -> Converted {
        let mut out = Converted::default();
        let options = Options {
            map: map
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        };
        convert(
            &SourceFile {
                name: "m.csv".into(),
                text: text.into(),
                encoding: None,
            },
            &options,
            &mut out,
        );
        out
    }

    #[test]
    fn delimiters_are_found() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(delimiter("a;b;c\n1;\"2,5\";3\n"), b';');
        assert_eq!(delimiter("a\tb\n1\t2, 3\n"), b'\t');
        assert_eq!(delimiter("name|body\nx|y, z\n"), b'|');
        assert_eq!(delimiter("body\nonly one column\n"), b',');
    }

    #[test]
    fn columns_rows_and_translations() {
        let out = run(
            "ID,Title,Body,Tags,Lang,default.eta\r\nlate,Late,\"Hi {{ticket.requester.first_name}},\r\nsoon\",\"orders; shipping\",en,tomorrow\r\nlate,Tarde,Hola,,es,\r\n,,\r\nx,,\"\",,,\r\n",
            &[],
        );
        assert_eq!(out.items.len(), 1, "{:?}", out.items);
        let i = &out.items[0];
        assert_eq!(i.id, "late");
        assert_eq!(i.body, "Hi {{ customer | first_name }},\nsoon");
        assert_eq!(i.tags, ["orders", "shipping"]);
        assert_eq!(i.defaults["eta"], Value::from("tomorrow"));
        assert_eq!(i.translations[0].lang, "es");
        assert_eq!(i.translations[0].body, "Hola");
        assert_eq!(i.origin, "m.csv:2");
        assert_eq!(out.skipped.len(), 1, "{:?}", out.skipped);
        assert!(out.skipped[0].reason.contains("no text"));
    }

    #[test]
    fn names_titles_duplicates_and_map() {
        let out = run(
            "Macro,Comment,Owner\nRefund ok,Refund done,Sam\nRefund ok,Again,Sam\n,Just a text with no title at all here,Bo\n",
            &[("comment", "body")],
        );
        let ids: Vec<&str> = out.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            ["refund-ok", "refund-ok", "just-a-text-with-no-title-at-all"]
        );
        assert_eq!(out.items[2].title, "Just a text with no title at all…");
        assert!(out.skipped.iter().any(|s| s.reason.contains("`Owner`")));
        let none = run("a,b\n1,2\n", &[]);
        assert!(
            none.skipped
                .iter()
                .any(|s| s.reason.contains("no column holds the text"))
        );
    }
}
