//! Text from another tool made into a template that renders as that tool
//! meant: help-desk placeholders become `reply`'s variables (Zendesk,
//! Gorgias and Freshdesk `{{ticket.requester.first_name}}`, Intercom
//! `{{first_name|fallback:"there"}}`, Help Scout
//! `{%customer.firstName,fallback=there%}` → `{{ customer | default(value="there") | first_name }}`),
//! unknown ones plain variables, and anything else that Tera would read as
//! a tag (`{{0}}`, a Markdown `{#anchor}`) is kept as text. Every change is
//! a [`Note`].

use std::collections::BTreeMap;

use super::Note;
use crate::compose::helpers::first_name;
use crate::compose::template::variables;
use crate::library::valid_var_name;

/// What a placeholder stands for in `reply`'s words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Customer,
    CustomerFirst,
    Agent,
    AgentFirst,
    Var(String),
}

/// The help-desk placeholders whose meaning is clear, by their path
/// (lowercase, no spaces).
fn known(path: &str) -> Option<Target> {
    use Target::*;
    Some(match path {
        // Zendesk, Freshdesk, Gorgias: the person who wrote in.
        "ticket.requester.first_name" | "ticket.requester.firstname" => CustomerFirst,
        "ticket.requester.name" | "ticket.requester.full_name" => Customer,
        "ticket.customer.firstname" | "ticket.customer.first_name" => CustomerFirst,
        "ticket.customer.name" | "ticket.customer.full_name" => Customer,
        // The agent answering.
        "current_user.first_name" | "current_user.firstname" => AgentFirst,
        "current_user.name" => Agent,
        "ticket.agent.name" | "ticket.assignee.name" => Agent,
        "ticket.agent.first_name" | "ticket.agent.firstname" | "ticket.assignee.first_name" => {
            AgentFirst
        }
        // Help Scout (camelCase, compared in lowercase).
        "customer.firstname" => CustomerFirst,
        "customer.fullname" | "customer.name" => Customer,
        "user.firstname" => AgentFirst,
        "user.fullname" | "user.name" => Agent,
        _ => return None,
    })
}

/// Intercom's attributes, used bare (`{{first_name|fallback:"there"}}`).
fn intercom(name: &str) -> Option<Target> {
    match name {
        "first_name" | "firstname" => Some(Target::CustomerFirst),
        "name" | "full_name" => Some(Target::Customer),
        _ => None,
    }
}

/// A Tera string literal of `s`, in a quote it does not contain.
fn quoted(s: &str) -> Option<String> {
    ['"', '\'', '`']
        .into_iter()
        .find(|q| !s.contains(*q) && !s.contains('\\'))
        .map(|q| format!("{q}{s}{q}"))
}

/// The template text for a target, with the source's fallback as the
/// template's own default.
pub fn render(target: &Target, fallback: Option<&str>) -> String {
    let (var, first) = match target {
        Target::Customer => ("customer", false),
        Target::CustomerFirst => ("customer", true),
        Target::Agent => ("agent", false),
        Target::AgentFirst => ("agent", true),
        Target::Var(name) => (name.as_str(), false),
    };
    let tail = if first { " | first_name" } else { "" };
    let Some(fb) = fallback else {
        return format!("{{{{ {var}{tail} }}}}");
    };
    match quoted(fb) {
        // `first_name` of the fallback would cut "valued customer" to
        // "valued": the fallback goes after it only when it is one name.
        Some(q) if !first || first_name(fb) == fb => {
            format!("{{{{ {var} | default(value={q}){tail} }}}}")
        }
        _ => format!(
            "{{% if {var} %}}{{{{ {var}{tail} }}}}{{% else %}}{}{{% endif %}}",
            literal(fb)
        ),
    }
}

/// `text` as a template that renders exactly `text`.
pub fn literal(text: &str) -> String {
    let opens = |s: &str| s.contains("{{") || s.contains("{%") || s.contains("{#");
    if !opens(text) && !text.ends_with('{') {
        return text.to_string();
    }
    if !text.contains("endraw") {
        return format!("{{% raw %}}{text}{{% endraw %}}");
    }
    // A text that itself says `endraw`: each opening brace as a string.
    let mut out = String::new();
    for c in text.chars() {
        if c == '{' {
            out.push_str("{{ \"{\" }}");
        } else {
            out.push(c);
        }
    }
    out
}

/// What [`convert`] made of a text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conversion {
    pub text: String,
    pub notes: Vec<Note>,
}

