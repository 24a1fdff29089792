//! The tests that live with a reply (`[ID.tests.NAME]`): each renders the
//! reply through the same [`Job`] as `reply render`, so languages, platform
//! limits and missing values behave exactly as they would for an agent, then
//! checks the message against the test's `expect`, `contains`,
//! `not_contains` and `max_chars`. Only the test's own `vars` and the reply's
//! defaults are used, never the config's or the environment's values: a
//! test must pass on every machine, not only its author's.

use serde::Serialize;

use super::job::{Choice, Job, Runtime};
use super::platform::{self, Platform};
use super::values::{Origin, Values};
use crate::diag::{Diagnostic, Error, Location};
use crate::library::{Library, Reply, ReplyTest};

/// What one test found.
pub struct Outcome<'a> {
    pub reply: &'a Reply,
    pub test: &'a ReplyTest,
    /// The message, when the reply rendered.
    pub message: Option<String>,
    /// Empty when the test passed.
    pub failures: Vec<Failure>,
}

/// One way a test failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum Failure {
    /// The reply did not render (a missing value, over the platform's limit,
    /// a template error, no such language or platform): nothing else was checked.
    Render {
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
    },
    /// The message is not the expected text; `diff` goes from one to the other.
    Expect {
        expected: String,
        diff: Vec<String>,
    },
    Contains {
        text: String,
    },
    NotContains {
        text: String,
    },
    MaxChars {
        max: usize,
        chars: usize,
    },
}

impl Failure {
    /// One line that says what is wrong.
    pub fn summary(&self) -> String {
        match self {
            Failure::Render { message, .. } => format!("it did not render: {message}"),
            Failure::Expect { .. } => "the message is not the `expect`ed text".to_string(),
            Failure::Contains { text } => format!("the message does not contain {text:?}"),
            Failure::NotContains { text } => format!("the message contains {text:?}"),
            Failure::MaxChars { max, chars } => {
                format!("the message is {chars} characters, over `max_chars = {max}`")
            }
        }
    }
}

impl Outcome<'_> {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The test's table in its file (`[order-delay.tests.basic]`).
    pub fn location(&self, lib: &Library) -> Location {
        let f = lib.file(self.reply);
        f.location(self.test.span.clone())
    }

    /// The failure as `check` and `test` report it: at the test's table, one
    /// note per failed check, and the diff or the message below.
    pub fn diagnostic(&self, lib: &Library) -> Option<Diagnostic> {
        let first = self.failures.first()?;
        let mut d = Diagnostic::error(
            "test",
            format!(
                "test `{}` of reply `{}` failed: {}",
                self.test.name,
                self.reply.id,
                first.summary()
            ),
        )
        .at(self.location(lib))
        .reply(&self.reply.id);
        for f in &self.failures[1..] {
            d = d.note(f.summary());
        }
        for f in &self.failures {
            match f {
                Failure::Render { hint: Some(h), .. } => d.hint = Some(h.clone()),
                Failure::Expect { diff, .. } => {
                    d.related
                        .push(format!("--- expect\n+++ rendered\n{}", diff.join("\n")));
                }
                _ => {}
            }
        }
        let shown_whole = self
            .failures
            .iter()
            .any(|f| matches!(f, Failure::Expect { .. }));
        if let (Some(m), false) = (&self.message, shown_whole) {
            d.related.push(format!("rendered:\n{}", indent(m)));
        }
        Some(d)
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs every test of `reply` (which `lib` holds).
pub fn run<'a>(
    lib: &'a Library,
    reply: &'a Reply,
    platforms: &[Platform],
    runtime: &Runtime,
) -> Vec<Outcome<'a>> {
    reply
        .tests
        .iter()
        .map(|t| run_one(lib, reply, t, platforms, runtime))
        .collect()
}

fn run_one<'a>(
    lib: &'a Library,
    reply: &'a Reply,
    test: &'a ReplyTest,
    platforms: &[Platform],
    runtime: &Runtime,
) -> Outcome<'a> {
    let outcome = |message, failures| Outcome {
        reply,
        test,
        message,
        failures,
    };
    match render(lib, reply, test, platforms, runtime) {
        Ok(message) => {
            let failures = check(test, &message);
            outcome(Some(message), failures)
        }
        Err(f) => outcome(None, vec![f]),
    }
}

/// Renders the test's variant, language and platform with its values only.
fn render(
    lib: &Library,
    reply: &Reply,
    test: &ReplyTest,
    platforms: &[Platform],
    runtime: &Runtime,
) -> Result<String, Failure> {
    let platform = match &test.platform {
        Some(name) => Some(platform::named(platforms, name).map_err(explain)?),
        None => None,
    };
    let choice = Choice {
        lang: test.lang.clone(),
        // A test written for `es` must fail, not pass in English.
        strict_lang: true,
        public: test.public,
        platform,
    };
    let mut values = Values::default();
    for (k, v) in &test.vars {
        values.offer(k, v.clone(), Origin::Data);
    }
    let job = Job::of(lib, reply, &choice, runtime).map_err(explain)?;
    job.render(&values)
        .map(|m| m.rendered.text)
        .map_err(explain)
}

