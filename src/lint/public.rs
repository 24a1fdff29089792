//! Public texts: the short acknowledgement posted under a public complaint.
//! Rules: nothing private in public, and short enough to read as a reply.

use super::tone::literal_pieces;
use super::{Ctx, VariantVars, label, render_sample, sample_note};
use crate::compose::declared::is_private_detail as is_private;
use crate::diag::Diagnostic;
use crate::library::Reply;

/// Longest public answer that reads as a short public acknowledgement (a post on X).
pub const PUBLIC_MAX: usize = 280;

/// Byte offset of the first `{{ name` / `{% if name` use in a template.
fn var_offset(src: &str, name: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut from = 0;
    while let Some(i) = src[from..].find(name) {
        let at = from + i;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let end = at + name.len();
        let after_ok =
            end >= bytes.len() || !(bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_');
        let inside = src[..at]
            .rfind("{{")
            .or(src[..at].rfind("{%"))
            .is_some_and(|o| {
                src[..at].rfind("}}").is_none_or(|c| c < o)
                    && src[..at].rfind("%}").is_none_or(|c| c < o)
            });
        if before_ok && after_ok && inside {
            return Some(at);
        }
        from = end;
    }
    None
}

/// An e-mail address or a phone number written out in the text.
fn literal_private(src: &str) -> Option<(usize, usize, &'static str)> {
    for (base, piece) in literal_pieces(src) {
        let mut idx = 0;
        for word in piece.split_inclusive(char::is_whitespace) {
            let w = word.trim().trim_matches(|c: char| ",;:()<>\"'".contains(c));
            let at = idx + word.find(w).unwrap_or(0);
            if let Some((user, domain)) = w.split_once('@')
                && !user.is_empty()
                && domain.contains('.')
            {
                return Some((base + at, base + at + w.len(), "an e-mail address"));
            }
            let digits = w.chars().filter(char::is_ascii_digit).count();
            if digits >= 7
                && w.chars()
                    .all(|c| c.is_ascii_digit() || "+-(). ".contains(c))
            {
                return Some((base + at, base + at + w.len(), "a phone number"));
            }
            idx += word.len();
        }
    }
    None
}

/// Rule: no private variable, e-mail address or phone number in a public text.
pub(super) fn nothing_private(cx: &mut Ctx, reply: &Reply, vars: &[VariantVars]) {
    for (v, vv) in reply.variants.iter().zip(vars) {
        let (Some(public), Some(vars)) = (&v.public, &vv.public) else {
            continue;
        };
        for name in vars.iter().filter(|n| is_private(n)) {
            let at = var_offset(&public.src, name).unwrap_or(0);
            let loc = cx.lib.text_location(reply, public, at..at + name.len());
            cx.out.push(
                Diagnostic::warning(
                    "public-private",
                    format!(
                        "the {} of `{}` uses `{name}` in public",
                        label(reply, v, "public text"),
                        reply.id
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .hint("keep order numbers, e-mail, phone and addresses for the private message"),
            );
        }
        if let Some((s, e, what)) = literal_private(&public.src) {
            let loc = cx.lib.text_location(reply, public, s..e);
            cx.out.push(
                Diagnostic::warning(
                    "public-private",
                    format!(
                        "the {} of `{}` gives away {what}",
                        label(reply, v, "public text"),
                        reply.id
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .hint("keep contact details for the private message"),
            );
        }
    }
}

/// Rule: a public text, rendered with sample values, fits in [`PUBLIC_MAX`] characters.
pub(super) fn short(cx: &mut Ctx, reply: &Reply, vars: &[VariantVars]) {
    for (v, vv) in reply.variants.iter().zip(vars) {
        let (Some(public), Some(vars)) = (&v.public, &vv.public) else {
            continue;
        };
        let Some(text) = render_sample(cx, reply, v, public, vars, None) else {
            continue;
        };
        let n = text.chars().count();
        if n > PUBLIC_MAX {
            let loc = cx.lib.text_start(reply, public);
            cx.out.push(
                Diagnostic::warning(
                    "public-length",
                    format!(
                        "the {} of `{}` is {n} characters, over {PUBLIC_MAX}",
                        label(reply, v, "public text"),
                        reply.id
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .note(sample_note(reply, vars))
                .hint(format!(
                    "cut {} characters: a public answer acknowledges and moves to DMs",
                    n - PUBLIC_MAX
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_details() {
        assert!(
            is_private("order")
                && is_private("order_id")
                && is_private("email")
                && !is_private("customer")
        );
        assert_eq!(
            literal_private("write to ana@example.com now").map(|x| x.2),
            Some("an e-mail address")
        );
        assert_eq!(literal_private("call +34 600 123 456").map(|x| x.2), None);
        assert_eq!(
            literal_private("call +34600123456").map(|x| x.2),
            Some("a phone number")
        );
    }

    #[test]
    fn finds_variable_uses_inside_tags_only() {
        let src = "your order {{ order }}";
        assert_eq!(var_offset(src, "order"), Some(14));
    }
}
