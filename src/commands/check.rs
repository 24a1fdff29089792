//! `reply check [PATH...]`: lint libraries, compiler-style or as JSON.

use super::{App, JSON_VERSION, Run};
use crate::cli::{CheckArgs, CheckFormat};
use crate::deliver::style::colour_severity;
use crate::diag::{Error, Result};
use crate::library::Layer;
use crate::lint;

impl Run for CheckArgs {
    fn run(&self, app: &mut App<'_>) -> Result<()> {
        let layers = if self.paths.is_empty() {
            app.settings.layers.clone()
        } else {
            let mut layers = Vec::new();
            for p in &self.paths {
                if !p.exists() {
                    return Err(Error::usage(format!("{} does not exist", p.display())));
                }
                layers.push(Layer::named(p));
            }
            layers
        };
        let lint::Checked {
            lib,
            diagnostics: diags,
            errors,
            warnings,
            hints,
            replies,
        } = lint::check(
            layers,
            &app.settings.library_lang,
            &app.settings.platforms,
            &app.settings.runtime(),
            self.deny_warnings,
        )?;
        if self.json || self.format == CheckFormat::Json {
            app.json(&serde_json::json!({
                "version": JSON_VERSION,
                "files": lib.files.len(),
                "replies": replies,
                "errors": errors,
                "warnings": warnings,
                "hints": hints,
                "diagnostics": diags,
            }))?;
        } else {
            for d in &diags {
                app.out
                    .line(&colour_severity(app.out.color, &d.to_string()))?;
                app.out.line("")?;
            }
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            let hints = if hints > 0 {
                format!(", {}", plural(hints, "hint", "hints"))
            } else {
                String::new()
            };
            app.out.info(&format!(
                "checked {} in {}: {}, {}{hints}",
                plural(replies, "reply", "replies"),
                plural(lib.files.len(), "file", "files"),
                plural(errors, "error", "errors"),
                plural(warnings, "warning", "warnings")
            ));
        }
        if errors > 0 {
            // The diagnostics are the output; only the exit status is left.
            return Err(Error::Reported);
        }
        Ok(())
    }
}
