//! Values a reply needs that the customer already wrote: a declared
//! variable's `pattern` that matches a whole word of the message (an order
//! number, an e-mail address) proposes it, for a person to confirm (or for
//! `--render --fill`). A name is never guessed: a variable called
//! `customer`, or with "name" in its name, is never proposed.

use regex::RegexBuilder;
use serde::Serialize;

use crate::library::Reply;

/// A value found in the message for one of the reply's variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposed {
    pub name: String,
    pub value: String,
}

/// Punctuation around a word that is not part of a value: "(A-1042)," or
/// "#A-1042?".
const AROUND: &[char] = &[
    ',', '.', ';', ':', '!', '?', '¿', '¡', '(', ')', '[', ']', '{', '}', '"', '\'', '«', '»', '<',
    '>', '#', '“', '”', '‘', '’',
];
/// Longer words are not values anyone types.
const MAX_TOKEN: usize = 256;
/// A pattern from a library compiles within this much memory, or is skipped.
const REGEX_LIMIT: usize = 1 << 20;

/// Whether a variable may never be filled from the message.
fn never_guessed(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "customer" || n.contains("name")
}

/// The words of the message as candidate values, in order.
fn tokens(message: &str) -> impl Iterator<Item = &str> {
    message
        .split_whitespace()
        .map(|t| t.trim_matches(AROUND))
        .filter(|t| !t.is_empty() && t.len() <= MAX_TOKEN)
}

/// For each declared variable with a pattern, the first word of `message`
/// the whole of which matches it. A pattern that does not compile proposes
/// nothing (`reply check` reports it).
pub fn propose(reply: &Reply, message: &str) -> Vec<Proposed> {
    let mut out = Vec::new();
    for var in &reply.vars {
        let Some(pattern) = var.pattern.as_deref() else {
            continue;
        };
        if never_guessed(&var.name) {
            continue;
        }
        let Ok(re) = RegexBuilder::new(&format!("^(?:{pattern})$"))
            .size_limit(REGEX_LIMIT)
            .dfa_size_limit(REGEX_LIMIT)
            .build()
        else {
            continue;
        };
        if let Some(value) = tokens(message).find(|t| re.is_match(t)) {
            out.push(Proposed {
                name: var.name.clone(),
                value: value.to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::parse::parse_file;

    fn reply(vars: &str) -> Reply {
        let text = format!("[r]\ntitle = \"T\"\nbody = \"{{{{ order }}}}\"\n{vars}");
        let p = parse_file("t.toml", &text, "en");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        p.replies.into_iter().next().unwrap()
    }

    #[test]
    fn a_pattern_that_matches_a_whole_word_proposes_it() {
        let r = reply(
            "[r.vars.order]\npattern = '[A-Z]-\\d{4}'\n[r.vars.email]\npattern = '^[^@\\s]+@[^@\\s]+$'\n[r.vars.note]\nprompt = \"no pattern\"\n",
        );
        let got = propose(
            &r,
            "hi, my order (#A-1042) never came; write to ana@example.com. A-9999 too",
        );
        assert_eq!(
            got,
            [
                Proposed {
                    name: "order".into(),
                    value: "A-1042".into()
                },
                Proposed {
                    name: "email".into(),
                    value: "ana@example.com".into()
                },
            ]
        );
        // Part of a word is not a value.
        assert!(propose(&r, "XA-10429 and B-12").is_empty());
    }

    #[test]
    fn names_are_never_guessed_and_bad_patterns_are_skipped() {
        let r = reply(
            "[r.vars.customer]\npattern = '\\w+'\n[r.vars.first_name]\npattern = '\\w+'\n[r.vars.code]\npattern = '(unclosed'\n",
        );
        assert!(propose(&r, "I am Ana").is_empty());
    }
}
