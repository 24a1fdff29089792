//! Micro-benchmarks of the costs behind every command: reading a library
//! (fully, or as the catalog that list, search and render use, with and
//! without its cache), searching it, and opening and rendering one reply;
//! reading the usage log at its size bound and ranking by it.
//! Libraries are generated at start into a temporary folder (see `synth.rs`).
//!
//!     cargo bench --bench core                      # N = 1,000 and 10,000
//!     REPLY_BENCH_SMOKE=1 cargo bench --bench core  # N = 200, a few seconds
//!     REPLY_BENCH_SMOKE=1 cargo test --bench core   # each benchmark once (CI)

mod synth;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use reply::compose::template::{self, Request};
use reply::compose::{self, Clock, Origin, Values};
use reply::find::suggest::{Options, suggest};
use reply::find::{nudge_hits, search};
use reply::history::Frecency;
use reply::history::usage::{self, Log};
use reply::library::{Catalog, Layer, Library};
use reply::settings::{Env, Flags, Settings};

/// The queries of `compare.sh`: one word, a misspelt word, two words, nothing.
const QUERIES: &[&str] = &["refund", "refnud", "refund dly", "zzqxj"];

/// Customer messages for `reply suggest` (the same in `compare.sh`): English,
/// Spanish with a typo, and one the library has no words for.
pub const MESSAGES: &[(&str, &str)] = &[
    (
        "en",
        "hi, my refund still hasn't reached my card, order A-1042",
    ),
    (
        "es",
        "hola, el paquete de mi pedido no ha llegado, hay seguimiento del envio?",
    ),
    ("none", "qqqq wwww xxxx"),
];

/// Tiny libraries: asked for with REPLY_BENCH_SMOKE, and always under
/// `cargo test` (no `--bench` argument), which runs each benchmark once so the
/// benchmarks cannot rot.
fn smoke() -> bool {
    std::env::var_os("REPLY_BENCH_SMOKE").is_some_and(|v| !v.is_empty() && v != "0")
        || !std::env::args().any(|a| a == "--bench")
}

fn sizes() -> &'static [usize] {
    if smoke() { &[200] } else { &[1_000, 10_000] }
}

fn config() -> Criterion {
    let c = Criterion::default().sample_size(10);
    if smoke() {
        c.warm_up_time(Duration::from_millis(100))
            .measurement_time(Duration::from_millis(300))
    } else {
        c.warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
    }
}

/// An environment with nothing in it but an empty HOME, so that no user
/// library or config on this machine is read.
fn env(home: &Path) -> Env {
    Env::from_pairs([("HOME", home.display().to_string())])
}

/// The layers `reply -L DIR` reads.
fn lib_layers(dir: &Path, env: &Env) -> Vec<Layer> {
    let flags = Flags {
        libraries: vec![dir.to_path_buf()],
        ..Flags::default()
    };
    Settings::load(&flags, env).expect("settings").layers
}

fn catalog(dir: &Path, env: &Env, cache: Option<&Path>) -> Catalog {
    Catalog::load(lib_layers(dir, env), "en", cache).expect("the catalog loads")
}

