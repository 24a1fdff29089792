//! Tera's errors made precise: the variable an "is not defined" error is
//! about, and the byte range in the template every error points at.

use super::{NAME, RenderError};

/// The variable (or `var.field`) an "is not defined" error is about.
pub(super) fn undefined_name(e: &tera::Error, template: &str) -> Option<String> {
    let tera::ErrorKind::RenderingError(report) = e.kind() else {
        return None;
    };
    let msg = report.message();
    if !(msg.starts_with("Variable `") || msg.starts_with("Field `"))
        || !msg.contains("is not defined")
    {
        return None;
    }
    let range = report.span().range.clone();
    // A field's span covers the field alone (`id` of `order.id`): widen it to
    // the whole path, so the message names what to give.
    let start = if msg.starts_with("Field `") {
        template
            .get(..range.start)?
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '.')
            .last()
            .map_or(range.start, |(i, _)| i)
    } else {
        range.start
    };
    let expr = template.get(start..range.end)?.trim();
    // `order.id` when only `order` was given; the variable itself otherwise.
    let name: String = expr
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    if msg.starts_with("Variable `") {
        name.split('.').next().map(str::to_string)
    } else {
        Some(name)
    }
}

/// A Tera error as a message and a byte range in the template.
pub(super) fn template_error(e: &tera::Error, template: &str) -> RenderError {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            RenderError::Template {
                message: r.message().to_string(),
                range: Some(r.span().range.clone()),
            }
        }
        other => {
            // Unknown filters and functions come as a pre-rendered report
            // ("error: Unknown filter `x`\n --> reply:2:14"): take it apart.
            let text = other.to_string();
            let message = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            let range = text
                .lines()
                .find_map(|l| l.trim().strip_prefix(&format!("--> {NAME}:")))
                .and_then(|lc| {
                    let (l, c) = lc.split_once(':')?;
                    let (line, col): (usize, usize) = (l.parse().ok()?, c.parse().ok()?);
                    let start = offset_of(template, line, col)?;
                    let width = text
                        .lines()
                        .find(|l| l.trim_start().starts_with('|') && l.contains('^'))
                        .map_or(1, |l| l.matches('^').count());
                    Some(start..(start + width).min(template.len()))
                });
            RenderError::Template { message, range }
        }
    }
}

/// Byte offset of a 1-based line and 1-based character column.
fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let in_line = rest
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + in_line)
}
