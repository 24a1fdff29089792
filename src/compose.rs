//! Everything between "which reply" and "the message": finding the reply for a
//! query, choosing its language variant, gathering values from flags, data,
//! environment, config and defaults, and turning render errors into messages
//! that say how to fix them.

use std::io::Read;

use crate::catalog::{Catalog, Entry};
use crate::cli::ValueArgs;
use crate::config::{Config, Env};
use crate::data_err;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::library::{Library, Part, Reply, Text, Value, Variant};
use crate::render::{Origin, RenderError, Values};
use crate::search;

/// How a query was resolved to a reply.
pub struct Found<'a> {
    pub entry: &'a Entry,
    /// `false` when the id was not typed exactly and fuzzy search chose it.
    pub exact: bool,
}

/// An exact id, or else (unless `exact_only`) the best fuzzy match.
pub fn find<'a>(cat: &'a Catalog, query: &str, exact_only: bool) -> Result<Found<'a>> {
    let query = query.trim();
    if let Some(entry) = cat.get(query) {
        return Ok(Found { entry, exact: true });
    }
    if let Some(why) = cat.broken_home(query) {
        return Err(Error::data(why));
    }
    // Only a fuzzy search reads the bodies: an exact id stays fast.
    let hits = search::search(&cat.entries, cat.bodies(), query, |_| true);
    if exact_only {
        let mut msg = format!("error: no reply has the id `{query}`");
        if let Some(h) = hits.first() {
            msg.push_str(&format!(
                "\n  = hint: did you mean `{}`? (drop --exact to allow fuzzy matching)",
                h.entry.id()
            ));
        }
        return Err(Error::no_match(msg));
    }
    match hits.into_iter().next() {
        Some(hit) => Ok(Found {
            entry: hit.entry,
            exact: false,
        }),
        None => Err(Error::no_match(format!(
            "error: no reply matches `{query}`\n  = hint: `reply list` shows every reply; `reply search WORDS` searches"
        ))),
    }
}

/// Reads the file that holds `entry` and checks the id is not ambiguous (defined
/// twice in one layer: rendering either would be a guess).
pub fn open(cat: &Catalog, entry: &Entry) -> Result<Library> {
    if let Some(d) = cat.conflict(entry.id()) {
        return Err(Error::data(d.to_string()));
    }
    let lib = cat.open(entry)?;
    if lib.get(entry.id()).is_none() {
        // The file changed between listing and reading it.
        let problem = lib
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .next()
            .unwrap_or_else(|| {
                format!(
                    "error: reply `{}` is no longer in {}",
                    entry.id(),
                    cat.file(entry).name
                )
            });
        return Err(Error::data(problem));
    }
    Ok(lib)
}

/// The variant for a language: the requested one, else the reply's own with
/// a warning (or an error when `strict`).
fn variant<'a>(
    reply: &'a Reply,
    lang: Option<&str>,
    strict: bool,
) -> Result<(&'a Variant, Option<String>)> {
    let Some(lang) = lang else {
        return Ok((reply.main(), None));
    };
    if let Some(v) = reply.variant(lang) {
        return Ok((v, None));
    }
    let have = reply.languages().collect::<Vec<_>>().join(", ");
    if strict {
        return Err(data_err!(
            "error: reply `{}` has no `{lang}` variant (it has: {have})\n  = hint: add `[{}.translations.{lang}]`, or drop --strict-lang to fall back to `{}`",
            reply.id,
            reply.id,
            reply.lang()
        ));
    }
    Ok((
        reply.main(),
        Some(format!(
            "warning: reply `{}` has no `{lang}` variant: using its own language, `{}`",
            reply.id,
            reply.lang()
        )),
    ))
}

/// The text to render: the body, or the public text (falling back to the
/// reply's own language's public text if the translation has none).
fn text<'a>(reply: &'a Reply, variant: &'a Variant, part: Part) -> Result<(&'a Text, &'a Variant)> {
    if let Some(t) = variant.text(part) {
        return Ok((t, variant));
    }
    if let Some(t) = reply.main().text(part) {
        return Ok((t, reply.main()));
    }
    Err(data_err!(
        "error: reply `{}` has no public text\n  = hint: add `public = \"…\"` to it: the short answer to post under a public comment",
        reply.id
    ))
}