fn benches(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).expect("HOME");
    let env = env(&home);
    let clock = Clock::parse("2026-11-25T09:30").expect("a fixed time");

    for &n in sizes() {
        let g = synth::generate(n, &tmp.path().join(n.to_string())).expect("library written");
        assert_eq!(g.files, n.div_ceil(synth::PER_FILE));
        let lines = std::fs::read_to_string(&g.lines).expect("lines.txt");
        assert_eq!(lines.lines().count(), n, "one fzf line per reply");
        let lib = Library::load(lib_layers(&g.replies, &env), "en").expect("the library loads");
        assert_eq!(lib.replies.len(), n, "every generated reply loads");
        assert!(
            lib.diagnostics.iter().all(|d| !d.is_error()),
            "the generated library has no errors"
        );
        drop(lib);

        // Every file parsed in full, as `reply check` does.
        c.benchmark_group("library-load").bench_with_input(
            BenchmarkId::from_parameter(n),
            &g.replies,
            |b, dir| b.iter(|| Library::load(lib_layers(dir, &env), "en").expect("loads")),
        );

        // The catalog: every file read (no cache), or checked against a warm cache.
        let cache = tmp.path().join(format!("cache-{n}"));
        let mut group = c.benchmark_group(format!("catalog/{n}"));
        group.bench_function("no-cache", |b| b.iter(|| catalog(&g.replies, &env, None)));
        drop(catalog(&g.replies, &env, Some(&cache)));
        group.bench_function("cached", |b| {
            b.iter(|| catalog(&g.replies, &env, Some(&cache)))
        });
        group.bench_function("cached+bodies", |b| {
            b.iter(|| {
                let cat = catalog(&g.replies, &env, Some(&cache));
                black_box(cat.bodies());
                cat
            })
        });
        // What a warm `reply suggest` loads: the catalog and the term index.
        black_box(catalog(&g.replies, &env, Some(&cache)).terms().len());
        group.bench_function("cached+terms", |b| {
            b.iter(|| {
                let cat = catalog(&g.replies, &env, Some(&cache));
                black_box(cat.terms().len());
                cat
            })
        });
        group.finish();

        // A suggestion, warm: catalog and term index from the cache, then
        // the ranking (values off: they open the suggested replies' files).
        // Every reply any word matches (the synthetic replies have no
        // examples: their scores are low), so each run ranks the same.
        let opts = Options {
            values: false,
            min_score: 0.0,
            ..Options::default()
        };
        let mut group = c.benchmark_group(format!("suggest/{n}"));
        for (name, message) in MESSAGES {
            let cat = catalog(&g.replies, &env, Some(&cache));
            let found = suggest(&cat, message, &opts).items.len();
            assert_eq!(
                found == 0,
                *name == "none",
                "`{message}` finds {found} replies"
            );
            group.bench_with_input(BenchmarkId::new("rank", name), message, |b, m| {
                b.iter(|| suggest(&cat, black_box(m), &opts).items.len())
            });
            group.bench_with_input(BenchmarkId::new("warm", name), message, |b, m| {
                b.iter(|| {
                    let cat = catalog(&g.replies, &env, Some(&cache));
                    suggest(&cat, black_box(m), &opts).items.len()
                })
            });
        }
        // Building the term index from the files (a cold cache).
        let cat = catalog(&g.replies, &env, Some(&cache));
        group.bench_function("build-index", |b| {
            b.iter(|| cat.build_term_index(Default::default()).len())
        });
        group.finish();

        let cat = catalog(&g.replies, &env, None);
        assert_eq!(
            cat.entries.len(),
            n,
            "every generated reply is in the catalog"
        );
        let bodies = cat.bodies();
        let mut group = c.benchmark_group(format!("search/{n}"));
        for q in QUERIES {
            let hits = search(&cat.entries, bodies, q, |_| true).len();
            assert_eq!(hits == 0, *q == "zzqxj", "`{q}` finds {hits} replies");
            group.bench_with_input(BenchmarkId::from_parameter(q), q, |b, q| {
                b.iter(|| search(&cat.entries, bodies, black_box(q), |_| true).len())
            });
        }
        group.finish();

        // The picker: one keystroke is a search, a preview of the highlighted
        // reply and a redraw (here into a 100 × 30 buffer), as on a terminal.
        {
            let recall = |_: &str| Vec::new();
            let places: Vec<String> = cat.files.iter().map(|_| "lib".to_string()).collect();
            let setup = reply::tui::Setup {
                cat: &cat,
                runtime: compose::Runtime {
                    clock,
                    limits: compose::RenderLimits::default(),
                },
                base: Values::default(),
                choice: compose::Choice::default(),
                platforms: compose::platform::builtin(),
                places,
                color: true,
                recent: &recall,
                used: &reply::history::Frecency::default(),
            };
            use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
            let press = |c| KeyEvent::new(c, KeyModifiers::NONE);
            let mut group = c.benchmark_group(format!("picker-keystroke/{n}"));
            // One key on a picker just opened on QUERY: a fresh search for the
            // first letter, the last matches searched again for the sixth.
            for (name, start, key) in [
                ("first-letter", "", 'r'),
                ("sixth-letter", "refun", 'd'),
                ("new-word", "refund", ' '),
            ] {
                group.bench_function(name, |b| {
                    b.iter_batched(
                        || reply::tui::Headless::new(&setup, start, 100, 30).expect("picker"),
                        |mut h| {
                            h.key(press(KeyCode::Char(key))).expect("key");
                            h
                        },
                        criterion::BatchSize::LargeInput,
                    )
                });
            }
            let mut h = reply::tui::Headless::new(&setup, "order", 100, 30).expect("picker");
            // Moving: the preview of another reply, then back.
            group.bench_function("move-down-and-up", |b| {
                b.iter(|| {
                    h.key(press(KeyCode::Down)).expect("key");
                    h.key(press(KeyCode::Up)).expect("key");
                })
            });
            group.finish();
        }

        // The usage log at its bound: what `search`, `list --sort used` and
        // the picker read before ranking, and what one append past the bound
        // costs (compaction). Then search with that history.
        {
            // gen-library's log: at its bound, of the library's replies.
            let log = Log::new(g.state.join("reply").join(usage::FILE));
            let today = clock.now.date();
            let sent = std::fs::read_to_string(&log.path)
                .expect("the generated log")
                .lines()
                .count();
            assert!(std::fs::metadata(&log.path).expect("log").len() > usage::BOUND - 1024);
            let loaded = log.read().expect("the log reads");
            assert_eq!((loaded.uses.len(), loaded.damage.lines), (sent, 0));
            let used = Frecency::of(&loaded.uses, today, &cat);
            assert!(!used.is_empty());
            let mut group = c.benchmark_group(format!("usage/{n}"));
            group.bench_function("read-at-bound", |b| {
                b.iter(|| log.read().expect("reads").uses.len())
            });
            let (scored, _) = Frecency::read(&log, today, &cat).expect("reads");
            for i in 0..cat.entries.len() {
                assert_eq!(scored.get(i), used.get(i), "both ways score alike");
            }
            group.bench_function("frecency-at-bound", |b| {
                b.iter(|| Frecency::read(&log, today, &cat).expect("reads"))
            });
            group.bench_function("compact-at-bound", |b| {
                b.iter(|| usage::compact(&loaded.uses, today, usage::TARGET).len())
            });
            for q in ["refund", "zzqxj"] {
                group.bench_with_input(BenchmarkId::new("search-ranked", q), q, |b, q| {
                    b.iter(|| {
                        let mut hits = search(&cat.entries, bodies, black_box(q), |_| true);
                        nudge_hits(&mut hits, &used);
                        hits.len()
                    })
                });
            }
            group.finish();
        }

        // Opening the file that holds one reply, then rendering it.
        let entry = cat.get(&g.last_id).expect("the last id is there");
        c.benchmark_group("open-one-file").bench_with_input(
            BenchmarkId::from_parameter(n),
            entry,
            |b, entry| b.iter(|| cat.open(entry)),
        );

        // Rendering does not depend on N: once, on the smallest library.
        if n == sizes()[0] {
            let lib = cat.open(entry);
            let reply = lib.get(&g.last_id).expect("the reply is in its file");
            let mut base = Values::default();
            for (name, value) in [
                ("customer", "Ana"),
                ("agent", "Sam"),
                ("brand", "Acme"),
                ("order", "A-1042"),
                ("eta", "2 días"),
                ("link", "https://example.com/t/1042"),
            ] {
                base.offer(name, value.into(), Origin::Flag);
            }
            let limits = compose::RenderLimits::default();
            let guard = limits.guard();
            c.bench_function("render/one", |b| {
                b.iter(|| {
                    let values = compose::for_reply(&base, black_box(reply));
                    template::render(
                        &Request {
                            template: &reply.main().body.src,
                            values: &values,
                            lang: reply.lang(),
                            platform: None,
                            clock,
                        },
                        limits,
                        &guard,
                    )
                    .expect("renders")
                })
            });
        }
    }
}

