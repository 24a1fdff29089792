//! `reply check [PATH...]`: lint libraries, compiler-style or as JSON.

use std::path::PathBuf;

use super::{JSON_VERSION, write_json};
use crate::App;
use crate::cli::{CheckArgs, CheckFormat};
use crate::data_err;
use crate::diag::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::library::{Layer, LayerKind, Library};
use crate::{lint, platform};

pub fn run(app: &mut App, args: &CheckArgs) -> Result<()> {
    let layers = if args.paths.is_empty() {
        app.layers()
    } else {
        let mut layers = Vec::new();
        for p in &args.paths {
            if !p.exists() {
                return Err(data_err!("error: {} does not exist", p.display()));
            }
            layers.push(Layer {
                kind: LayerKind::Flag,
                path: Some(PathBuf::from(p)),
                exists: true,
            });
        }
        layers
    };
    let lib = Library::load(layers, &app.library_lang())?;
    let platforms = platform::all(&app.config.platforms);
    let mut diags: Vec<Diagnostic> = lib.diagnostics.clone();
    diags.extend(lint::lint(&lib, &platforms, app.clock));
    if args.deny_warnings {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    // File order, then position: the order an editor's quickfix list wants.
    let file_order = |d: &Diagnostic| {
        d.location.as_ref().map(|l| {
            (
                lib.files
                    .iter()
                    .position(|f| f.name == l.file)
                    .unwrap_or(usize::MAX),
                l.line,
                l.column,
            )
        })
    };
    diags.sort_by_key(file_order);
    diags.dedup();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if args.json || args.format == CheckFormat::Json {
        write_json(
            app,
            &serde_json::json!({
                "version": JSON_VERSION,
                "files": lib.files.len(),
                "replies": lib.replies.len() + lib.shadowed.len(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diags,
            }),
        )?;
    } else {
        for d in &diags {
            let text = d.to_string();
            app.out
                .line(&crate::output::colour_severity(app.out.color, &text))?;
            app.out.line("")?;
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        app.out.info(&format!(
            "checked {} in {}: {}, {}",
            plural(lib.replies.len() + lib.shadowed.len(), "reply", "replies"),
            plural(lib.files.len(), "file", "files"),
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        ));
    }
    if errors > 0 {
        // The diagnostics are the output; the error only sets the exit code.
        return Err(Error::data(String::new()));
    }
    Ok(())
}
