//! How well `reply suggest` answers real customer messages: the evaluation
//! set (`tests/fixtures/suggest-eval.tsv`) against the starter library,
//! with the ranking as shipped and with each of its parts taken away, down
//! to a plain BM25 without stems, examples or field weights, so the gain of
//! each part is visible. Also: the language detection, against `whichlang`.
//!
//!     cargo bench --bench suggest_eval     # prints the tables (a second)
//!
//! `cargo test` runs it too, so it cannot rot (it asserts nothing about the
//! figures: tests/integration/suggest_eval.rs holds the thresholds).

use std::path::Path;

use reply::find::suggest::{MIN_SCORE, Params, detect, rank};
use reply::library::Catalog;
use reply::library::catalog::terms::{Analysis, TermIndex};
use reply::settings::{Env, Flags, Settings};

struct Case {
    lang: String,
    ids: Vec<String>,
    noisy: bool,
    message: String,
}

fn cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suggest-eval.tsv");
    let text = std::fs::read_to_string(&path).expect("the evaluation set");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "four columns: {l}");
            Case {
                lang: cols[0].to_string(),
                ids: match cols[1] {
                    "-" => Vec::new(),
                    ids => ids.split(',').map(str::to_string).collect(),
                },
                noisy: cols[2] == "typo",
                message: cols[3].to_string(),
            }
        })
        .collect()
}

/// One way of ranking: the analysis the index is built with, the scoring.
struct Variant {
    name: &'static str,
    analysis: Analysis,
    params: Params,
}

fn variants() -> Vec<Variant> {
    let stem = Analysis { stem: true };
    let no_examples = |mut p: Params| {
        p.weights[4] = 0.0;
        p
    };
    let full = tuned();
    vec![
        Variant {
            name: "plain BM25 (no stems, examples or field weights)",
            analysis: Analysis { stem: false },
            params: Params::PLAIN,
        },
        Variant {
            name: "+ stems and stop words",
            analysis: stem,
            params: Params::PLAIN,
        },
        Variant {
            name: "+ field weights (BM25F)",
            analysis: stem,
            params: Params {
                fuzzy: false,
                ..no_examples(full)
            },
        },
        Variant {
            name: "+ examples",
            analysis: stem,
            params: Params {
                fuzzy: false,
                ..full
            },
        },
        Variant {
            name: "+ typo matching = reply suggest",
            analysis: stem,
            params: full,
        },
    ]
}

/// `Params::SUGGEST`, or (while tuning) `SUGGEST_PARAMS="k1 w×5 b×5 unknown"`.
fn tuned() -> Params {
    let mut p = Params::SUGGEST;
    if let Ok(v) = std::env::var("SUGGEST_PARAMS") {
        let n: Vec<f32> = v
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if n.len() == 12 {
            p.k1 = n[0];
            p.weights.copy_from_slice(&n[1..6]);
            p.b.copy_from_slice(&n[6..11]);
            p.unknown = n[11];
        }
    }
    p
}

#[derive(Default)]
struct Tally {
    answerable: usize,
    top1: usize,
    top3: usize,
    /// Top 3 of what is shown: the threshold applied.
    shown3: usize,
    unanswerable: usize,
    /// Unanswerable messages that got a suggestion over the threshold.
    false_suggestions: usize,
    noisy: usize,
    noisy_top3: usize,
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{:.0} % ({n}/{of})", 100.0 * n as f64 / of as f64)
    }
}

fn evaluate(cat: &Catalog, index: &TermIndex, v: &Variant, cases: &[Case]) -> Tally {
    let mut t = Tally::default();
    for c in cases {
        let (_, ranked) = rank(cat, index, &c.message, &v.params, v.analysis, |_| true);
        let ids: Vec<&str> = ranked.iter().map(|r| cat.entries[r.entry].id()).collect();
        let top = ranked.first().map_or(0.0, |r| f64::from(r.score));
        if std::env::var_os("SUGGEST_EVAL_VERBOSE").is_some() && v.name.starts_with("+ typo") {
            let top3: Vec<String> = ranked
                .iter()
                .take(3)
                .map(|r| format!("{}={:.2}", cat.entries[r.entry].id(), r.score))
                .collect();
            let good = c.ids.is_empty() == (top < MIN_SCORE)
                && (c.ids.is_empty()
                    || ranked
                        .iter()
                        .take(3)
                        .any(|r| c.ids.iter().any(|x| x == cat.entries[r.entry].id())));
            println!(
                "{} [{}] {} -> {}",
                if good { "  " } else { "XX" },
                c.ids.join(","),
                c.message,
                top3.join(" ")
            );
        }
        if c.ids.is_empty() {
            t.unanswerable += 1;
            if top >= MIN_SCORE {
                t.false_suggestions += 1;
            }
            continue;
        }
        t.answerable += 1;
        let ok = |id: &&str| c.ids.iter().any(|x| x == id);
        let hit1 = ids.first().is_some_and(ok);
        let hit3 = ids.iter().take(3).any(ok);
        let shown = ranked
            .iter()
            .take(3)
            .filter(|r| f64::from(r.score) >= MIN_SCORE)
            .any(|r| ok(&cat.entries[r.entry].id()));
        t.top1 += usize::from(hit1);
        t.top3 += usize::from(hit3);
        t.shown3 += usize::from(shown);
        if c.noisy {
            t.noisy += 1;
            t.noisy_top3 += usize::from(shown);
        }
    }
    t
}

