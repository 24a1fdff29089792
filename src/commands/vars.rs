//! `reply vars ID`: the variables a reply uses, and for each where its value
//! would come from, or that it must still be supplied; so a script can check
//! before rendering.

use serde::Serialize;

use super::{JSON_VERSION, write_json};
use crate::App;
use crate::cli::VarsArgs;
use crate::compose;
use crate::error::Result;
use crate::library::Value;
use crate::output::{Style, sanitize, table};
use crate::render::{self, Origin, RenderError};

#[derive(Serialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Status {
    /// Has a value (from `origin`).
    Given,
    /// No value, but the template copes (`default(...)` or `{% if %}`).
    Optional,
    /// No value and no default: rendering would fail.
    Required,
}

#[derive(Serialize)]
struct Var {
    name: String,
    status: Status,
    origin: Option<Origin>,
    value: Option<Value>,
}

pub fn run(app: &mut App, args: &VarsArgs) -> Result<()> {
    let (_, lib) = super::show::load(app, &args.id)?;
    let Some(reply) = lib.get(&args.id) else {
        return Err(crate::error::Error::data(format!(
            "error: reply `{}` could not be read",
            args.id
        )));
    };
    let lang = args.lang.clone().or_else(|| app.default_lang());
    let (text, variant, warning) = compose::choose(reply, lang.as_deref(), false, args.public)?;
    if let Some(w) = warning {
        app.out.warn(&w);
    }
    let base = compose::base_values(&args.values, &app.env, &app.config)?;
    let values = compose::for_reply(&base, reply);
    let names = render::variables(&text.src)
        .map_err(|e| compose::explain(&lib, reply, text, "the template", e))?;
    let missing = match render::render(&render::Request {
        template: &text.src,
        values: &values,
        lang: &variant.lang,
        platform: None,
        clock: app.clock,
    }) {
        Ok(_) => Vec::new(),
        Err(RenderError::Missing(m)) => m,
        Err(e) => return Err(compose::explain(&lib, reply, text, "the template", e)),
    };
    let vars: Vec<Var> = names
        .into_iter()
        .filter(|n| !render::BUILTINS.contains(&n.as_str()))
        .map(|name| {
            let given = values.get(&name);
            let status = match given {
                Some(_) => Status::Given,
                None if missing.contains(&name) => Status::Required,
                None => Status::Optional,
            };
            Var {
                status,
                origin: given.map(|g| g.origin),
                value: given.map(|g| g.value.clone()),
                name,
            }
        })
        .collect();
    let ready = vars.iter().all(|v| v.status != Status::Required);
    if args.json.json {
        return write_json(
            app,
            &serde_json::json!({
                "version": JSON_VERSION,
                "id": reply.id,
                "lang": variant.lang,
                "ready": ready,
                "variables": vars,
            }),
        );
    }
    let rows: Vec<Vec<String>> = vars
        .iter()
        .map(|v| {
            let (state, detail) = match v.status {
                Status::Given => {
                    let origin = match v.origin {
                        Some(Origin::Flag) => "flag",
                        Some(Origin::Data) => "--vars",
                        Some(Origin::Env) => "environment",
                        Some(Origin::Config) => "config",
                        Some(Origin::Default) => "default",
                        Some(Origin::Builtin | Origin::Template) | None => "reply",
                    };
                    let shown = match &v.value {
                        Some(Value::String(s)) => format!("{s:?}"),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    };
                    (app.out.paint(Style::Good, origin), sanitize(&shown, false))
                }
                Status::Optional => (
                    app.out.paint(Style::Dim, "optional"),
                    "the template has a fallback".to_string(),
                ),
                Status::Required => (
                    app.out.paint(Style::Error, "required"),
                    format!("give it with {}", compose::how_to_give(&v.name)),
                ),
            };
            vec![v.name.clone(), state, detail]
        })
        .collect();
    let text = table(&rows, app.out.tty);
    app.out.write(&text)?;
    Ok(())
}