/// The text to render and its variant, for a language (the configured one
/// when `lang` is `None`) and a part; with the fallback warning, if any.
pub fn choose<'a>(
    reply: &'a Reply,
    lang: Option<&str>,
    strict: bool,
    public: bool,
) -> Result<(&'a Text, &'a Variant, Option<String>)> {
    let (variant, warning) = variant(reply, lang, strict)?;
    let part = if public { Part::Public } else { Part::Body };
    let (text, variant) = text(reply, variant, part)?;
    Ok((text, variant, warning))
}

/// Parses `KEY=VALUE`.
fn parse_assignment(s: &str) -> Result<(&str, &str)> {
    let Some((key, value)) = s.split_once('=') else {
        return Err(data_err!(
            "error: `-v {s}` is not KEY=VALUE\n  = hint: write it as `-v order=A-1042`"
        ));
    };
    let key = key.trim();
    if !valid_var_name(key) {
        return Err(data_err!(
            "error: `{key}` is not a variable name\n  = hint: names use letters, digits and `_`; for nested values use --vars FILE"
        ));
    }
    Ok((key, value))
}

pub fn valid_var_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Reads `--vars FILE`: a TOML or JSON object (`-` is stdin). JSON when the
/// name ends in `.json` or the text starts with `{`, TOML otherwise.
pub fn read_vars_file(path: &str) -> Result<serde_json::Map<String, Value>> {
    let (name, text) = if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| data_err!("error: cannot read variables from stdin: {e}"))?;
        ("stdin".to_string(), s)
    } else {
        let text = std::fs::read_to_string(path)
            .map_err(|e| data_err!("error: cannot read the variables file {path}: {e}"))?;
        (path.to_string(), text)
    };
    let json = path.ends_with(".json") || text.trim_start().starts_with('{');
    let value: Value = if json {
        serde_json::from_str(&text).map_err(|e| {
            data_err!(
                "error: {name}:{}:{}: invalid JSON: {e}\n  = hint: --vars takes one JSON object such as {{\"customer\": \"Ana\"}}",
                e.line(),
                e.column()
            )
        })?
    } else {
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            data_err!(
                "error: invalid TOML in the variables file {name}\n{}",
                e.to_string().trim_end()
            )
        })?;
        serde_json::to_value(table).map_err(|e| data_err!("error: {name}: {e}"))?
    };
    match value {
        Value::Object(map) => Ok(map),
        other => Err(data_err!(
            "error: {name} holds {}, not an object of variables\n  = hint: write {{\"customer\": \"Ana\", \"order\": \"A-1042\"}}",
            match other {
                Value::Array(_) => "a list",
                Value::String(_) => "a string",
                _ => "a single value",
            }
        )),
    }
}

/// Values that apply to every reply: flags, then `--vars` data, then the
/// environment, then the config. A reply's defaults come below (see `for_reply`).
pub fn base_values(args: &ValueArgs, env: &Env, config: &Config) -> Result<Values> {
    let mut v = Values::default();
    let s = |x: &str| Value::String(x.to_string());
    for (name, flag) in [
        ("customer", &args.customer),
        ("agent", &args.agent),
        ("brand", &args.brand),
    ] {
        if let Some(x) = flag {
            v.offer(name, s(x), Origin::Flag);
        }
    }
    for a in &args.vars {
        let (k, x) = parse_assignment(a)?;
        v.offer(k, s(x), Origin::Flag);
    }
    if let Some(path) = &args.vars_file {
        for (k, x) in read_vars_file(path)? {
            v.offer(&k, x, Origin::Data);
        }
    }
    for (name, var) in [
        ("customer", "REPLY_CUSTOMER"),
        ("agent", "REPLY_AGENT"),
        ("brand", "REPLY_BRAND"),
    ] {
        if let Some(x) = env.get(var) {
            v.offer(name, s(x), Origin::Env);
        }
    }
    for (k, x) in env.with_prefix("REPLY_VAR_") {
        if valid_var_name(k) {
            v.offer(k, s(x), Origin::Env);
        }
    }
    if let Some(x) = &config.agent {
        v.offer("agent", s(x), Origin::Config);
    }
    if let Some(x) = &config.brand {
        v.offer("brand", s(x), Origin::Config);
    }
    for (k, x) in &config.vars {
        if let Ok(val) = serde_json::to_value(x) {
            v.offer(k, val, Origin::Config);
        }
    }
    Ok(v)
}