fn main() {
    let home = tempfile::tempdir().expect("a temporary HOME");
    let env = Env::from_pairs([("HOME", home.path().display().to_string())]);
    let settings = Settings::load(&Flags::default(), &env).expect("settings");
    // No library but the starter one: what a new user has.
    let cat = Catalog::load(settings.layers, "en", None).expect("the starter catalog");
    let cases = cases();
    let answerable = cases.iter().filter(|c| !c.ids.is_empty()).count();
    println!(
        "suggest evaluation: {} messages ({} answerable, {} that no starter reply answers, {} with typos or missing accents), threshold {MIN_SCORE}\n",
        cases.len(),
        answerable,
        cases.len() - answerable,
        cases.iter().filter(|c| c.noisy).count()
    );
    println!(
        "| ranking | top-1 | top-3 | top-3 shown (≥ threshold) | top-3 shown, typos | false suggestions |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for v in variants() {
        let index = cat.build_term_index(v.analysis);
        let t = evaluate(&cat, &index, &v, &cases);
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            v.name,
            pct(t.top1, t.answerable),
            pct(t.top3, t.answerable),
            pct(t.shown3, t.answerable),
            pct(t.noisy_top3, t.noisy),
            pct(t.false_suggestions, t.unanswerable)
        );
    }

    // What the threshold trades: right answers shown against messages no
    // reply answers kept out.
    let index = cat.terms();
    let full = tuned();
    let tops: Vec<(bool, f64)> = cases
        .iter()
        .map(|c| {
            let (_, ranked) = rank(&cat, index, &c.message, &full, Analysis::default(), |_| {
                true
            });
            let top = ranked.first().map_or(0.0, |r| f64::from(r.score));
            // The lowest score among the top 3 that is a right answer.
            let right = ranked
                .iter()
                .take(3)
                .find(|r| c.ids.iter().any(|x| x == cat.entries[r.entry].id()))
                .map_or(-1.0, |r| f64::from(r.score));
            (c.ids.is_empty(), if c.ids.is_empty() { top } else { right })
        })
        .collect();
    println!("\n| threshold | top-3 shown | no good match for the unanswerable |");
    println!("|---:|---:|---:|");
    let steps: Vec<f64> = if std::env::var_os("SUGGEST_EVAL_FINE").is_some() {
        (8..=35).map(|i| f64::from(i) / 100.0).collect()
    } else {
        vec![0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.25, 0.30]
    };
    for th in steps {
        let shown = tops.iter().filter(|t| !t.0 && t.1 >= th).count();
        let kept_out = tops.iter().filter(|t| t.0 && t.1 < th).count();
        let marker = if (th - MIN_SCORE).abs() < 1e-9 {
            " (default)"
        } else {
            ""
        };
        println!(
            "| {th:.2}{marker} | {} | {} |",
            pct(shown, answerable),
            pct(kept_out, cases.len() - answerable)
        );
    }

    // The message's language: the stop-word count suggest uses, and whichlang.
    let langs = ["en", "es"];
    let (mut ours, mut theirs, mut unsure) = (0, 0, 0);
    for c in &cases {
        match detect(&c.message, &langs, None) {
            Some(l) if l == c.lang => ours += 1,
            None => unsure += 1,
            Some(_) => {}
        }
        let w = match whichlang::detect_language(&c.message) {
            whichlang::Lang::Eng => "en",
            whichlang::Lang::Spa => "es",
            _ => "other",
        };
        theirs += usize::from(w == c.lang);
    }
    println!("\n| language detection | right |");
    println!("|---|---:|");
    println!(
        "| stop words and greetings, en/es (suggest; undecided: {unsure}) | {} |",
        pct(ours, cases.len())
    );
    println!(
        "| whichlang 0.1.1 (16 languages) | {} |",
        pct(theirs, cases.len())
    );
}
