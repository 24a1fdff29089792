//! Markdown files with front matter, as community bots and docs sites keep
//! canned answers: YAML between `---` lines or TOML between `+++` lines.
//! The file name is the id and its folders are tags; `title` (or `name`, or
//! `embed.title`, else the first heading, else the first words), `tags` and
//! `aliases` (as tags) are read, and so is everything `reply export
//! markdown` writes. The body is kept as written: a file whose front matter
//! says `template: tera` is one of ours and its body is a template as it
//! is; any other has its help-desk placeholders converted and whatever else
//! looks like a tag kept as text. Bot tag files (`.ytag`, front matter with
//! no opening `---`) are read too; an alias tag is no reply of its own.

use serde_json::{Map, Value};

use super::{scalar, string_list, yaml};
use crate::convert::placeholders::{Rules, convert as placeholders};
use crate::convert::source::SourceFile;
use crate::convert::{Converted, Item, Note, Translation, slug::slug, title_from};
use crate::library::parse::valid_lang;

/// The front matter keys read; any other is reported, not imported.
const KEYS: &[&str] = &[
    "id",
    "title",
    "name",
    "embed",
    "tags",
    "aliases",
    "lang",
    "public",
    "examples",
    "platforms",
    "defaults",
    "translations",
    "template",
    "type",
];

/// The front matter and the body after it; `Err` when it cannot be read.
/// A file's front matter (if any) and its body.
type Split<'a> = (Option<Map<String, Value>>, &'a str);

fn split(text: &str, ytag: bool) -> Result<Split<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("").trim_end();
    let (fence, start) = match first {
        "---" => ("---", text.find('\n').map_or(text.len(), |i| i + 1)),
        "+++" => ("+++", text.find('\n').map_or(text.len(), |i| i + 1)),
        // A bot's tag file (`.ytag`): the front matter comes first, with no
        // opening line, up to `---` (or the end, for an alias).
        _ if ytag => ("---", 0),
        _ => return Ok((None, text)),
    };
    let mut at = start;
    let mut end = None;
    for line in text[start..].split_inclusive('\n') {
        let l = line.trim_end();
        if l == fence || (fence == "---" && l == "...") {
            end = Some((at, at + line.len()));
            break;
        }
        at += line.len();
    }
    let (close, body) = match end {
        Some(e) => e,
        None if ytag => (text.len(), text.len()),
        None => return Err(format!("the front matter's `{fence}` is never closed")),
    };
    let head = &text[start..close];
    let value: Value = if fence == "---" {
        yaml(head)?
    } else {
        let t: toml::Value = toml::from_str(head)
            .map_err(|e| format!("the TOML front matter does not read: {}", e.message()))?;
        serde_json::to_value(t).map_err(|e| e.to_string())?
    };
    let map = match value {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        _ => return Err("the front matter is not a set of `key: value`".into()),
    };
    Ok((Some(map), &text[body..]))
}

/// The first `# Heading` of a text, if it starts with one.
fn heading(body: &str) -> Option<String> {
    let first = body.lines().find(|l| !l.trim().is_empty())?;
    let h = first.trim_start().strip_prefix('#')?;
    let h = h.trim_start_matches('#').trim();
    (!h.is_empty()).then(|| h.to_string())
}

