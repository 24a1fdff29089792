#!/usr/bin/env bash
# CI smoke run of the benchmarks: everything must still build and run, on tiny
# libraries, in well under two minutes. Both parts use the debug build that
# `cargo test` makes anyway. Exits non-zero only when something fails to run;
# targets are not checked here (see benches/RESULTS.md for real numbers).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

start=$SECONDS
echo "== criterion micro-benchmarks, each run once (test mode, 200 replies)"
cargo test --locked --bench core
echo "== whole-process comparison (SMOKE=1: 200 replies, 2 runs, debug build)"
SMOKE=1 bash benches/compare.sh
echo "== benchmark smoke run passed in $((SECONDS - start)) s"
