//! The values a render sees, as Tera's own values: numbers kept exactly as
//! written (a 30-digit order number stays 30 digits), and the stand-ins that
//! let a render go on past a missing variable to find the next one.

use tera::Context;

use crate::library::Value;

/// A value as Tera holds it. Numbers that fit an integer or round-trip as a
/// float stay numbers; any other (a 30-digit integer, `1.50`) becomes the text
/// it was written as, so it renders exactly so.
pub(super) fn to_tera(v: &Value) -> tera::Value {
    match v {
        Value::Null => tera::Value::none(),
        Value::Bool(b) => tera::Value::from(*b),
        Value::Number(n) => {
            let literal = n.to_string();
            if let Some(i) = n.as_i64() {
                tera::Value::from(i)
            } else if let Some(u) = n.as_u64() {
                tera::Value::from(u)
            } else if let Ok(i) = literal.parse::<i128>() {
                tera::Value::from(i)
            } else {
                match literal.parse::<f64>() {
                    Ok(f) if f.is_finite() && f.to_string() == literal => tera::Value::from(f),
                    _ => tera::Value::from(literal),
                }
            }
        }
        Value::String(s) => tera::Value::from(s.as_str()),
        Value::Array(items) => tera::Value::from(items.iter().map(to_tera).collect::<Vec<_>>()),
        Value::Object(map) => tera::Value::from(
            map.iter()
                .map(|(k, v)| (k.clone(), to_tera(v)))
                .collect::<std::collections::BTreeMap<_, _>>(),
        ),
    }
}

/// Stands a placeholder in for a missing `a.b.c`, keeping what `a` already holds.
/// The text shown in place of a value not given yet, in a preview.
pub fn placeholder(name: &str) -> String {
    format!("‹{name}›")
}

pub(super) fn stand_in(ctx: &mut Context, name: &str, shown: bool) {
    // In a preview the stand-in is visible (`‹order›`); when only looking for
    // what is missing, any text does.
    let text = if shown {
        placeholder(name)
    } else {
        "\u{FFFD}".to_string()
    };
    let mut parts = name.split('.');
    let Some(root) = parts.next() else { return };
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        ctx.insert_value(root.to_string(), tera::Value::from(text));
        return;
    }
    let mut value = ctx
        .get(root)
        .and_then(|v| serde_json::to_value(v).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()));
    let mut at = &mut value;
    for (i, key) in rest.iter().enumerate() {
        if !at.is_object() {
            *at = Value::Object(Default::default());
        }
        let Some(map) = at.as_object_mut() else {
            return;
        };
        let leaf = i + 1 == rest.len();
        at = map.entry(key.to_string()).or_insert_with(|| {
            if leaf {
                Value::from(text.as_str())
            } else {
                Value::Object(Default::default())
            }
        });
    }
    ctx.insert_value(root.to_string(), to_tera(&value));
}