/// A render error as a test failure, in the words of a test.
fn explain(e: Error) -> Failure {
    if let Error::Missing(m) = &e {
        let names = m
            .names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Failure::Render {
            message: format!("no value for {names}"),
            hint: Some(format!(
                "give {} in the test's `vars`, e.g. vars = {{ {} = \"…\" }}",
                if m.names.len() == 1 { "it" } else { "them" },
                m.names[0].split('.').next().unwrap_or_default()
            )),
        };
    }
    match e.diagnostic() {
        Some(d) => {
            let at = d
                .location
                .as_ref()
                .map(|l| format!(" (at {}:{}:{})", l.file, l.line, l.column))
                .unwrap_or_default();
            Failure::Render {
                message: format!("{}{at}", d.message),
                hint: d.hint,
            }
        }
        None => Failure::Render {
            message: "it could not be rendered".to_string(),
            hint: None,
        },
    }
}

/// Every check of `test` that `message` fails, in the order the fields are documented.
fn check(test: &ReplyTest, message: &str) -> Vec<Failure> {
    let mut failures = Vec::new();
    if let Some(want) = &test.expect {
        // The message is trimmed, as every rendered message is; so is the
        // expectation, so a `"""` block's line breaks at either end do not count.
        let want = want.trim();
        if want != message {
            failures.push(Failure::Expect {
                expected: want.to_string(),
                diff: line_diff(want, message),
            });
        }
    }
    for text in &test.contains {
        if !message.contains(text.as_str()) {
            failures.push(Failure::Contains { text: text.clone() });
        }
    }
    for text in &test.not_contains {
        if message.contains(text.as_str()) {
            failures.push(Failure::NotContains { text: text.clone() });
        }
    }
    if let Some(max) = test.max_chars {
        let chars = message.chars().count();
        if chars > max {
            failures.push(Failure::MaxChars { max, chars });
        }
    }
    failures
}