/// How a text is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules<'a> {
    /// Help-desk placeholders are converted (CSV exports, Markdown).
    pub helpdesk: bool,
    /// Placeholders the caller already knows (an espanso match's `vars`,
    /// its form's fields): name as written → template text.
    pub names: Option<&'a BTreeMap<String, String>>,
}

/// Where a piece of output came from.
enum Piece {
    Text(String),
    /// A tag written as `reply` writes it.
    Tag(String),
    /// A `{% … %}` statement of the source, kept if the whole text compiles.
    Statement(String),
}

/// Converts the placeholders of `text` (see the module comment).
pub fn convert(text: &str, rules: Rules) -> Conversion {
    let mut pieces = Vec::new();
    let mut notes = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = next_open(rest) {
        plain.push_str(&rest[..at]);
        rest = &rest[at..];
        let close = if rest.starts_with("{{") { "}}" } else { "%}" };
        let end = if rest.starts_with("{#") {
            None
        } else {
            rest[2..]
                .find(close)
                .filter(|&e| e <= 300 && !rest[2..2 + e].contains("{{"))
                .map(|e| e + 2 + close.len())
        };
        let Some(end) = end else {
            // Not a placeholder: the braces are text.
            if !plain.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut plain)));
            }
            pieces.push(Piece::Tag(literal(&rest[..2])));
            rest = &rest[2..];
            continue;
        };
        let mut whole = &rest[..end];
        let inner = whole[2..whole.len() - 2].trim();
        let made = if whole.starts_with("{{") {
            expression(whole, inner, rules, &mut notes)
        } else if inner.trim_matches('-').trim() == "raw" {
            // A raw block is kept whole, up to its `{% endraw %}`.
            let close = rest[end..]
                .find("endraw")
                .and_then(|e| rest[end + e..].find("%}").map(|c| end + e + c + 2));
            match close {
                Some(c) => {
                    whole = &rest[..c];
                    Some(Piece::Statement(whole.to_string()))
                }
                None => None,
            }
        } else {
            statement(whole, inner, rules, &mut notes)
        };
        let end = whole.len();
        match made {
            Some(p) => {
                if !plain.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut plain)));
                }
                let squeeze = |s: &str| s.split_whitespace().collect::<String>();
                if let Piece::Tag(t) = &p
                    && squeeze(t) != squeeze(whole)
                {
                    notes.push(Note::Converted {
                        from: whole.to_string(),
                        to: t.clone(),
                    });
                }
                pieces.push(p);
            }
            None => {
                notes.push(Note::attention(format!(
                    "`{}` is kept as text: it is no placeholder reply knows",
                    short(whole)
                )));
                if !plain.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut plain)));
                }
                pieces.push(Piece::Tag(literal(whole)));
            }
        }
        rest = &rest[end..];
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        pieces.push(Piece::Text(plain));
    }
    let has_statements = pieces.iter().any(|p| matches!(p, Piece::Statement(_)));
    let joined = join(&pieces, true);
    if has_statements {
        if variables(&joined).is_ok() {
            let first = pieces.iter().find_map(|p| match p {
                Piece::Statement(s) => Some(s.clone()),
                _ => None,
            });
            notes.push(Note::attention(format!(
                "template logic is kept (`{}`…): check that it renders as meant",
                short(first.as_deref().unwrap_or(""))
            )));
            return Conversion {
                text: joined,
                notes,
            };
        }
        notes.push(Note::attention(
            "the text's `{% … %}` tags do not make a template reply can read: they are kept as text",
        ));
        return Conversion {
            text: join(&pieces, false),
            notes,
        };
    }
    Conversion {
        text: joined,
        notes,
    }
}

/// Where the next `{{`, `{%` or `{#` starts.
fn next_open(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(1)).find(|&i| b[i] == b'{' && matches!(b[i + 1], b'{' | b'%' | b'#'))
}

/// The pieces as one template; statements as tags or as text.
fn join(pieces: &[Piece], statements: bool) -> String {
    let mut out = String::new();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut String| {
        if !text.is_empty() {
            out.push_str(&literal(text));
            text.clear();
        }
    };
    for p in pieces {
        match p {
            Piece::Text(t) => text.push_str(t),
            Piece::Statement(s) if !statements => text.push_str(s),
            Piece::Tag(t) | Piece::Statement(t) => {
                flush(&mut text, &mut out);
                out.push_str(t);
            }
        }
    }
    flush(&mut text, &mut out);
    out
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(60).collect();
    crate::util::escape::sanitize(&s, false)
}

