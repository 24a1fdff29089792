//! What must hold before a library file is written (`new`, `edit`, `rm`,
//! `mv`, `cp`): the file reads without an error (TOML, fields, ids), none of
//! its ids is defined again elsewhere in its library, and none of its replies
//! has a `check` error, its own tests included. Other files' problems are
//! theirs: they never stop an edit of this one.

use super::{Ctx, lint_reply};
use crate::compose::Runtime;
use crate::compose::platform::Platform;
use crate::diag::Diagnostic;
use crate::library::Library;

/// Every diagnostic about the file shown as `name` in `lib` (a library read
/// with that file's new text): errors first, then warnings, each in file order.
pub fn validate_file(
    lib: &Library,
    name: &str,
    platforms: &[Platform],
    runtime: &Runtime,
) -> Vec<Diagnostic> {
    let Some(file) = lib.files.iter().position(|f| f.name == name) else {
        // Not even read: the reason is among the library's diagnostics.
        return lib
            .diagnostics
            .iter()
            .filter(|d| d.location.as_ref().is_none_or(|l| l.file == name))
            .cloned()
            .collect();
    };
    let ours: Vec<&str> = lib
        .replies
        .iter()
        .chain(&lib.shadowed)
        .filter(|r| r.file == file)
        .map(|r| r.id.as_str())
        .collect();
    let mut out: Vec<Diagnostic> = lib
        .diagnostics
        .iter()
        .filter(|d| {
            let here = d.location.as_ref().is_some_and(|l| l.file == name);
            // A duplicate is reported at the later of the two places, which
            // may be the other file: it is this file's problem all the same
            // (the earlier definition, here, is the reply kept).
            let duplicate =
                d.code == "duplicate-id" && d.reply.as_deref().is_some_and(|id| ours.contains(&id));
            here || duplicate
        })
        .cloned()
        .collect();
    let mut cx = Ctx {
        lib,
        platforms,
        runtime: *runtime,
        guard: runtime.limits.guard(),
        overran: Default::default(),
        out: Vec::new(),
    };
    for reply in lib.replies.iter().chain(&lib.shadowed) {
        if reply.file == file {
            lint_reply(&mut cx, reply);
        }
    }
    out.extend(cx.out);
    out.sort_by_key(|d| {
        (
            !d.is_error(),
            d.location
                .as_ref()
                .map(|l| (l.file != name, l.line, l.column)),
        )
    });
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::platform::builtin;
    use crate::compose::{Clock, RenderLimits};
    use crate::library::{Layer, LayerKind};

    fn check(files: &[(&str, &str)], edited: &str, text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        for (n, t) in files {
            std::fs::write(dir.path().join(n), t).unwrap();
        }
        let layer = Layer {
            kind: LayerKind::User,
            path: Some(dir.path().to_path_buf()),
            exists: true,
        };
        let path = dir.path().join(edited);
        let lib = Library::load_with(vec![layer], "en", &path, "draft.toml", text).unwrap();
        let runtime = Runtime {
            clock: Clock::parse("2026-11-25T09:30").unwrap(),
            limits: RenderLimits::default(),
        };
        validate_file(&lib, "draft.toml", &builtin(), &runtime)
            .iter()
            .map(|d| {
                let l = d.location.as_ref();
                format!(
                    "{}:{}: {}",
                    l.map_or("-", |l| l.file.as_str()),
                    l.map_or(0, |l| l.line),
                    d.message
                )
            })
            .collect()
    }

    const OK: &str = "[a]\ntitle = 'A'\nbody = 'Hi {{ customer }}'\n";

    #[test]
    fn a_good_file_has_nothing_to_say() {
        assert!(check(&[("a.toml", OK)], "a.toml", OK).is_empty());
        // A new file too.
        assert!(check(&[("a.toml", OK)], "b.toml", &OK.replace("[a]", "[b]")).is_empty());
    }

    #[test]
    fn errors_in_the_draft_are_shown_at_the_draft() {
        let got = check(
            &[("a.toml", OK)],
            "a.toml",
            "[a]\ntitle = 'A'\nbody = 'Hi {{ customer '\n",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("draft.toml:3: template error"),
            "{got:?}"
        );
        let got = check(&[("a.toml", OK)], "a.toml", "[a]\ntitle = 'A\n");
        assert!(got[0].starts_with("draft.toml:2: invalid TOML"), "{got:?}");
    }

    #[test]
    fn an_id_taken_by_another_file_is_an_error_whichever_comes_first() {
        // The other file sorts after the edited one, and before it.
        for (other, edited) in [("z.toml", "m.toml"), ("a.toml", "m.toml")] {
            let got = check(&[(other, OK)], edited, OK);
            assert!(
                got.iter().any(|m| m.contains("duplicate reply id `a`")),
                "{other}: {got:?}"
            );
        }
    }

    #[test]
    fn other_files_problems_do_not_count() {
        let got = check(
            &[("a.toml", OK), ("broken.toml", "[x\n")],
            "b.toml",
            &OK.replace("[a]", "[b]"),
        );
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_failing_test_and_warnings_are_reported_errors_first() {
        let text = "[a]\ntitle = 'A'\nbody = 'HELLO THERE {{ x }}'\n[a.tests.t]\nvars = { x = 'y' }\ncontains = 'z'\n";
        let got = check(&[], "a.toml", text);
        assert!(got[0].contains("test `t` of reply `a` failed"), "{got:?}");
        assert!(got.iter().any(|m| m.contains("customer's name")), "{got:?}");
    }
}