/// A line diff from `want` to `got`: each line starts with ` ` (in both),
/// `-` (only expected) or `+` (only rendered). The longest common
/// subsequence of lines; messages are a few lines long.
pub fn line_diff(want: &str, got: &str) -> Vec<String> {
    let a: Vec<&str> = want.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(format!(" {}", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // What was expected first, then what came instead, as diff(1) shows it.
            out.push(format!("-{}", a[i]));
            i += 1;
        } else {
            out.push(format!("+{}", b[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::{Clock, RenderLimits};
    use crate::library::{Layer, LayerKind};

    fn lib(text: &str) -> Library {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("r.toml"), text).unwrap();
        let layer = Layer {
            kind: LayerKind::Flag,
            path: Some(dir.path().to_path_buf()),
            exists: true,
        };
        let lib = Library::load(vec![layer], "en").unwrap();
        assert!(
            lib.diagnostics.is_empty(),
            "{:?}",
            lib.diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        );
        lib
    }

    fn runtime() -> Runtime {
        Runtime {
            clock: Clock::parse("2026-11-25T09:30").unwrap(),
            limits: RenderLimits::default(),
        }
    }

    fn failures(text: &str) -> Vec<(String, Vec<Failure>)> {
        let lib = lib(text);
        let platforms = platform::builtin();
        lib.replies
            .iter()
            .flat_map(|r| run(&lib, r, &platforms, &runtime()))
            .map(|o| (o.test.name.clone(), o.failures))
            .collect()
    }

    const LATE: &str = r#"
[late]
title = "Late"
body = "Hi {{ customer }}, order {{ order }} arrives {{ eta }}."
public = "Sorry, {{ customer }}: see your DMs."
[late.defaults]
eta = "soon"
[late.translations.es]
title = "Tarde"
body = "Hola {{ customer }}, tu pedido {{ order }} llega pronto."
"#;

    #[test]
    fn every_check_passes_on_the_right_message() {
        let text = format!(
            "{LATE}[late.tests.en]\nvars = {{ customer = 'Ana', order = 'A-1' }}\nexpect = '''\nHi Ana, order A-1 arrives soon.\n'''\ncontains = ['A-1', 'soon']\nnot_contains = '{{{{'\nmax_chars = 31\n[late.tests.es]\nlang = 'es'\nvars = {{ customer = 'Ana', order = 'A-1' }}\ncontains = 'Hola Ana'\n[late.tests.public]\npublic = true\nplatform = 'x'\nvars = {{ customer = 'Ana' }}\nexpect = 'Sorry, Ana: see your DMs.'\n"
        );
        let got = failures(&text);
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|(_, f)| f.is_empty()), "{got:?}");
    }

    #[test]
    fn each_failed_check_is_named() {
        let text = format!(
            "{LATE}[late.tests.t]\nvars = {{ customer = 'Ana', order = 'A-1' }}\nexpect = 'Hi Ana, order A-2 arrives soon.'\ncontains = 'B-9'\nnot_contains = 'Ana'\nmax_chars = 10\n"
        );
        let got = failures(&text);
        let f = &got[0].1;
        assert_eq!(
            f[0],
            Failure::Expect {
                expected: "Hi Ana, order A-2 arrives soon.".into(),
                diff: vec![
                    "-Hi Ana, order A-2 arrives soon.".into(),
                    "+Hi Ana, order A-1 arrives soon.".into()
                ]
            }
        );
        assert_eq!(f[1], Failure::Contains { text: "B-9".into() });
        assert_eq!(f[2], Failure::NotContains { text: "Ana".into() });
        assert_eq!(f[3], Failure::MaxChars { max: 10, chars: 31 });
    }

    #[test]
    fn a_render_that_fails_is_the_one_failure() {
        let text = format!(
            "{LATE}[late.tests.missing]\nvars = {{ customer = 'Ana' }}\ncontains = 'x'\n[late.tests.fr]\nlang = 'fr'\nvars = {{ customer = 'Ana', order = '1' }}\ncontains = 'x'\n[late.tests.sms]\nplatform = 'smss'\nvars = {{ customer = 'Ana', order = '1' }}\ncontains = 'x'\n"
        );
        let got = failures(&text);
        let Failure::Render { message, hint } = &got[0].1[0] else {
            panic!("{got:?}")
        };
        assert_eq!(message, "no value for `order`");
        assert!(
            hint.as_deref().unwrap().contains("vars = { order"),
            "{hint:?}"
        );
        assert_eq!(got[0].1.len(), 1);
        let Failure::Render { message, .. } = &got[1].1[0] else {
            panic!()
        };
        assert!(message.contains("has no `fr` variant"), "{message}");
        let Failure::Render { message, .. } = &got[2].1[0] else {
            panic!()
        };
        assert!(message.contains("smss"), "{message}");
    }

    #[test]
    fn the_config_and_environment_never_reach_a_test() {
        // Only the test's vars and the reply's defaults: `agent` is missing
        // here even though every agent's config sets it.
        let text = "[a]\ntitle='A'\nbody='Hi {{ customer }}, {{ agent }}'\n[a.tests.t]\nvars = { customer = 'Ana' }\ncontains = 'Ana'\n";
        let got = failures(text);
        assert!(
            matches!(&got[0].1[0], Failure::Render { message, .. } if message.contains("`agent`"))
        );
    }

    #[test]
    fn the_diagnostic_points_at_the_test_table_and_shows_the_diff() {
        let text = format!(
            "{LATE}\n[late.tests.t]\nvars = {{ customer = 'Ana', order = 'A-1' }}\nexpect = 'Hi Ana'\n"
        );
        let lib = lib(&text);
        let reply = &lib.replies[0];
        let outcomes = run(&lib, reply, &platform::builtin(), &runtime());
        let d = outcomes[0].diagnostic(&lib).unwrap();
        let loc = d.location.as_ref().unwrap();
        assert_eq!(loc.line_text, "[late.tests.t]");
        let shown = d.to_string();
        assert!(
            shown.contains(
                "test `t` of reply `late` failed: the message is not the `expect`ed text"
            ),
            "{shown}"
        );
        assert!(
            shown.contains("--- expect\n+++ rendered\n-Hi Ana\n+Hi Ana, order A-1 arrives soon."),
            "{shown}"
        );
    }

    #[test]
    fn a_shadowed_reply_is_tested_as_itself() {
        let low = tempfile::tempdir().unwrap();
        let high = tempfile::tempdir().unwrap();
        std::fs::write(
            low.path().join("a.toml"),
            "[a]\ntitle='A'\nbody='low'\n[a.tests.t]\nexpect='low'\n",
        )
        .unwrap();
        std::fs::write(high.path().join("a.toml"), "[a]\ntitle='A'\nbody='high'\n").unwrap();
        let layer = |p: &std::path::Path| Layer {
            kind: LayerKind::Flag,
            path: Some(p.to_path_buf()),
            exists: true,
        };
        let lib = Library::load(vec![layer(high.path()), layer(low.path())], "en").unwrap();
        let shadowed = &lib.shadowed[0];
        let o = run(&lib, shadowed, &platform::builtin(), &runtime());
        assert!(o[0].passed(), "{:?}", o[0].failures);
    }

    #[test]
    fn diff_keeps_common_lines() {
        assert_eq!(
            line_diff("a\nb\nc", "a\nB\nc\nd"),
            [" a", "-b", "+B", " c", "+d"]
        );
        assert_eq!(line_diff("same", "same"), [" same"]);
    }
}