/// `base` with the reply's defaults below everything else.
pub fn for_reply(base: &Values, reply: &Reply) -> Values {
    let mut v = base.clone();
    for (k, x) in &reply.defaults {
        v.offer(k, x.clone(), Origin::Default);
    }
    v
}

/// How to give a value, for the missing-variable message.
pub fn how_to_give(name: &str) -> String {
    match name {
        "customer" => "--customer NAME".to_string(),
        "agent" => "--agent NAME (or `agent` in the config, or REPLY_AGENT)".to_string(),
        "brand" => "--brand NAME (or `brand` in the config, or REPLY_BRAND)".to_string(),
        // `-v` takes plain names only: a field of an object comes from data.
        other if other.contains('.') => {
            let parts: Vec<&str> = other.split('.').collect();
            let mut shape = "…".to_string();
            for p in parts.iter().rev() {
                shape = format!("{{\"{p}\": {shape}}}");
            }
            format!("--vars FILE holding {shape}")
        }
        other => format!("-v {other}=…"),
    }
}

/// A render error as a message a person can act on.
pub fn explain(lib: &Library, reply: &Reply, text: &Text, which: &str, e: RenderError) -> Error {
    match e {
        RenderError::Missing(names) => {
            let list = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let how = names
                .iter()
                .map(|n| how_to_give(n))
                .collect::<Vec<_>>()
                .join(", ");
            let plural = if names.len() == 1 {
                "a value"
            } else {
                "values"
            };
            Error::data(format!(
                "error: reply `{}` needs {plural} for {list}: nothing was sent\n  = hint: give {} with {how}; or add a default under [{}.defaults]",
                reply.id,
                if names.len() == 1 { "it" } else { "them" },
                reply.id
            ))
        }
        RenderError::Template { message, range } => {
            let mut d = Diagnostic::error(
                "template",
                format!(
                    "template error in {which} of reply `{}`: {message}",
                    reply.id
                ),
            );
            if let Some(r) = range {
                d = d.at(lib.text_location(reply, text, r));
            }
            d = d.hint("Tera syntax: {{ variable }}, {{ variable | default(value=\"…\") }}, {% if variable %}…{% endif %}");
            Error::data(d.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_flag_env_config() {
        let args = ValueArgs {
            agent: Some("Flag".into()),
            vars: vec!["order=A1".into()],
            ..Default::default()
        };
        let env = Env::from_pairs([
            ("REPLY_AGENT", "Env"),
            ("REPLY_BRAND", "EnvBrand"),
            ("REPLY_VAR_order", "B2"),
        ]);
        let config = Config {
            brand: Some("CfgBrand".into()),
            ..Default::default()
        };
        let v = base_values(&args, &env, &config).unwrap();
        assert_eq!(v.get("agent").unwrap().value, "Flag");
        assert_eq!(v.get("brand").unwrap().value, "EnvBrand");
        assert_eq!(v.get("order").unwrap().value, "A1");
        assert_eq!(v.get("order").unwrap().origin, Origin::Flag);
    }

    #[test]
    fn bad_assignments_are_explained() {
        assert!(parse_assignment("order").is_err());
        assert!(parse_assignment("bad key=x").is_err());
        assert_eq!(parse_assignment("note=a=b").unwrap(), ("note", "a=b"));
    }
}
