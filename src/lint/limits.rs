//! Platform limits: a reply that names its platforms must fit each of them.

use super::{Ctx, VariantVars, label, render_sample, sample_note};
use crate::compose::platform;
use crate::diag::Diagnostic;
use crate::library::Reply;

/// Rule: every platform a reply names is known.
pub(super) fn known_platforms(cx: &mut Ctx, reply: &Reply) {
    for name in &reply.platforms {
        if platform::find(cx.platforms, name).is_some() {
            continue;
        }
        let f = cx.lib.file(reply);
        let loc = f.location(reply.span.clone());
        cx.out.push(
            Diagnostic::error(
                "unknown-platform",
                format!("reply `{}` names an unknown platform `{name}`", reply.id),
            )
            .at(loc)
            .reply(&reply.id)
            .hint(format!(
                "known platforms: {}; add it under [platforms.{name}] in the config",
                cx.platforms
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
}

/// Rule: the body of every variant, rendered with sample values, fits every
/// platform the reply names.
pub(super) fn fits_platforms(cx: &mut Ctx, reply: &Reply, vars: &[VariantVars]) {
    for name in &reply.platforms {
        let Some(p) = platform::find(cx.platforms, name) else {
            continue;
        };
        for (v, vv) in reply.variants.iter().zip(vars) {
            let Some(vars) = &vv.body else { continue };
            let Some(text) = render_sample(cx, reply, v, &v.body, vars, Some(&p.name)) else {
                continue;
            };
            let m = platform::measure(p, &text);
            if m.fits() {
                continue;
            }
            let loc = cx.lib.text_start(reply, &v.body);
            let detail = match m.sms {
                Some(s) => format!(
                    "{} {} characters, {} segments",
                    s.units, s.encoding, s.segments
                ),
                None => format!("{} {}", m.length, m.unit),
            };
            cx.out.push(
                Diagnostic::error(
                    "over-limit",
                    format!(
                        "the {} of `{}` is too long for {}: {detail}, the limit is {} {}",
                        label(reply, v, "body"),
                        reply.id,
                        p.name,
                        m.limit.unwrap_or(0),
                        m.unit
                    ),
                )
                .at(loc)
                .reply(&reply.id)
                .note(sample_note(reply, vars))
                .hint(format!(
                    "cut at least {} {}, or remove `{}` from its platforms",
                    platform::to_cut(&m),
                    if m.sms.is_some() {
                        "characters"
                    } else {
                        m.unit
                    },
                    p.name
                )),
            );
        }
    }
}