/// What the staleness note costs `list`, `search` and `render` when team
/// libraries have a `sync_every`: reading the sync times and looking for
/// each library's `.git` (three libraries, one due).
fn staleness(c: &mut Criterion) {
    use reply::team::{stale, state};
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let home = tmp.path().join("home");
    let mut config = String::from("sync_every = \"1d\"\nlibraries = [\"a\", \"b\", \"c\"]\n");
    for name in ["a", "b", "c"] {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(dir.join(".git")).expect("a checkout");
        config.push_str(&format!(
            "[library.{name}]\npath = {:?}\n",
            dir.display().to_string()
        ));
    }
    let file = tmp.path().join("config.toml");
    std::fs::write(&file, config).expect("config");
    let env = Env::from_pairs([
        ("HOME", home.display().to_string()),
        ("REPLY_CONFIG", file.display().to_string()),
    ]);
    let s = Settings::load(&Flags::default(), &env).expect("settings");
    let now = Clock::parse("2026-11-25T09:30").expect("a fixed time").now;
    let dir = s.team.state.clone().expect("a state folder");
    for (name, when) in [("a", "2026-11-25T09:00:00"), ("b", "2026-11-24T12:00:00")] {
        state::record(&dir, &tmp.path().join(name), |r| {
            r.synced = Some(when.into())
        })
        .expect("a record");
    }
    assert_eq!(
        stale::overdue(&s.libraries, &s.team, now).len(),
        1,
        "c is due"
    );
    c.bench_function("staleness/overdue", |b| {
        b.iter(|| stale::overdue(black_box(&s.libraries), &s.team, now))
    });
}

criterion_group! {
    name = core;
    config = config();
    targets = benches, staleness
}
criterion_main!(core);
