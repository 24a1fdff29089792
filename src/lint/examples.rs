//! Examples: the customer messages `reply suggest` learns a reply's words
//! from. A library that uses them should give every reply and every
//! translation some; a library that never does gets one hint that they
//! exist, never a warning, so an old library stays clean. Two replies with
//! the same example would each claim the other's customers.

use std::collections::{HashMap, HashSet};

use super::Ctx;
use crate::diag::{Diagnostic, Location};
use crate::library::Reply;
use crate::util::fold::fold_str;

/// The layers (libraries) where some reply has examples.
pub(super) fn layers_using(cx: &Ctx) -> HashSet<usize> {
    cx.lib
        .replies
        .iter()
        .chain(&cx.lib.shadowed)
        .filter(|r| r.variants.iter().any(|v| !v.examples.is_empty()))
        .map(|r| cx.lib.file(r).layer)
        .collect()
}

/// Rule: in a library that uses examples, every variant of a reply has some.
pub(super) fn present(cx: &mut Ctx, reply: &Reply, using: &HashSet<usize>) {
    if !using.contains(&cx.lib.file(reply).layer) {
        return;
    }
    let without: Vec<&str> = reply
        .variants
        .iter()
        .filter(|v| v.examples.is_empty())
        .map(|v| v.lang.as_str())
        .collect();
    if without.is_empty() {
        return;
    }
    let what = if without.len() == reply.variants.len() {
        format!("reply `{}` has no examples", reply.id)
    } else {
        format!(
            "the {} variant{} of `{}` {} no examples",
            without.join(", "),
            if without.len() == 1 { "" } else { "s" },
            reply.id,
            if without.len() == 1 { "has" } else { "have" }
        )
    };
    cx.out.push(
        Diagnostic::warning("no-examples", what)
            .at(cx.lib.location(reply))
            .reply(&reply.id)
            .hint(
                "add a few messages it answers, as customers write them: \
                 examples = [\"where is my order\", \"parcel not here\"] (in each translation too)",
            ),
    );
}

/// Rule: a library whose replies never have examples gets one hint, at its
/// first reply.
pub(super) fn unused(cx: &mut Ctx, using: &HashSet<usize>) {
    let mut first: HashMap<usize, (&Reply, usize)> = HashMap::new();
    for r in &cx.lib.replies {
        let layer = cx.lib.file(r).layer;
        if !using.contains(&layer) {
            first.entry(layer).or_insert((r, 0)).1 += 1;
        }
    }
    let mut layers: Vec<_> = first.into_iter().collect();
    layers.sort_by_key(|(l, _)| *l);
    for (_, (reply, n)) in layers {
        cx.out.push(
            Diagnostic::hint_only(
                "no-examples",
                format!(
                    "no reply in this library has examples ({n} repl{}): `reply suggest` finds \
                     the reply for a customer's message far better with a few",
                    if n == 1 { "y" } else { "ies" }
                ),
            )
            .at(cx.lib.location(reply))
            .hint("add examples = [\"where is my order\", \"parcel not here\"] to a reply and its translations"),
        );
    }
}

/// An example as it is compared: folded, words only.
fn key(example: &str) -> String {
    fold_str(example)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rule: no two replies share an example (the same id in two layers may:
/// one is a copy of the other).
pub(super) fn shared(cx: &mut Ctx) {
    let mut seen: HashMap<String, (String, Location)> = HashMap::new();
    let mut found = Vec::new();
    for reply in cx.lib.replies.iter().chain(&cx.lib.shadowed) {
        let mut own = HashSet::new();
        for v in &reply.variants {
            for e in &v.examples {
                let k = key(e);
                if k.is_empty() || !own.insert(k.clone()) {
                    continue;
                }
                match seen.get(&k) {
                    Some((id, at)) if *id != reply.id => found.push(
                        Diagnostic::warning(
                            "shared-example",
                            format!("`{}` and `{id}` share the example \"{e}\"", reply.id),
                        )
                        .at(cx.lib.location(reply))
                        .reply(&reply.id)
                        .note(format!("`{id}` is at {}:{}", at.file, at.line))
                        .hint("an example should point to one reply: reword or remove one"),
                    ),
                    Some(_) => {}
                    None => {
                        seen.insert(k, (reply.id.clone(), cx.lib.location(reply)));
                    }
                }
            }
        }
    }
    cx.out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn examples_compare_folded_and_by_words() {
        assert_eq!(key("¿Dónde está mi pedido?"), key("donde esta  mi PEDIDO"));
        assert_ne!(key("where is my order"), key("where is my refund"));
    }
}
