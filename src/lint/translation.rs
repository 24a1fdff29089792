//! Translations: a variant in another language should carry the same details.

use std::collections::BTreeSet;

use super::{Ctx, VariantVars};
use crate::diag::Diagnostic;
use crate::library::Reply;

/// Rule: each translation uses the same variables as the original, in the body
/// and in the public text.
pub(super) fn same_variables(cx: &mut Ctx, reply: &Reply, vars: &[VariantVars]) {
    let original = &vars[0];
    for (v, theirs) in reply.variants.iter().zip(vars).skip(1) {
        for (what, theirs, ours, text) in [
            ("body", &theirs.body, &original.body, Some(&v.body)),
            (
                "public text",
                &theirs.public,
                &original.public,
                v.public.as_ref(),
            ),
        ] {
            let (Some(theirs), Some(ours), Some(text)) = (theirs, ours, text) else {
                continue;
            };
            let a: BTreeSet<_> = ours.iter().collect();
            let b: BTreeSet<_> = theirs.iter().collect();
            if a == b {
                continue;
            }
            let missing: Vec<String> = a.difference(&b).map(|n| format!("`{n}`")).collect();
            let extra: Vec<String> = b.difference(&a).map(|n| format!("`{n}`")).collect();
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("does not use {}", missing.join(", ")));
            }
            if !extra.is_empty() {
                parts.push(format!(
                    "uses {} that the original does not",
                    extra.join(", ")
                ));
            }
            let loc = cx.lib.text_start(reply, text);
            cx.out.push(
                Diagnostic::warning(
                    "translation-vars",
                    format!(
                        "the `{}` {what} of `{}` {}",
                        v.lang,
                        reply.id,
                        parts.join(" and ")
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .hint("a translation should carry the same details as the original"),
            );
        }
    }
}