/// A dotted path of names (`ticket.requester.name`).
fn is_path(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(valid_var_name)
}

/// The variable an unknown path becomes: `ticket.id` → `ticket_id`.
fn var_of(path: &str) -> String {
    path.replace('.', "_")
}

/// `reply`'s own names: never "unknown".
const OURS: &[&str] = &["customer", "agent", "brand", "platform", "lang", "today"];

fn expression(whole: &str, inner: &str, rules: Rules, notes: &mut Vec<Note>) -> Option<Piece> {
    let compact: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(t) = rules
        .names
        .and_then(|n| n.get(&compact).or_else(|| n.get(inner)))
    {
        return Some(Piece::Tag(t.clone()));
    }
    let lower = compact.to_ascii_lowercase();
    if rules.helpdesk {
        if let Some(t) = known(&lower) {
            return Some(Piece::Tag(render(&t, None)));
        }
        // Intercom: `{{first_name|fallback:"there"}}`.
        if let Some((name, fb)) = inner.split_once('|')
            && let Some(fb) = fb.trim().strip_prefix("fallback:")
        {
            let name = name.trim();
            let fb = fb.trim();
            let fb = fb
                .strip_prefix('"')
                .and_then(|f| f.strip_suffix('"'))
                .or_else(|| fb.strip_prefix('\'').and_then(|f| f.strip_suffix('\'')))
                .unwrap_or(fb);
            let target = intercom(&name.to_ascii_lowercase())
                .or_else(|| known(&name.to_ascii_lowercase()))
                .or_else(|| is_path(name).then(|| Target::Var(var_of(name))));
            if let Some(t) = target {
                if let Target::Var(v) = &t {
                    notes.push(unknown(&format!("{{{{{inner}}}}}"), v));
                }
                return Some(Piece::Tag(render(&t, Some(fb))));
            }
        }
    }
    if valid_var_name(&compact) {
        if rules.helpdesk && !OURS.contains(&compact.as_str()) {
            notes.push(unknown(&format!("{{{{{inner}}}}}"), &compact));
        }
        return Some(Piece::Tag(whole.to_string()));
    }
    if is_path(&compact) {
        let v = var_of(&compact);
        notes.push(unknown(&format!("{{{{{inner}}}}}"), &v));
        return Some(Piece::Tag(format!("{{{{ {v} }}}}")));
    }
    // Already a template of ours (`customer | default(value="there")`): a
    // variable first, and Tera with reply's helpers reads it.
    let head: String = inner
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if valid_var_name(&head) && variables(whole).is_ok() {
        return Some(Piece::Tag(whole.to_string()));
    }
    None
}

fn unknown(written: &str, var: &str) -> Note {
    Note::attention(format!(
        "`{}` is no placeholder reply knows: it is the variable `{var}` now, to be given a value",
        short(written)
    ))
}

/// Tera's statement keywords: what a template of ours (or Liquid) starts a
/// `{% … %}` tag with.
const STATEMENTS: &[&str] = &[
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "endfor",
    "set",
    "set_global",
    "filter",
    "endfilter",
    "break",
    "continue",
    "raw",
    "endraw",
];