pub fn convert(file: &SourceFile, out: &mut Converted) {
    let origin = file.name.clone();
    let ytag = file.name.to_ascii_lowercase().ends_with(".ytag");
    let (front, body) = match split(&file.text, ytag) {
        Ok(x) => x,
        Err(e) => {
            out.skip(origin, e);
            return;
        }
    };
    let path = std::path::Path::new(&file.name);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if front.is_none() && stem.eq_ignore_ascii_case("readme") {
        out.skip(
            origin,
            "a README without front matter: documentation, not a reply",
        );
        return;
    }
    let front = front.unwrap_or_default();
    let get = |k: &str| front.get(k).filter(|v| !v.is_null());
    if get("type").and_then(Value::as_str) == Some("alias") {
        let target = get("target").and_then(scalar).unwrap_or_default();
        out.skip(
            origin,
            format!(
                "an alias of `{}`, not a reply of its own",
                crate::util::escape::sanitize(&target, false)
            ),
        );
        return;
    }
    let ours = get("template").and_then(Value::as_str) == Some("tera");
    let body = body.trim_start_matches(['\n', '\r']).replace("\r\n", "\n");
    if body.trim().is_empty() {
        out.skip(origin, "the file has no text after its front matter");
        return;
    }
    let mut notes = Vec::new();
    let unknown: Vec<String> = front
        .keys()
        .filter(|k| !KEYS.contains(&k.as_str()))
        .map(|k| format!("`{}`", crate::util::escape::sanitize(k, false)))
        .collect();
    if !unknown.is_empty() {
        notes.push(Note::info(format!(
            "front matter not imported: {}",
            unknown.join(", ")
        )));
    }
    let rules = Rules {
        helpdesk: true,
        names: None,
    };
    let text = |t: &str, notes: &mut Vec<Note>| -> String {
        if ours {
            return t.to_string();
        }
        let c = placeholders(t, rules);
        notes.extend(c.notes);
        c.text
    };
    let title = get("title")
        .or_else(|| get("name"))
        .or_else(|| get("embed").and_then(|e| e.get("title")))
        .and_then(scalar)
        .filter(|t| !t.trim().is_empty())
        .or_else(|| heading(&body))
        .unwrap_or_else(|| title_from(&body));
    let mut tags: Vec<String> = get("tags").map(string_list).unwrap_or_default();
    let aliases = get("aliases").map(string_list).unwrap_or_default();
    if !aliases.is_empty() {
        notes.push(Note::info(format!(
            "aliases kept as tags: {}",
            crate::util::escape::sanitize(&aliases.join(", "), false)
        )));
    }
    // Folders act as categories (`faq/install.md`).
    let folders = path
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    for t in aliases.into_iter().chain(folders) {
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    let lang = match get("lang").and_then(scalar) {
        Some(l) if valid_lang(&l) => Some(l.to_ascii_lowercase()),
        Some(l) => {
            notes.push(Note::attention(format!(
                "`{}` is not a language code: the reply is in the library's language",
                crate::util::escape::sanitize(&l, false)
            )));
            None
        }
        None => None,
    };
    let public = get("public").and_then(scalar).map(|p| text(&p, &mut notes));
    let mut translations = Vec::new();
    if let Some(Value::Object(t)) = get("translations") {
        for (code, v) in t {
            let (Some(title), Some(b)) = (
                v.get("title").and_then(scalar),
                v.get("body").and_then(scalar),
            ) else {
                notes.push(Note::attention(format!(
                    "the translation `{}` has no title or body: left out",
                    crate::util::escape::sanitize(code, false)
                )));
                continue;
            };
            translations.push(Translation {
                lang: code.to_ascii_lowercase(),
                title,
                body: text(&b, &mut notes),
                public: v
                    .get("public")
                    .and_then(scalar)
                    .map(|p| text(&p, &mut notes)),
                examples: v.get("examples").map(string_list).unwrap_or_default(),
            });
        }
    }
    let defaults = match get("defaults") {
        Some(Value::Object(d)) => d.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => Default::default(),
    };
    let id = get("id")
        .and_then(scalar)
        .map(|i| slug(&i))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            let s = slug(&stem);
            if s.is_empty() { slug(&title) } else { s }
        });
    let body = text(&body, &mut notes);
    out.items.push(Item {
        id,
        origin,
        lang,
        title,
        body,
        public,
        tags,
        examples: get("examples").map(string_list).unwrap_or_default(),
        platforms: get("platforms").map(string_list).unwrap_or_default(),
        defaults,
        translations,
        notes,
        ..Item::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, text: &str) -> Converted {
        let mut out = Converted::default();
        convert(
            &SourceFile {
                name: name.into(),
                text: text.into(),
                encoding: None,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn yaml_front_matter_with_unknown_keys() {
        let out = run(
            "faq/pip.md",
            "---\naliases: [\"minusmpip\"]\nembed:\n    title: \"Install with `python -m pip`\"\ncolour: blue\n---\nUse `python -m pip`.\n\nWith {x} and {{0}}.\n",
        );
        let i = &out.items[0];
        assert_eq!(i.id, "pip");
        assert_eq!(i.title, "Install with `python -m pip`");
        assert_eq!(i.tags, ["minusmpip", "faq"]);
        assert_eq!(
            i.body,
            "Use `python -m pip`.\n\nWith {x} and {% raw %}{{0}}{% endraw %}.\n"
        );
        let notes = format!("{:?}", i.notes);
        assert!(
            notes.contains("`colour`") && notes.contains("minusmpip"),
            "{notes}"
        );
    }

    #[test]
    fn toml_front_matter_headings_and_no_front_matter() {
        let out = run(
            "Refund Policy.md",
            "+++\ntitle = \"Refunds\"\ntags = [\"money\"]\n+++\nHi {{ticket.requester.name}}\n",
        );
        assert_eq!(out.items[0].title, "Refunds");
        assert_eq!(out.items[0].id, "refund-policy");
        assert_eq!(out.items[0].body, "Hi {{ customer }}\n");
        let out = run("late.md", "# Late order\r\n\r\nIt is on its way.\r\n");
        assert_eq!(out.items[0].title, "Late order");
        assert_eq!(out.items[0].body, "# Late order\n\nIt is on its way.\n");
        assert_eq!(run("README.md", "# Docs\n").skipped.len(), 1);
        assert_eq!(run("x.md", "---\ntitle: [\n---\nx").skipped.len(), 1);
        assert!(
            run("x.md", "---\ntitle: x\n").skipped[0]
                .reason
                .contains("never closed")
        );
        assert!(
            run("x.md", "---\ntitle: x\n---\n\n").skipped[0]
                .reason
                .contains("no text")
        );
    }

    #[test]
    fn bot_tag_files() {
        let out = run(
            "faq/crash.ytag",
            "type: text\n\n---\n\nRead the log: {{0}}\n",
        );
        assert_eq!(out.items[0].id, "crash");
        assert_eq!(
            out.items[0].body,
            "Read the log: {% raw %}{{0}}{% endraw %}\n"
        );
        assert!(out.items[0].notes.iter().any(Note::needs_attention));
        let out = run("faq/c.ytag", "type: alias\ntarget: faq/crash\n");
        assert!(out.skipped[0].reason.contains("alias of `faq/crash`"));
    }

    #[test]
    fn ours_are_kept_as_templates_with_their_translations() {
        let out = run(
            "late.md",
            "---\ntitle: Late\ntemplate: tera\nlang: en\ndefaults:\n  eta: soon\ntranslations:\n  es:\n    title: Tarde\n    body: |\n      Hola {% if x %}x{% endif %}\n---\nHi {{ customer | default(value=\"there\") }} {# note #}\n",
        );
        let i = &out.items[0];
        assert_eq!(
            i.body,
            "Hi {{ customer | default(value=\"there\") }} {# note #}\n"
        );
        assert_eq!(i.translations[0].body, "Hola {% if x %}x{% endif %}\n");
        assert_eq!(i.defaults["eta"], Value::from("soon"));
        assert_eq!(i.lang.as_deref(), Some("en"));
        assert!(i.notes.is_empty(), "{:?}", i.notes);
    }
}
