//! `reply`: find, personalise and send saved replies. The layers, each using
//! only those below it (see docs/ARCHITECTURE.md):
//!
//! - `commands`: one file per subcommand; parses, builds settings, writes output
//! - `cli`: the clap types, completions, the man page
//! - `settings`: flags, environment and config, resolved once
//! - `convert`: import from and export to other tools' formats
//! - `team`: team libraries over git: add, sync (checked, fast-forward only), staleness
//! - `lint`: the rules of `reply check`
//! - `compose`: values, variants, templates, platform limits: the render pipeline
//! - `find`: from what a person typed to a reply
//! - `history`: what is remembered between runs (recent answers, the usage log, frecency, stats)
//! - `records`: the CSV and JSON Lines records of `--each`
//! - `library`: layers, the scan, parsing, the catalog and its cache
//! - `deliver`: stdout, stderr, colour, the clipboard
//! - `diag`: diagnostics and the typed errors
//! - `util`: text folding and escaping, files, parallel maps

pub mod cli;
pub mod commands;
pub mod compose;
pub mod convert;
pub mod deliver;
pub mod diag;
pub mod find;
pub mod history;
pub mod library;
pub mod lint;
pub mod records;
pub mod settings;
pub mod team;
pub mod tui;
pub mod util;

/// Counts what budgeted worker threads allocate (see `util::budget`).
#[global_allocator]
static ALLOCATOR: util::budget::Counting = util::budget::Counting;

/// The layering, checked: a module may use only the layers below it, and
/// below the settings nothing reads the environment or sees clap.
#[cfg(test)]
mod layering {
    use std::path::Path;

    /// Top to bottom. `cli` stands aside: only `commands` uses it, and it uses
    /// nothing but `util`.
    const LAYERS: &[&str] = &[
        "commands", "cli", "tui", "settings", "team", "convert", "lint", "compose", "find",
        "history", "records", "library", "deliver", "diag", "util",
    ];

    fn rank(layer: &str) -> Option<usize> {
        LAYERS.iter().position(|l| *l == layer)
    }

    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn no_module_uses_one_above_it() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut all = Vec::new();
        files(&src, &mut all);
        let mut wrong = Vec::new();
        for file in all {
            let rel = file.strip_prefix(&src).unwrap();
            let Some(own) = rel
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .filter(|c| !c.ends_with(".rs"))
            else {
                continue; // lib.rs, main.rs
            };
            let own_rank = rank(own).unwrap_or_else(|| panic!("{own} is not in LAYERS"));
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for (i, _) in line.match_indices("crate::") {
                    let used: String = line[i + 7..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let Some(r) = rank(&used) else { continue };
                    let allowed = if own == "cli" {
                        used == "cli" || used == "util"
                    } else {
                        used == own || (r > own_rank && used != "cli") || own == "commands"
                    };
                    if !allowed {
                        wrong.push(format!("{}:{}: {own} uses {used}", rel.display(), n + 1));
                    }
                }
                let low = own_rank > rank("settings").unwrap();
                if low
                    && (line.contains("env::var")
                        || line.contains("env::vars")
                        || line.contains("clap::"))
                    && !line.trim_start().starts_with("//")
                {
                    wrong.push(format!(
                        "{}:{}: {own} reads the environment or clap",
                        rel.display(),
                        n + 1
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
    }
}
