//! espanso match files (`matches:` in YAML): each match a reply. Its
//! triggers are kept as tags (so `:thx` still finds it), `replace` is the
//! body, `label` the title (else the text's first words). `{{var}}` become
//! variables: a form's fields and `choice` vars are declared, with their
//! choices; `echo` gives a default; what only espanso can fill in (date,
//! shell, script, clipboard, random, another match) stays a plain variable
//! and the match is listed as needing attention.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{scalar, string_list, yaml};
use crate::convert::placeholders::{Rules, convert as placeholders};
use crate::convert::source::SourceFile;
use crate::convert::{Converted, Item, Note, slug::slug, title_from};
use crate::library::VarSpec;

/// The espanso cursor marker, which says where the cursor goes after expanding.
const CURSOR: &str = "$|$";

pub fn convert(file: &SourceFile, out: &mut Converted) {
    let doc: Value = match yaml(&file.text) {
        Ok(v) => v,
        Err(e) => {
            out.skip(&file.name, format!("not YAML espanso can read: {e}"));
            return;
        }
    };
    let Some(doc) = doc.as_object() else {
        if !file.text.trim().is_empty() {
            out.skip(&file.name, "not an espanso match file (no `matches:`)");
        }
        return;
    };
    let globals = doc
        .get("global_vars")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(matches) = doc.get("matches").and_then(Value::as_array) else {
        // `_manifest.yml` and the like: a package's metadata, not matches.
        let meta = std::path::Path::new(&file.name)
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('_'));
        if doc.get("imports").is_none() && !meta {
            out.skip(&file.name, "not an espanso match file (no `matches:`)");
        }
        return;
    };
    for (i, m) in matches.iter().enumerate() {
        let origin = format!("{}, match {}", file.name, i + 1);
        match m.as_object() {
            Some(m) => one(m, &globals, origin, out),
            None => out.skip(
                origin,
                "a match must be a mapping with `trigger` and `replace`",
            ),
        }
    }
}