fn statement(whole: &str, inner: &str, rules: Rules, notes: &mut Vec<Note>) -> Option<Piece> {
    let inner = inner.trim_matches('-').trim();
    let word = inner.split_whitespace().next().unwrap_or("");
    if STATEMENTS.contains(&word) {
        return Some(Piece::Statement(whole.to_string()));
    }
    if !rules.helpdesk {
        return None;
    }
    // Help Scout: `{%customer.firstName,fallback=there%}`.
    let (path, fallback) = match inner.split_once(',') {
        Some((p, f)) => {
            let f = f.trim();
            let f = f.strip_prefix("fallback")?.trim_start().strip_prefix('=')?;
            (p.trim(), Some(f.trim()))
        }
        None => (inner, None),
    };
    if !path.contains('.') || !is_path(path) {
        return None;
    }
    let target = known(&path.to_ascii_lowercase()).unwrap_or_else(|| {
        let v = crate::convert::slug::slug(&var_of(path)).replace('-', "_");
        notes.push(unknown(&format!("{{%{inner}%}}"), &v));
        Target::Var(v)
    });
    Some(Piece::Tag(render(
        &target,
        fallback.filter(|f| !f.is_empty()),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk(text: &str) -> Conversion {
        convert(
            text,
            Rules {
                helpdesk: true,
                names: None,
            },
        )
    }

    fn converted(c: &Conversion) -> Vec<(&str, &str)> {
        c.notes
            .iter()
            .filter_map(|n| match n {
                Note::Converted { from, to } => Some((from.as_str(), to.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_help_desk_placeholder_becomes_reply_s_variable() {
        let cases = [
            (
                "{{ticket.requester.first_name}}",
                "{{ customer | first_name }}",
            ),
            ("{{ticket.requester.name}}", "{{ customer }}"),
            ("{{current_user.first_name}}", "{{ agent | first_name }}"),
            (
                "{{ticket.customer.firstname}}",
                "{{ customer | first_name }}",
            ),
            ("{{current_user.firstname}}", "{{ agent | first_name }}"),
            (
                "{{first_name|fallback:\"there\"}}",
                "{{ customer | default(value=\"there\") | first_name }}",
            ),
            (
                "{%customer.firstName,fallback=there%}",
                "{{ customer | default(value=\"there\") | first_name }}",
            ),
            ("{%user.firstName%}", "{{ agent | first_name }}"),
            ("{{ticket.agent.name}}", "{{ agent }}"),
        ];
        for (from, to) in cases {
            let c = desk(&format!("Hi {from}!"));
            assert_eq!(c.text, format!("Hi {to}!"), "{from}");
            assert_eq!(converted(&c), [(from, to)], "{from}");
            assert!(
                !c.notes.iter().any(Note::needs_attention),
                "{from}: {:?}",
                c.notes
            );
            variables(&c.text).unwrap();
        }
    }

    #[test]
    fn a_fallback_of_several_words_is_kept_whole() {
        let c = desk("Dear {{first_name|fallback:\"valued customer\"}},");
        assert_eq!(
            c.text,
            "Dear {% if customer %}{{ customer | first_name }}{% else %}valued customer{% endif %},"
        );
        let c = desk("{%customer.fullName,fallback=friend%}");
        assert_eq!(c.text, "{{ customer | default(value=\"friend\") }}");
        let c = desk("{{name|fallback:'it\"s'}}");
        assert_eq!(c.text, "{{ customer | default(value='it\"s') }}");
    }

    #[test]
    fn unknown_placeholders_become_plain_variables_and_are_reported() {
        let c = desk("Ticket {{ticket.id}}, order {{order_number}}, {%mailbox.name%}.");
        assert_eq!(
            c.text,
            "Ticket {{ ticket_id }}, order {{order_number}}, {{ mailbox_name }}."
        );
        let attention: Vec<&Note> = c.notes.iter().filter(|n| n.needs_attention()).collect();
        assert_eq!(attention.len(), 3, "{:?}", c.notes);
        assert_eq!(
            variables(&c.text).unwrap(),
            ["mailbox_name", "order_number", "ticket_id"]
        );
    }

    #[test]
    fn what_is_no_placeholder_renders_as_written() {
        for text in [
            "First: {{0}}, again {{0}}",
            "## Heading {#custom-id}",
            "a {{ unclosed",
            "set {x} and {{{triple}}}",
            "ends with {",
            "{% raw %} says endraw {{ x",
        ] {
            let c = desk(text);
            let rendered = tera::Tera::one_off(&c.text, &tera::Context::new(), false)
                .unwrap_or_else(|e| panic!("{text:?} -> {:?}: {e:?}", c.text));
            assert_eq!(rendered, text, "{:?}", c.text);
        }
        let c = desk("First: {{0}}");
        assert!(c.notes.iter().any(Note::needs_attention));
    }

    #[test]
    fn templates_of_ours_are_kept() {
        let t = "Hi {{ customer | default(value=\"there\") }}, {% if order %}order {{ order }}{% endif %}.";
        let c = convert(t, Rules::default());
        assert_eq!(c.text, t);
        // Logic that does not compile is kept as text.
        let c = desk("{% if ticket.x %}unclosed");
        assert_eq!(c.text, "{% raw %}{% if ticket.x %}unclosed{% endraw %}");
    }

    #[test]
    fn names_the_caller_knows_win() {
        let names: BTreeMap<String, String> =
            [("form1.name".to_string(), "{{ name }}".to_string())].into();
        let c = convert(
            "Hi {{ form1.name }} and {{ other }}",
            Rules {
                helpdesk: false,
                names: Some(&names),
            },
        );
        assert_eq!(c.text, "Hi {{ name }} and {{ other }}");
    }
}
