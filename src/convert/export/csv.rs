//! `reply export csv`: one row per reply and language, as spreadsheets and
//! help desks read them: `id`, `lang`, `title`, `tags`, `body`, `public`,
//! `examples` (one a line), `platforms`, and a `default.NAME` column per
//! default any reply has. Tags, platforms and defaults are on a reply's
//! first row; its translations' rows leave them empty. `import csv` reads
//! it back into the same replies.

use super::{Exported, lost};
use crate::convert::Item;
use crate::library::Value;

fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn export(items: &[Item]) -> Exported {
    let mut names: Vec<&String> = items.iter().flat_map(|i| i.defaults.keys()).collect();
    names.sort();
    names.dedup();
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut head: Vec<String> = [
        "id",
        "lang",
        "title",
        "tags",
        "body",
        "public",
        "examples",
        "platforms",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    head.extend(names.iter().map(|n| format!("default.{n}")));
    let mut rows = vec![head];
    for i in items {
        let mut row = vec![
            i.id.clone(),
            i.lang.clone().unwrap_or_default(),
            i.title.clone(),
            i.tags.join(", "),
            i.body.clone(),
            i.public.clone().unwrap_or_default(),
            i.examples.join("\n"),
            i.platforms.join(", "),
        ];
        row.extend(
            names
                .iter()
                .map(|n| i.defaults.get(*n).map(cell).unwrap_or_default()),
        );
        rows.push(row);
        for t in &i.translations {
            let mut row = vec![
                i.id.clone(),
                t.lang.clone(),
                t.title.clone(),
                String::new(),
                t.body.clone(),
                t.public.clone().unwrap_or_default(),
                t.examples.join("\n"),
                String::new(),
            ];
            row.extend(names.iter().map(|_| String::new()));
            rows.push(row);
        }
    }
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(&r);
    }
    let text = w
        .into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let with = |f: fn(&Item) -> bool| super::ids_where(items, f);
    let tag_commas = with(|i| i.tags.iter().any(|t| t.contains([',', ';', '|'])));
    let warnings = [
        lost("declared variables", &with(|i| !i.vars.is_empty()), "CSV"),
        lost(
            "the replies' own tests",
            &with(|i| !i.tests.is_empty()),
            "CSV",
        ),
        lost(
            "a tag with `,`, `;` or `|` in it (it reads back as several)",
            &tag_commas,
            "CSV",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    Exported {
        files: vec![(String::new(), text)],
        warnings,
    }
}