/// The values of a `choice` or list field: a list (of strings, or of
/// `{label, id}`), or one string with a value a line.
fn values(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => s
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| {
                scalar(x).or_else(|| x.get("id").or_else(|| x.get("label")).and_then(scalar))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What one match's variables and form fields become.
#[derive(Default)]
struct Vars {
    /// The placeholder as written in the text → the template text.
    names: BTreeMap<String, String>,
    declared: Vec<VarSpec>,
    defaults: BTreeMap<String, Value>,
    notes: Vec<Note>,
}

impl Vars {
    fn field(&mut self, written: String, name: &str, spec: Option<&Map<String, Value>>) {
        let var = crate::convert::slug::var_name(name);
        self.names.insert(written, format!("{{{{ {var} }}}}"));
        let mut d = VarSpec::named(&var);
        if let Some(spec) = spec {
            let kind = spec.get("type").and_then(Value::as_str).unwrap_or("text");
            if matches!(kind, "choice" | "list") {
                d.choices = values(spec.get("values"));
            }
            if let Some(def) = spec.get("default").and_then(scalar)
                && (d.choices.is_empty() || d.choices.contains(&def))
                && !def.is_empty()
            {
                d.default = Some(Value::String(def));
            }
        }
        if !self.declared.iter().any(|x| x.name == var) {
            self.declared.push(d);
        }
    }

    fn var(&mut self, v: &Map<String, Value>) {
        let Some(name) = v.get("name").and_then(scalar) else {
            return;
        };
        let kind = v.get("type").and_then(Value::as_str).unwrap_or("");
        let params = v.get("params").and_then(Value::as_object);
        let var = crate::convert::slug::var_name(&name);
        match kind {
            "form" => {
                let fields = params
                    .and_then(|p| p.get("fields"))
                    .and_then(Value::as_object);
                let layout = params
                    .and_then(|p| p.get("layout"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let mut seen = Vec::new();
                for f in form_fields(layout) {
                    let spec = fields.and_then(|fs| fs.get(&f)).and_then(Value::as_object);
                    self.field(format!("{name}.{f}"), &f, spec);
                    seen.push(f);
                }
                for (f, spec) in fields.into_iter().flatten() {
                    if !seen.contains(f) {
                        self.field(format!("{name}.{f}"), f, spec.as_object());
                    }
                }
            }
            "echo" => {
                self.names.insert(name.clone(), format!("{{{{ {var} }}}}"));
                if let Some(e) = params.and_then(|p| p.get("echo")).and_then(scalar) {
                    self.defaults.insert(var.clone(), Value::String(e));
                }
            }
            "choice" | "random" => {
                self.names.insert(name.clone(), format!("{{{{ {var} }}}}"));
                let key = if kind == "choice" {
                    "values"
                } else {
                    "choices"
                };
                let mut d = VarSpec::named(&var);
                d.choices = values(params.and_then(|p| p.get(key)));
                if kind == "random" {
                    self.notes.push(Note::attention(format!(
                        "espanso picks `{name}` at random: here it is a choice, to be made when rendering"
                    )));
                }
                if !self.declared.iter().any(|x| x.name == var) {
                    self.declared.push(d);
                }
            }
            other => {
                self.names.insert(name.clone(), format!("{{{{ {var} }}}}"));
                let what = match other {
                    "date" => "the date",
                    "shell" => "a shell command",
                    "script" => "a script",
                    "clipboard" => "the clipboard",
                    "match" => "another match",
                    _ => "an espanso extension",
                };
                self.notes.push(Note::attention(format!(
                    "`{{{{{name}}}}}` came from {what} in espanso (`type: {}`): it is the variable `{var}` now, to be given a value",
                    crate::util::escape::sanitize(other, false)
                )));
            }
        }
    }
}

/// The fields of a form layout: `[[name]]`, in order, each once.
fn form_fields(layout: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = layout;
    while let Some(a) = rest.find("[[") {
        let after = &rest[a + 2..];
        let Some(b) = after.find("]]") else { break };
        let f = after[..b].trim().to_string();
        if !f.is_empty() && !f.contains('[') && !out.contains(&f) {
            out.push(f);
        }
        rest = &after[b + 2..];
    }
    out
}

/// A form's text with its `[[field]]`s as `{{field}}`.
fn form_text(layout: &str) -> String {
    let mut text = layout.to_string();
    for f in form_fields(layout) {
        text = text.replace(&format!("[[{f}]]"), &format!("{{{{{f}}}}}"));
    }
    text
}

fn one(m: &Map<String, Value>, globals: &[Value], origin: String, out: &mut Converted) {
    let mut notes = Vec::new();
    let mut vars = Vars::default();
    for v in globals.iter().chain(
        m.get("vars")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    ) {
        if let Some(v) = v.as_object() {
            vars.var(v);
        }
    }
    let text = if let Some(form) = m.get("form").and_then(Value::as_str) {
        let fields = m.get("form_fields").and_then(Value::as_object);
        for f in form_fields(form) {
            let spec = fields.and_then(|fs| fs.get(&f)).and_then(Value::as_object);
            vars.field(f.clone(), &f, spec);
        }
        Some(form_text(form))
    } else if let Some(t) = m.get("replace").and_then(scalar) {
        Some(t)
    } else if let Some(t) = m.get("markdown").and_then(scalar) {
        notes.push(Note::info("espanso's `markdown:` text is kept as written"));
        Some(t)
    } else if let Some(t) = m.get("html").and_then(scalar) {
        notes.push(Note::attention(
            "the text is HTML (`html:`): kept as written, tags and all",
        ));
        Some(t)
    } else {
        None
    };
    let Some(mut text) = text else {
        let why = if m.contains_key("image_path") {
            "an image, not text"
        } else {
            "no text (`replace`, `form`, `markdown` or `html`)"
        };
        out.skip(origin, why);
        return;
    };
    if text.contains(CURSOR) {
        text = text.replace(CURSOR, "");
        notes.push(Note::info("espanso's cursor marker `$|$` is left out"));
    }
    if text.trim().is_empty() {
        out.skip(origin, "the text is empty");
        return;
    }
    let mut tags: Vec<String> = Vec::new();
    for t in m
        .get("trigger")
        .map(string_list_one)
        .into_iter()
        .chain(m.get("triggers").map(string_list))
        .flatten()
    {
        if !t.trim().is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    if let Some(r) = m.get("regex").and_then(scalar) {
        notes.push(Note::attention(format!(
            "triggered by the regular expression `{}` in espanso: kept as no tag",
            crate::util::escape::sanitize(&r, false)
        )));
    }
    for t in m.get("search_terms").map(string_list).into_iter().flatten() {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let converted = placeholders(
        &text,
        Rules {
            helpdesk: false,
            names: Some(&vars.names),
        },
    );
    let label = m
        .get("label")
        .and_then(scalar)
        .filter(|l| !l.trim().is_empty());
    let title = label.clone().unwrap_or_else(|| title_from(&text));
    let id = tags
        .first()
        .map(|t| slug(t))
        .filter(|s| !s.is_empty())
        .or_else(|| label.as_deref().map(slug).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| slug(&title));
    // Only what the text uses is declared: a global var another match uses
    // is not this one's.
    let used = crate::compose::template::variables(&converted.text).unwrap_or_default();
    let declared: Vec<VarSpec> = vars
        .declared
        .into_iter()
        .filter(|d| used.contains(&d.name))
        .collect();
    let defaults = vars
        .defaults
        .into_iter()
        .filter(|(k, _)| used.contains(k))
        .collect();
    notes.extend(vars.notes.into_iter().filter(|n| match n {
        Note::Attention { text } => used.iter().any(|u| text.contains(&format!("`{u}`"))),
        _ => true,
    }));
    notes.extend(converted.notes);
    out.items.push(Item {
        id,
        origin,
        title,
        body: converted.text,
        tags,
        defaults,
        vars: declared,
        notes,
        ..Item::default()
    });
}

/// A trigger: one string (a number or boolean written bare is text too).
fn string_list_one(v: &Value) -> Vec<String> {
    scalar(v).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(yaml: &str) -> Converted {
        let mut out = Converted::default();
        convert(
            &SourceFile {
                name: "base.yml".into(),
                text: yaml.into(),
                encoding: None,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn triggers_labels_and_replace() {
        let out = run(
            "matches:\n  - trigger: \":thx\"\n    replace: \"Thanks for waiting!$|$\"\n  - triggers: [\":hi\", \":hello\"]\n    label: Greeting\n    replace: |\n      Hello,\n      how can I help?\n",
        );
        assert!(out.skipped.is_empty(), "{:?}", out.skipped);
        let a = &out.items[0];
        assert_eq!(
            (a.id.as_str(), a.title.as_str()),
            ("thx", "Thanks for waiting!")
        );
        assert_eq!(a.body, "Thanks for waiting!");
        assert_eq!(a.tags, [":thx"]);
        let b = &out.items[1];
        assert_eq!((b.id.as_str(), b.title.as_str()), ("hi", "Greeting"));
        assert_eq!(b.tags, [":hi", ":hello"]);
        assert_eq!(b.body, "Hello,\nhow can I help?\n");
        assert_eq!(a.origin, "base.yml, match 1");
    }

    #[test]
    fn forms_and_vars() {
        let out = run(r#"
matches:
  - trigger: ":ship"
    form: "Hi [[name]], your parcel goes by [[carrier]]."
    form_fields:
      carrier:
        type: choice
        values: [DHL, UPS]
        default: UPS
  - trigger: ":sig"
    replace: "{{greet}}, {{form1.who}}. Today is {{today}}. {{out}}"
    vars:
      - name: greet
        type: echo
        params: { echo: Hello }
      - name: form1
        type: form
        params:
          layout: "Who? [[who]]"
          fields: { who: { type: list, values: "Ana\nBo" } }
      - name: today
        type: date
        params: { format: "%Y-%m-%d" }
      - name: out
        type: shell
        params: { cmd: "date" }
"#);
        let ship = &out.items[0];
        assert_eq!(
            ship.body,
            "Hi {{ name }}, your parcel goes by {{ carrier }}."
        );
        let carrier = ship.vars.iter().find(|v| v.name == "carrier").unwrap();
        assert_eq!(carrier.choices, ["DHL", "UPS"]);
        assert_eq!(carrier.default, Some(Value::from("UPS")));
        let sig = &out.items[1];
        assert_eq!(
            sig.body,
            "{{ greet }}, {{ who }}. Today is {{ today_value }}. {{ out }}"
        );
        assert_eq!(sig.defaults["greet"], Value::from("Hello"));
        assert_eq!(sig.vars[0].choices, ["Ana", "Bo"]);
        let attention: Vec<String> = sig
            .notes
            .iter()
            .filter(|n| n.needs_attention())
            .map(|n| format!("{n:?}"))
            .collect();
        assert_eq!(attention.len(), 2, "{attention:?}");
        assert!(attention[0].contains("the date") && attention[1].contains("shell"));
    }

    #[test]
    fn what_is_not_a_match_is_skipped_and_said() {
        let out = run(
            "matches:\n  - trigger: ':img'\n    image_path: a.png\n  - 3\n  - trigger: ':x'\n    replace: ''\n",
        );
        assert!(out.items.is_empty());
        assert_eq!(out.skipped.len(), 3);
        assert!(
            run("- a\n- b\n").skipped[0]
                .reason
                .contains("no `matches:`")
        );
        assert!(run("matches: [\n").skipped[0].reason.contains("not YAML"));
        // An anchor bomb is refused by the budget, without a hang.
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            bomb.push_str(&format!(
                "{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n",
                (b'a' + i) as char,
                (b'a' + i) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char
            ));
        }
        assert_eq!(run(&bomb).skipped.len(), 1);
    }
}
