//! The preview the picker and the prompts show: the highlighted reply rendered
//! with the values known so far, each missing one shown in place (`‹order›`),
//! and its length against the platform's limit. The files replies live in are
//! read once each and kept for the session.

use std::collections::HashMap;
use std::rc::Rc;

use crate::compose::platform::{self, Limit, Platform};
use crate::compose::{Choice, Job, Runtime, Values};
use crate::find;
use crate::library::{Catalog, Entry, Library};
use crate::util::budget::Guard;

/// What the preview pane shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    /// The message, placeholders included.
    pub text: String,
    /// Names still missing, in the order the template meets them.
    pub missing: Vec<String>,
    /// "312 / 1,000 bytes", "2 SMS segments (GSM-7, 290 characters)".
    pub measure: Option<String>,
    /// The measure is over the platform's limit.
    pub over: bool,
    /// Why nothing can be shown (a template error, a broken file).
    pub problem: Option<String>,
    /// The language and part shown: "es · public".
    pub variant: String,
}

pub struct Previewer<'a> {
    cat: &'a Catalog,
    runtime: Runtime,
    guard: Rc<Guard>,
    libs: HashMap<u32, Result<Library, String>>,
}

impl<'a> Previewer<'a> {
    pub fn new(cat: &'a Catalog, runtime: Runtime) -> Previewer<'a> {
        Previewer {
            cat,
            runtime,
            guard: Rc::new(runtime.limits.guard()),
            libs: HashMap::new(),
        }
    }

    /// The library holding `entry` (its one file, read once).
    pub fn library(&mut self, entry: &Entry) -> Result<&Library, String> {
        let cat = self.cat;
        self.libs
            .entry(entry.file)
            .or_insert_with(|| find::open(cat, entry).map_err(|e| one_line(&e.to_string())))
            .as_ref()
            .map_err(String::clone)
    }

    /// The preview of `entry` with `values`, as `choice` asks (language, part, platform).
    pub fn show(&mut self, entry: &Entry, choice: &Choice, values: &Values) -> Preview {
        let runtime = self.runtime;
        let guard = Rc::clone(&self.guard);
        let lib = match self.library(entry) {
            Ok(lib) => lib,
            Err(problem) => {
                return Preview {
                    problem: Some(problem),
                    ..Preview::default()
                };
            }
        };
        let job = match Job::new(lib, entry.id(), choice, &runtime) {
            Ok(job) => job.with_guard(guard),
            Err(e) => {
                return Preview {
                    problem: Some(one_line(&e.to_string())),
                    ..Preview::default()
                };
            }
        };
        let variant = format!(
            "{} · {}",
            job.variant.lang,
            if choice.public { "public" } else { "private" }
        );
        match job.preview(values) {
            Ok((text, missing)) => {
                let (measure, over) = match &choice.platform {
                    Some(p) => {
                        let (m, over) = measured(p, &text);
                        (Some(m), over)
                    }
                    None => (
                        Some(format!("{} characters", thousands(text.chars().count()))),
                        false,
                    ),
                };
                Preview {
                    text,
                    missing,
                    measure,
                    over,
                    problem: None,
                    variant,
                }
            }
            Err(e) => Preview {
                problem: Some(one_line(&e.to_string())),
                variant,
                ..Preview::default()
            },
        }
    }
}

/// A diagnostic's first line, without its `error: `.
fn one_line(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

/// The length against the platform's limit, as people read it; and whether it is over.
pub fn measured(p: &Platform, text: &str) -> (String, bool) {
    let m = platform::measure(p, text);
    let over = !m.fits();
    let shown = match (p.limit, m.sms) {
        (Limit::Segments(max), Some(s)) => format!(
            "{} / {max} SMS segment{} ({}, {} characters)",
            s.segments,
            if max == 1 { "" } else { "s" },
            s.encoding,
            thousands(s.units)
        ),
        (_, _) => match m.limit {
            Some(l) => format!("{} / {} {}", thousands(m.length), thousands(l), m.unit),
            None => format!("{} {}", thousands(m.length), m.unit),
        },
    };
    (format!("{} · {shown}", p.name), over)
}

/// 12345 → "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_measures_read_well() {
        assert_eq!(thousands(5), "5");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        let sms = platform::builtin()
            .into_iter()
            .find(|p| p.name == "sms")
            .unwrap();
        let (m, over) = measured(&sms, &"a".repeat(200));
        assert_eq!(m, "sms · 2 / 10 SMS segments (GSM-7, 200 characters)");
        assert!(!over);
        let ig = platform::builtin()
            .into_iter()
            .find(|p| p.name == "instagram")
            .unwrap();
        assert_eq!(measured(&ig, "héllo").0, "instagram · 6 / 1,000 bytes");
    }
}
