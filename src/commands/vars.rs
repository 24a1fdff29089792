//! `reply vars ID`: the variables a reply uses, and for each where its value
//! would come from, or that it must still be supplied; so a script can check
//! before rendering.

use serde::Serialize;

use super::{App, JSON_VERSION, Run};
use crate::cli::VarsArgs;
use crate::compose::{Choice, Job, Origin, Value, ValueInputs, for_reply};
use crate::deliver::{Style, table};
use crate::diag::{Result, error::how_to_give};
use crate::util::escape::sanitize;

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
struct Var<'a> {
    name: String,
    status: Status,
    origin: Option<Origin>,
    value: Option<Value>,
    /// The reply's declaration of it, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    declared: Option<&'a crate::library::VarSpec>,
}

impl Run for VarsArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let (_, lib) = super::show::load(app, &self.id)?;
        let choice = Choice {
            lang: self.lang.clone().or_else(|| app.settings.lang.clone()),
            strict_lang: false,
            public: self.public,
            platform: None,
        };
        let job = Job::new(&lib, &self.id, &choice, &app.settings.runtime())?;
        for w in &job.warnings {
            app.out.diagnostic(w);
        }
        let base = ValueInputs::from(&self.values).over(&app.settings.values)?;
        let values = for_reply(&base, job.reply);
        let missing = job.missing(&base)?;
        let vars: Vec<Var> = job
            .variables()?
            .into_iter()
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
                    declared: job.reply.var(&name),
                    name,
                }
            })
            .collect();
        let ready = vars.iter().all(|v| v.status != Status::Required);
        if self.json.json {
            return app.json(&serde_json::json!({
                "version": JSON_VERSION,
                "id": job.reply.id,
                "lang": job.variant.lang,
                "ready": ready,
                "variables": vars,
            }));
        }
        let rows: Vec<Vec<String>> = vars
            .iter()
            .map(|v| {
                let (state, detail) = match v.status {
                    Status::Given => {
                        let origin = match v.origin {
                            Some(Origin::Flag) => "flag",
                            Some(Origin::Prompt) => "prompt",
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
                        match v
                            .declared
                            .map(super::show::describe)
                            .filter(|d| !d.is_empty())
                        {
                            Some(d) => format!(
                                "{}: give it with {}",
                                sanitize(&d, false),
                                how_to_give(&v.name)
                            ),
                            None => format!("give it with {}", how_to_give(&v.name)),
                        },
                    ),
                };
                vec![sanitize(&v.name, false), state, detail]
            })
            .collect();
        let text = table(&rows, app.out.tty);
        app.out.write(&text)?;
        Ok(())
    }
}
