//! Writes a synthetic library for benchmarks:
//!
//!     cargo run --release --example gen-library -- N DIR
//!
//! DIR/replies/*.toml holds N replies in the real format (about 100 a file),
//! DIR/lines.txt the same texts one line per reply (`id TAB title TAB tags TAB
//! body`) for `fzf --filter`, and DIR/state/reply/usage.jsonl a usage log of
//! them at its size bound (`XDG_STATE_HOME=DIR/state REPLY_NOW=2026-11-25`
//! ranks with it). The output depends only on N.

mod synth;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir), 2) = (
        args.first()
            .and_then(|n| n.replace('_', "").parse::<usize>().ok()),
        args.get(1).map(PathBuf::from),
        args.len(),
    ) else {
        eprintln!("usage: gen-library N DIR   (e.g. gen-library 10000 /tmp/lib-10k)");
        return ExitCode::from(2);
    };
    match synth::generate(n, &dir) {
        Ok(g) => {
            println!(
                "{n} replies in {} files under {}; lines in {}; last id: {}; usage log under {}",
                g.files,
                g.replies.display(),
                g.lines.display(),
                g.last_id,
                g.state.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-library: cannot write {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
