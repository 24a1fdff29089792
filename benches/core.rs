//! Micro-benchmarks of the three costs behind every command: loading a library,
//! searching it, rendering one reply. Libraries are generated at start into a
//! temporary folder (see `synth.rs`).
//!
//!     cargo bench --bench core                      # N = 1,000 and 10,000
//!     REPLY_BENCH_SMOKE=1 cargo bench --bench core  # N = 200, a few seconds (CI)

mod synth;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use reply::compose;
use reply::config::{Config, Env};
use reply::library::{Library, layers};
use reply::personal::Clock;
use reply::render::{self, Origin, Request, Values};
use reply::search::search;

/// The queries of `compare.sh`: one word, a misspelt word, two words, nothing.
const QUERIES: &[&str] = &["refund", "refnud", "refund dly", "zzqxj"];

fn smoke() -> bool {
    std::env::var_os("REPLY_BENCH_SMOKE").is_some_and(|v| !v.is_empty() && v != "0")
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

fn load(dir: &Path, env: &Env) -> Library {
    let layers = layers(&[dir.to_path_buf()], env, &Config::default());
    Library::load(layers, "en").expect("the library loads")
}

fn benches(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).expect("HOME");
    let env = env(&home);
    let clock = Clock::parse("2026-11-25T09:30").expect("a fixed time");

    for &n in sizes() {
        let g = synth::generate(n, &tmp.path().join(n.to_string())).expect("library written");
        let lib = load(&g.replies, &env);
        assert_eq!(lib.replies.len(), n, "every generated reply loads");
        assert!(!lib.has_errors(), "the generated library has no errors");
        assert_eq!(g.files, n.div_ceil(synth::PER_FILE));
        let lines = std::fs::read_to_string(&g.lines).expect("lines.txt");
        assert_eq!(lines.lines().count(), n, "one fzf line per reply");

        c.benchmark_group("load").bench_with_input(
            BenchmarkId::from_parameter(n),
            &g.replies,
            |b, dir| b.iter(|| load(dir, &env)),
        );

        let mut group = c.benchmark_group(format!("search/{n}"));
        for q in QUERIES {
            group.bench_with_input(BenchmarkId::from_parameter(q), q, |b, q| {
                b.iter(|| search(&lib.replies, black_box(q), |_| true).len())
            });
        }
        group.finish();

        // Rendering does not depend on N: once, on the smallest library.
        if n == sizes()[0] {
            let reply = lib.get(&g.last_id).expect("the last id is there");
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
            c.bench_function("render/one", |b| {
                b.iter(|| {
                    let reply = lib.get(black_box(&g.last_id)).unwrap_or(reply);
                    let values = compose::for_reply(&base, reply);
                    render::render(&Request {
                        template: &reply.main().body.src,
                        values: &values,
                        lang: reply.lang(),
                        platform: None,
                        clock,
                    })
                    .expect("renders")
                })
            });
        }
    }
}

criterion_group! {
    name = core;
    config = config();
    targets = benches
}
criterion_main!(core);
