//! Declared variables (`[ID.vars.NAME]`): what they say must hold together —
//! a pattern that is a regular expression, a default and an example that fit
//! it and the choices, one default only, a variable the templates use.

use super::{Ctx, VariantVars};
use crate::compose::declared::{check, pattern};
use crate::diag::{Diagnostic, Location};
use crate::library::{Reply, Value, VarKind, VarSpec};

fn at(cx: &Ctx, reply: &Reply, spec: &VarSpec) -> Location {
    let f = cx.lib.file(reply);
    f.location(spec.span.clone())
}

/// Rule: each declaration is consistent, and the templates use it.
pub(super) fn consistent(cx: &mut Ctx, reply: &Reply, vars: &[VariantVars]) {
    let used: Vec<&String> = vars
        .iter()
        .flat_map(|v| v.body.iter().chain(v.public.iter()).flatten())
        .collect();
    let all_parse = vars.iter().all(|v| v.body.is_some());
    for spec in &reply.vars {
        let loc = at(cx, reply, spec);
        let mut problem = |d: Diagnostic| cx.out.push(d.at(loc.clone()).reply(&reply.id));
        if let Err(e) = pattern(spec) {
            problem(
                Diagnostic::error(
                    "var-pattern",
                    format!(
                        "the pattern of `{}` in reply `{}` is not a valid regular expression",
                        spec.name, reply.id
                    ),
                )
                .note(e.lines().last().unwrap_or("").trim().to_string())
                .hint("the whole value must match it: write `^` and `$` only if you mean them"),
            );
            continue;
        }
        if reply.defaults.contains_key(&spec.name) && spec.default.is_some() {
            problem(
                Diagnostic::error(
                    "var-default",
                    format!(
                        "`{}` of reply `{}` has a default in [{}.defaults] and in its declaration",
                        spec.name, reply.id, reply.id
                    ),
                )
                .hint(
                    "keep one of them: the declaration's `default`, next to its prompt, reads best",
                ),
            );
        }
        let default = spec
            .default
            .clone()
            .or_else(|| reply.defaults.get(&spec.name).cloned());
        match (&default, spec.kind) {
            (Some(Value::Bool(_)) | None, VarKind::Bool) => {}
            (Some(other), VarKind::Bool) => problem(
                Diagnostic::error(
                    "var-default",
                    format!(
                        "`{}` of reply `{}` is a yes/no variable, but its default is {other}",
                        spec.name, reply.id
                    ),
                )
                .hint("write `default = true` or `default = false`"),
            ),
            (Some(Value::String(d)), VarKind::Text) => {
                if let Err(why) = check(spec, d) {
                    problem(
                        Diagnostic::error(
                            "var-default",
                            format!(
                                "the default `{d}` of `{}` in reply `{}` does not fit: {why}",
                                spec.name, reply.id
                            ),
                        )
                        .hint("change the default, or the pattern or choices"),
                    );
                }
            }
            _ => {}
        }
        if let Some(ex) = &spec.example
            && spec.kind == VarKind::Text
            && let Err(why) = check(spec, ex)
        {
            problem(
                Diagnostic::warning(
                    "var-example",
                    format!(
                        "the example `{ex}` of `{}` in reply `{}` does not fit: {why}",
                        spec.name, reply.id
                    ),
                )
                .hint("an example is what the prompt shows: make it one the reply accepts"),
            );
        }
        if all_parse && !used.iter().any(|u| **u == spec.name) {
            problem(
                Diagnostic::warning(
                    "var-unused",
                    format!(
                        "reply `{}` declares `{}`, but no text of it uses it",
                        reply.id, spec.name
                    ),
                )
                .hint(format!(
                    "use it as {{{{ {} }}}}, or remove [{}.vars.{}]",
                    spec.name, reply.id, spec.name
                )),
            );
        }
    }
}
