//! Tone: a DM should read calm and professional. Rules: no shouting, no runs
//! of `!!` or `??`.

use super::{Ctx, label};
use crate::diag::Diagnostic;
use crate::library::Reply;

/// The text outside `{{ }}` and `{% %}`, as (offset, text) pieces.
pub(super) fn literal_pieces(src: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < src.len() {
        let next = [
            src[pos..].find("{{"),
            src[pos..].find("{%"),
            src[pos..].find("{#"),
        ]
        .into_iter()
        .flatten()
        .min();
        match next {
            Some(i) => {
                out.push((pos, &src[pos..pos + i]));
                let open = pos + i;
                let close = match &src[open..open + 2] {
                    "{{" => "}}",
                    "{%" => "%}",
                    _ => "#}",
                };
                pos = src[open..].find(close).map_or(src.len(), |c| open + c + 2);
            }
            None => {
                out.push((pos, &src[pos..]));
                break;
            }
        }
    }
    out
}

/// Shouting: two or more words in capitals in a row ("PLEASE NOTE", "DO NOT").
/// A lone acronym ("DHL", "FAQ") is fine.
fn shouting(src: &str) -> Option<(usize, usize)> {
    for (base, piece) in literal_pieces(src) {
        let mut run: Option<(usize, usize, usize)> = None; // start, end, letters
        let mut idx = 0;
        for word in piece.split_inclusive(|c: char| !c.is_alphanumeric()) {
            let w = word.trim_end_matches(|c: char| !c.is_alphanumeric());
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            let caps = letters >= 2
                && w.chars().all(|c| !c.is_lowercase())
                && w.chars().any(char::is_uppercase);
            if caps {
                let (s, _, l) = run.unwrap_or((idx, idx, 0));
                run = Some((s, idx + w.len(), l + letters));
                if let Some((s, e, l)) = run
                    && l >= 5
                    && piece[s..e].split_whitespace().count() >= 2
                {
                    return Some((base + s, base + e));
                }
            } else if !w.is_empty() {
                run = None;
            }
            idx += word.len();
        }
    }
    None
}

/// A run of `!!`, `??`, `¡¡` or `¿¿` outside template tags.
fn shrill(src: &str) -> Option<(usize, usize)> {
    literal_pieces(src).into_iter().find_map(|(base, piece)| {
        ["!!", "??", "¡¡", "¿¿", "!?!", "?!?"]
            .iter()
            .filter_map(|p| piece.find(p).map(|i| (base + i, base + i + p.len())))
            .min()
    })
}

/// Rule: no text of any variant shouts or shrieks.
pub(super) fn calm(cx: &mut Ctx, reply: &Reply) {
    type Check = fn(&str) -> Option<(usize, usize)>;
    let rules: [(Check, &'static str, &str, &str); 2] = [
        (
            shouting,
            "shouting",
            "shouts:",
            "write in sentence case: capitals read as shouting in a DM",
        ),
        (
            shrill,
            "punctuation",
            "has",
            "one `!` or `?` is enough: stay calm and professional",
        ),
    ];
    for v in &reply.variants {
        for (what, text) in [("body", Some(&v.body)), ("public text", v.public.as_ref())] {
            let Some(text) = text else { continue };
            for (check, code, verb, hint) in rules {
                let Some((s, e)) = check(&text.src) else {
                    continue;
                };
                let loc = cx.lib.text_location(reply, text, s..e);
                cx.out.push(
                    Diagnostic::warning(
                        code,
                        format!(
                            "the {} of `{}` {verb} `{}`",
                            label(reply, v, what),
                            reply.id,
                            &text.src[s..e]
                        ),
                    )
                    .at(loc)
                    .reply(&reply.id)
                    .hint(hint),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shouting_needs_two_words_in_capitals() {
        assert!(shouting("Your DHL parcel").is_none());
        assert!(shouting("PLEASE NOTE this").is_some());
        assert!(shouting("Hi {{ CUSTOMER }} THERE").is_none());
        assert_eq!(
            shouting("ok DO NOT wait").map(|(s, e)| &"ok DO NOT wait"[s..e]),
            Some("DO NOT")
        );
    }

    #[test]
    fn shrill_punctuation() {
        assert!(shrill("Great!! thanks").is_some());
        assert!(shrill("Really?").is_none());
        assert!(shrill("{{ x }} ¡¡Hola").is_some());
    }
}
