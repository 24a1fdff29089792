//! Declared variables (`[ID.vars.NAME]`): the values given for them checked
//! against what the reply says they must look like (a pattern, a list of
//! choices, yes or no), the same on the command line and at a prompt; and
//! which values are private, never stored or offered again.

use regex::Regex;

use super::values::{Given, Origin, Values};
use crate::diag::{Error, Result};
use crate::library::{Reply, Value, VarKind, VarSpec};

/// Variable names that carry a customer's private details: never in a public
/// text, never remembered.
pub fn is_private_detail(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "order", "email", "mail", "phone", "mobile", "address", "tracking", "account", "card",
        "password", "iban", "postcode", "zip", "dob", "birth",
    ]
    .iter()
    .any(|p| n.contains(p))
}

/// A value that must never be stored or offered again: the customer's name,
/// their private details, anything the reply declares `private`.
pub fn never_stored(name: &str, spec: Option<&VarSpec>) -> bool {
    name == "customer" || is_private_detail(name) || spec.is_some_and(|s| s.private)
}

/// `yes`/`no` as people type them.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "on" | "1" | "si" | "sí" => Some(true),
        "false" | "no" | "n" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// A declared pattern, compiled to match the whole value.
pub fn pattern(spec: &VarSpec) -> std::result::Result<Option<Regex>, String> {
    match &spec.pattern {
        None => Ok(None),
        Some(p) => regex::RegexBuilder::new(&format!("^(?:{p})$"))
            .size_limit(1 << 20)
            .build()
            .map(Some)
            .map_err(|e| e.to_string()),
    }
}

/// Why `text` is not a value `spec` accepts, said so a person can fix it; or
/// the value to use (a yes/no becomes a boolean).
pub fn check(spec: &VarSpec, text: &str) -> std::result::Result<Value, String> {
    if spec.kind == VarKind::Bool {
        return parse_bool(text)
            .map(Value::Bool)
            .ok_or_else(|| "answer yes or no".to_string());
    }
    if !spec.choices.is_empty() && !spec.choices.iter().any(|c| c == text) {
        return Err(format!("it must be one of {}", spec.choices.join(", ")));
    }
    match pattern(spec) {
        Ok(Some(re)) if !re.is_match(text) => Err(match &spec.example {
            Some(ex) => format!(
                "it must look like {ex} (the pattern {})",
                spec.pattern.as_deref().unwrap_or("")
            ),
            None => format!("it must match {}", spec.pattern.as_deref().unwrap_or("")),
        }),
        Ok(_) => Ok(Value::String(text.to_string())),
        Err(e) => Err(format!(
            "its pattern is not a valid regular expression: {e}"
        )),
    }
}

/// Checks every value given for a declared variable (the reply's own
/// defaults are the author's, checked by `reply check`), and turns a yes/no
/// given as text into a boolean, so `{% if discount %}` is false for "no".
pub fn apply(reply: &Reply, values: &mut Values) -> Result<()> {
    for spec in &reply.vars {
        let Some(given) = values.get(&spec.name).cloned() else {
            continue;
        };
        if given.origin >= Origin::Default {
            continue;
        }
        let value = match &given.value {
            Value::String(s) => check(spec, s),
            Value::Bool(b) if spec.kind == VarKind::Bool => Ok(Value::Bool(*b)),
            Value::Bool(_) => Err("it must be text, not yes or no".to_string()),
            other if spec.kind == VarKind::Bool => Err(format!("answer yes or no, not {other}")),
            other => check(spec, &other.to_string()),
        };
        match value {
            Ok(v) => values.set(
                &spec.name,
                Given {
                    value: v,
                    origin: given.origin,
                },
            ),
            Err(why) => {
                let shown = match &given.value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let mut e = Error::usage(format!(
                    "`{shown}` is not a valid `{}` for reply `{}`: {why}",
                    spec.name, reply.id
                ));
                if let Some(ex) = &spec.example {
                    e = e.hint(format!("give it as -v {}={ex}", spec.name));
                }
                return Err(e);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(f: impl FnOnce(&mut VarSpec)) -> VarSpec {
        let mut s = VarSpec {
            name: "order".into(),
            prompt: None,
            example: Some("A-1042".into()),
            pattern: Some(r"[A-Z]-\d{4}".into()),
            choices: Vec::new(),
            default: None,
            kind: VarKind::Text,
            private: true,
            span: 0..0,
        };
        f(&mut s);
        s
    }

    #[test]
    fn the_whole_value_must_match_the_pattern() {
        let s = spec(|_| {});
        assert_eq!(check(&s, "A-1042"), Ok(Value::from("A-1042")));
        let e = check(&s, "xA-1042").unwrap_err();
        assert!(e.contains("must look like A-1042"), "{e}");
        assert!(check(&s, "12").is_err());
    }

    #[test]
    fn choices_and_yes_no() {
        let c = spec(|s| {
            s.pattern = None;
            s.choices = vec!["DHL".into(), "UPS".into()];
        });
        assert!(check(&c, "UPS").is_ok());
        assert!(check(&c, "FedEx").unwrap_err().contains("one of DHL, UPS"));
        let b = spec(|s| {
            s.pattern = None;
            s.kind = VarKind::Bool;
        });
        assert_eq!(check(&b, "no"), Ok(Value::Bool(false)));
        assert_eq!(check(&b, "Yes"), Ok(Value::Bool(true)));
        assert!(check(&b, "maybe").is_err());
    }

    #[test]
    fn a_bad_pattern_is_said_so() {
        let s = spec(|s| s.pattern = Some("(".into()));
        assert!(
            check(&s, "x")
                .unwrap_err()
                .contains("not a valid regular expression")
        );
    }

    #[test]
    fn private_values() {
        assert!(never_stored("customer", None));
        assert!(never_stored("order_id", None));
        assert!(never_stored(
            "link",
            Some(&spec(|s| s.name = "link".into()))
        ));
        assert!(!never_stored("link", None));
    }
}
