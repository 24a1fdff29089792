//! `reply render ID --each FILE`: one message per record (mail merge). The
//! records come from `records`; each renders through the same `Job` as a
//! single render, so limits, languages and missing-value rules are identical.

use std::io::Read;

use serde::Serialize;

use super::App;
use crate::cli::{BatchFormat, RenderArgs};
use crate::compose::{Job, ValueInputs, Values, record_values};
use crate::deliver::OutputMode;
use crate::diag::error::Asked;
use crate::diag::{Diagnostic, Error, Result};
use crate::history::usage::How;
use crate::library::Value;
use crate::records::{Format, Record, Records, Stop};
use crate::util::escape::sanitize;

/// One line of the JSON Lines output.
#[derive(Serialize)]
struct Line<'a> {
    record: usize,
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<&'a Value>,
    reply: &'a str,
    message: &'a str,
}

/// How messages are separated with `--format text`.
enum Separator {
    /// Written after every message (`\0`, for `xargs -0`).
    Terminator(String),
    /// A line written between messages (`---`).
    Between(String),
}

impl Separator {
    fn parse(raw: &str) -> Separator {
        let mut s = String::new();
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                s.push(c);
                continue;
            }
            match chars.next() {
                Some('0') => s.push('\0'),
                Some('n') => s.push('\n'),
                Some('t') => s.push('\t'),
                Some(other) => {
                    if other != '\\' {
                        s.push('\\');
                    }
                    s.push(other);
                }
                None => s.push('\\'),
            }
        }
        if s.contains('\0') {
            Separator::Terminator(s)
        } else {
            Separator::Between(s)
        }
    }
}

pub fn render_batch(
    app: &mut App<'_>,
    job: &Job,
    each: &str,
    args: &RenderArgs,
    how: How,
) -> Result<()> {
    if each == "-" && args.values.vars_file.as_deref() == Some("-") {
        return Err(
            Error::usage("--each - and --vars - both read stdin").hint("give one of them a file")
        );
    }
    let copies = args.copy
        || matches!(
            args.output.as_deref().and_then(OutputMode::parse),
            Some(OutputMode::Copy | OutputMode::Both)
        );
    if copies {
        return Err(Error::usage("--each writes every message to stdout and cannot copy them")
            .hint("drop --copy/--output; pipe the output, e.g. `--format text --separator '\\0' | xargs -0 -n1 …`"));
    }
    let format = match args.each_format.as_deref() {
        Some("csv") => Some(Format::Csv),
        Some("jsonl") => Some(Format::Jsonl),
        _ => Format::from_name(each),
    };
    let base = ValueInputs::from(&args.values).over(&app.settings.values)?;
    let (name, input): (String, Box<dyn Read>) = if each == "-" {
        ("stdin".to_string(), Box::new(std::io::stdin().lock()))
    } else {
        let file = std::fs::File::open(each).map_err(|e| {
            Error::data(format!("cannot read {each}: {e}"))
                .hint("--each takes a CSV or JSON Lines file, or `-` for stdin")
        })?;
        (each.to_string(), Box::new(file))
    };
    let separator = Separator::parse(&args.separator);
    let mut records = Records::new(input, format);
    let (mut written, mut failed) = (0usize, Vec::new());
    loop {
        // Flush before any read that may block, so a slow producer sees each
        // message as soon as its record is complete.
        let next = records.next(&mut || app.out.flush());
        for w in records.take_warnings() {
            app.out.diagnostic(&at_input(&name, "", w));
        }
        let record = match next {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(Stop::Output(e)) => return Err(e.into()),
            Err(Stop::Input(e)) => return Err(Error::data(format!("cannot read {name}: {e}"))),
            Err(Stop::Bad(d)) => return Err(at_input(&name, "", *d).into()),
        };
        match render_one(job, &base, &record) {
            Ok(message) => {
                write(
                    app,
                    args.format,
                    &separator,
                    job,
                    &record,
                    &message,
                    written,
                )?;
                written += 1;
            }
            Err(problem) => {
                let place = format!(
                    "{}: record {}{}: ",
                    record.line,
                    record.number,
                    label(&record)
                );
                app.out.diagnostic(&at_input(&name, &place, *problem));
                failed.push(record.line);
                if args.fail_fast {
                    break;
                }
            }
        }
    }
    // A batch goes to a script, not a person: recorded only when asked, as
    // one record of the messages written.
    if args.record {
        super::usage::record(app, job, how, u32::try_from(written).unwrap_or(u32::MAX));
    }
    if failed.is_empty() {
        app.out.info(&format!(
            "Rendered {written} message{} from {}",
            if written == 1 { "" } else { "s" },
            sanitize(&name, false)
        ));
        return Ok(());
    }
    let mut lines: Vec<String> = failed.iter().take(10).map(usize::to_string).collect();
    if failed.len() > 10 {
        lines.push("…".into());
    }
    Err(Error::data(format!(
        "{} record{} of {name} failed (line{} {}){}; {written} message{} written",
        failed.len(),
        if failed.len() == 1 { "" } else { "s" },
        if failed.len() == 1 { "" } else { "s" },
        lines.join(", "),
        if args.fail_fast {
            ", stopped there (--fail-fast)"
        } else {
            ""
        },
        if written == 1 { "" } else { "s" },
    ))
    .hint("fix those records and run them again"))
}

/// The record's values rendered, or what is wrong with the record.
fn render_one(
    job: &Job,
    base: &Values,
    record: &Record,
) -> std::result::Result<String, Box<Diagnostic>> {
    let values = record.values.as_ref().map_err(Box::clone)?;
    let values = record_values(base, values.clone());
    match job.render(&values) {
        Ok(msg) => Ok(msg.rendered.text),
        // The single-render hint names only the flag, which in a batch would
        // give every record the same value: say the field first.
        Err(Error::Missing(m)) => Err(Box::new(m.diagnostic(Asked::Record))),
        Err(other) => {
            Err(Box::new(other.diagnostic().unwrap_or_else(|| {
                Diagnostic::error("record", other.to_string())
            })))
        }
    }
}

/// A diagnostic about the input, placed: `FILE:PLACE message`.
fn at_input(name: &str, place: &str, d: Diagnostic) -> Diagnostic {
    Diagnostic {
        message: format!("{name}:{place}{}", d.message),
        ..d
    }
}

/// ` (id 1004)` or ` (customer Ana)`: which row it is, for people.
fn label(record: &Record) -> String {
    for key in ["id", "customer"] {
        match record.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => {
                return format!(" ({key} {})", sanitize(s, false));
            }
            Some(Value::Number(n)) => return format!(" ({key} {n})"),
            _ => {}
        }
    }
    String::new()
}

fn write(
    app: &mut App<'_>,
    format: BatchFormat,
    separator: &Separator,
    job: &Job,
    record: &Record,
    message: &str,
    written_before: usize,
) -> Result<()> {
    match format {
        BatchFormat::Jsonl => {
            let line = serde_json::to_string(&Line {
                record: record.number,
                line: record.line,
                id: record.get("id"),
                customer: record.get("customer"),
                reply: &job.reply.id,
                message,
            })
            .map_err(|e| Error::data(format!("cannot encode JSON: {e}")))?;
            app.out.line(&line)?;
        }
        BatchFormat::Text => match separator {
            Separator::Terminator(t) => {
                app.out.write(message)?;
                app.out.write(t)?;
            }
            Separator::Between(s) => {
                if written_before > 0 {
                    app.out.line(s)?;
                }
                app.out.line(message)?;
            }
        },
    }
    Ok(())
}
