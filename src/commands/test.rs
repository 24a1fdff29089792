//! `reply test [ID…]`: run the tests that live with replies, one line per
//! test, then each failure compiler-style (at the test's table, with a diff
//! for a wrong `expect`), or as JSON. Exit 0 when every test passed, 2 when
//! one failed or a tested reply has a broken test table.

use serde::Serialize;

use super::{App, JSON_VERSION, Run};
use crate::cli::TestArgs;
use crate::compose::reply_tests::{self, Failure, Outcome};
use crate::deliver::Style;
use crate::deliver::style::colour_severity;
use crate::diag::{Diagnostic, Error, Result};
use crate::library::{Library, Reply};
use crate::util::escape::sanitize;

#[derive(Serialize)]
struct TestJson<'a> {
    reply: &'a str,
    test: &'a str,
    file: String,
    line: usize,
    column: usize,
    lang: &'a str,
    platform: Option<&'a str>,
    public: bool,
    passed: bool,
    message: Option<&'a str>,
    failures: &'a [Failure],
}

impl Run for TestArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let lib = Library::load(app.settings.layers.clone(), &app.settings.library_lang)?;
        let replies = selected(&lib, &self.ids)?;
        let ids: Vec<&str> = replies.iter().map(|r| r.id.as_str()).collect();
        // A test table that could not be read (`checks nothing`, an unknown
        // field) would pass for nothing: an error in a reply tested counts as
        // a failure of the run.
        let problems: Vec<&Diagnostic> = lib
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && d.reply.as_deref().is_some_and(|r| ids.contains(&r)))
            .collect();
        let settings = &app.settings;
        let runtime = settings.runtime();
        let outcomes: Vec<Outcome> = replies
            .iter()
            .flat_map(|r| reply_tests::run(&lib, r, &settings.platforms, &runtime))
            .collect();
        let failed = outcomes.iter().filter(|o| !o.passed()).count();
        if self.json.json {
            let results: Vec<TestJson> = outcomes
                .iter()
                .map(|o| {
                    let loc = o.location(&lib);
                    TestJson {
                        reply: &o.reply.id,
                        test: &o.test.name,
                        file: loc.file,
                        line: loc.line,
                        column: loc.column,
                        lang: o.test.lang.as_deref().unwrap_or(o.reply.lang()),
                        platform: o.test.platform.as_deref(),
                        public: o.test.public,
                        passed: o.passed(),
                        message: o.message.as_deref(),
                        failures: &o.failures,
                    }
                })
                .collect();
            app.json(&serde_json::json!({
                "version": JSON_VERSION,
                "tests": outcomes.len(),
                "passed": outcomes.len() - failed,
                "failed": failed,
                "results": results,
                "problems": problems,
            }))?;
        } else {
            report(app, &lib, &outcomes, &problems)?;
        }
        if failed > 0 || !problems.is_empty() {
            return Err(Error::Reported);
        }
        Ok(())
    }
}

/// The replies named, or every reply in use; an unknown id is an error that
/// names the closest ones.
fn selected<'a>(lib: &'a Library, ids: &[String]) -> Result<Vec<&'a Reply>> {
    if ids.is_empty() {
        return Ok(lib.replies.iter().collect());
    }
    ids.iter()
        .map(|id| {
            lib.get(id).ok_or_else(|| {
                let close =
                    crate::util::suggest::closest(id, lib.replies.iter().map(|r| r.id.as_str()));
                Error::no_match(format!("no reply has the id `{id}`")).hint(match close {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "`reply list` shows every id".to_string(),
                })
            })
        })
        .collect()
}

fn report(
    app: &mut App<'_>,
    lib: &Library,
    outcomes: &[Outcome],
    problems: &[&Diagnostic],
) -> Result<()> {
    let name = |o: &Outcome| {
        format!(
            "{}/{}",
            sanitize(&o.reply.id, false),
            sanitize(&o.test.name, false)
        )
    };
    let width = outcomes
        .iter()
        .map(|o| name(o).chars().count())
        .max()
        .unwrap_or(0);
    for o in outcomes {
        let (mark, style) = if o.passed() {
            ("ok  ", Style::Good)
        } else {
            ("FAIL", Style::Error)
        };
        let loc = o.location(lib);
        let shown = name(o);
        let pad = " ".repeat(width - shown.chars().count());
        app.out.line(&format!(
            "{} {}{pad}  {}",
            app.out.paint(style, mark),
            app.out.paint(Style::Id, &shown),
            app.out.paint(
                Style::Dim,
                &format!("{}:{}", sanitize(&loc.file, false), loc.line)
            )
        ))?;
    }
    let diagnostics = outcomes
        .iter()
        .filter_map(|o| o.diagnostic(lib))
        .chain(problems.iter().map(|d| (*d).clone()));
    for d in diagnostics {
        app.out.line("")?;
        app.out
            .line(&colour_severity(app.out.color, &d.to_string()))?;
    }
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    let replies: std::collections::BTreeSet<&str> =
        outcomes.iter().map(|o| o.reply.id.as_str()).collect();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if outcomes.is_empty() {
        app.out.info(
            "no tests to run: a reply's tests are `[ID.tests.NAME]` tables (see README, \"Writing replies\")",
        );
    }
    if !outcomes.is_empty() {
        app.out.line("")?;
    }
    app.out.line(&format!(
        "{} of {}: {} passed, {} failed{}",
        plural(outcomes.len(), "test", "tests"),
        plural(replies.len(), "reply", "replies"),
        outcomes.len() - failed,
        failed,
        if problems.is_empty() {
            String::new()
        } else {
            format!(
                "; {} in the replies tested",
                plural(problems.len(), "error", "errors")
            )
        }
    ))?;
    Ok(())
}
