#!/usr/bin/env bash
# Whole-process comparison of `reply` against fzf and cat on generated libraries.
#
#   benches/compare.sh                     # 1k, 10k and 100k replies, 10 runs each
#   SIZES="1000 10000" benches/compare.sh  # some sizes only
#   SMOKE=1 benches/compare.sh             # 200 replies, 2 runs, debug build: does it all still run? (CI)
#   REPLY_BIN=… GEN_BIN=… benches/compare.sh  # use these binaries instead of building
#
# For each size: `reply suggest MESSAGE` (issue 12's targets: warm, 20 ms at
# 10k, 200 ms at 100k), `reply search QUERY` against `fzf --filter QUERY < lines.txt`
# (same texts, one line per reply), `reply render ID` against `cat` of the
# library's files (the floor for reading the data), and `list` and `show` at
# 1,000. Each reply command is measured cold (its cache folder wiped before
# every run) and warm. Prints a markdown table: median wall time (hyperfine),
# the ratio to fzf or cat, peak memory (GNU time's maximum resident set size),
# and the issue's targets with ✓/✗; then how each command grows with N.
#
# Other settings: RUNS (default 10), WARMUP (2), PROFILE (cargo profile:
# release, or dev with SMOKE=1), BENCH_DIR (a folder to keep
# the libraries and JSON in; default a temporary folder, removed at the end),
# OUT (also write the report to this file). Exits non-zero only when something
# fails to run; a missed target is reported, not an error.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ "${SMOKE:-0}" == 1 ]]; then
    # CI: the debug build that `cargo test` already made is enough to show
    # that everything runs; a release build would double CI's compile time.
    PROFILE=${PROFILE:-dev}
    SIZES=${SIZES:-200}
    RUNS=${RUNS:-2}
    WARMUP=${WARMUP:-1}
else
    PROFILE=${PROFILE:-release}
    SIZES=${SIZES:-"1000 10000 100000"}
    RUNS=${RUNS:-10}
    WARMUP=${WARMUP:-2}
fi
QUERIES=("refund" "refnud" "refund dly" "zzqxj")
# Customer messages for `reply suggest` (as in core.rs): English, Spanish.
# With --min-score 0: the synthetic replies have no examples, and a small
# library may leave every score under the threshold (exit 1, nothing timed).
MESSAGES=("hi, my refund still hasn't reached my card, order A-1042"
    "hola, el paquete de mi pedido no ha llegado, hay seguimiento del envio?")
NO_MATCH="zzqxj"

say() { printf '%s\n' "$*" >&2; }

# --- tools ------------------------------------------------------------------
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v fzf >/dev/null || need+=(fzf)
[[ -x /usr/bin/time ]] || need+=(time)
if ((${#need[@]})); then
    say "installing ${need[*]} (Debian packages)"
    sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
        "${sudo[@]}" apt-get update -qq >/dev/null
        "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
    fi
fi

# --- build ------------------------------------------------------------------
if [[ -n "${REPLY_BIN:-}" && -n "${GEN_BIN:-}" ]]; then
    # Given ready-built binaries (the test suite's own): no nested cargo build.
    REPLY=$REPLY_BIN
    GEN=$GEN_BIN
else
    say "building reply and gen-library (profile $PROFILE)"
    (cd "$ROOT" && cargo build --quiet --locked --profile "$PROFILE" --bin reply --example gen-library)
    bin="${CARGO_TARGET_DIR:-$ROOT/target}/$([[ $PROFILE == dev ]] && echo debug || echo "$PROFILE")"
    REPLY="$bin/reply"
    GEN="$bin/examples/gen-library"
fi

# Versions now: rustup finds its toolchains through HOME, which moves below.
VERSIONS="reply $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || VERSIONS="$VERSIONS (with uncommitted changes)"
VERSIONS="$VERSIONS, $(rustc --version), fzf $(fzf --version | cut -d' ' -f1), $(hyperfine --version)"

# --- a hermetic environment -------------------------------------------------
if [[ -n "${BENCH_DIR:-}" ]]; then
    WORK=$BENCH_DIR
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/reply-bench.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
fi
WORK=$(cd "$WORK" && pwd)
for v in $(compgen -e); do
    [[ $v == REPLY_* ]] && unset "$v"
done
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" \
    XDG_CACHE_HOME="$WORK/home/.cache" XDG_DATA_HOME="$WORK/home/.local/share" \
    NO_COLOR=1 LC_ALL=C.UTF-8
mkdir -p "$HOME" "$WORK/json"
CACHE="$XDG_CACHE_HOME/reply"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

q() { printf '%q' "$1"; }

# measure N GROUP LABEL KIND COMMAND [EXPECTED_STATUS]
# KIND: cold | warm (reply, cache wiped before each run or not) | ref (fzf, cat).
# Commands run without a shell (`hyperfine -N`) unless they contain `<`: fzf
# needs its input redirected, and hyperfine then subtracts the shell's own
# start-up time. Appends "N GROUP LABEL KIND MEDIAN_MS PEAK_MB CPU_MS" to the
# results (CPU: mean user + system time, less disturbed by other load than wall time).
measure() {
    local n=$1 group=$2 label=$3 kind=$4 cmd=$5 expect=${6:-0}
    local json="$WORK/json/$n-${label//[^A-Za-z0-9]/_}.json"
    local opts=()
    [[ $kind == cold ]] && opts+=(--prepare "rm -rf $(q "$CACHE")")
    [[ $cmd == *"<"* ]] || opts+=(-N)
    # Run once first: a command that fails (or suddenly finds nothing) must
    # stop the script rather than be timed.
    local status=0
    bash -c "$cmd" >/dev/null 2>"$WORK/stderr" || status=$?
    if [[ $status != "$expect" ]]; then
        say "error: \`$cmd\` exited $status, expected $expect:"
        cat "$WORK/stderr" >&2
        exit 1
    fi
    [[ $expect != 0 ]] && opts+=(--ignore-failure)
    say "  $label  (N=$n)"
    hyperfine --style none --warmup "$WARMUP" --runs "$RUNS" "${opts[@]}" \
        --export-json "$json" "$cmd" >/dev/null
    local median user system
    median=$(grep -m1 '"median"' "$json" | sed 's/.*"median": *//; s/,.*//')
    user=$(grep -m1 '"user"' "$json" | sed 's/.*"user": *//; s/,.*//')
    system=$(grep -m1 '"system"' "$json" | sed 's/.*"system": *//; s/,.*//')
    # Peak memory: one more run under GNU time (`%M` is the maximum resident
    # set size that `/usr/bin/time -v` prints), cold after a wipe.
    [[ $kind == cold ]] && rm -rf "$CACHE"
    /usr/bin/time -f '%M' -o "$WORK/mem" bash -c "exec $cmd" >/dev/null 2>&1 || true
    local kb
    kb=$(tail -1 "$WORK/mem")
    awk -v n="$n" -v g="$group" -v l="$label" -v k="$kind" -v m="$median" -v kb="$kb" \
        -v us="$user" -v sy="$system" \
        'BEGIN { printf "%s\t%s\t%s\t%s\t%.2f\t%.1f\t%.1f\n", n, g, l, k, m * 1000, kb / 1024, (us + sy) * 1000 }' >>"$RESULTS"
}

# --- the runs ---------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $SIZES; do
    dir="$WORK/lib-$n"
    say "generating $n replies"
    "$GEN" "$n" "$dir" >/dev/null
    lib=$(q "$dir/replies")
    lines=$(q "$dir/lines.txt")
    id=$(tail -1 "$dir/lines.txt" | cut -f1)
    r="$(q "$REPLY")"
    for query in "${QUERIES[@]}"; do
        expect=0
        [[ $query == "$NO_MATCH" ]] && expect=1
        for kind in cold warm; do
            measure "$n" "search $query" "reply search $query ($kind)" "$kind" \
                "$r --library $lib search $(q "$query")" "$expect"
        done
        measure "$n" "search $query" "fzf --filter $query" ref \
            "fzf --filter $(q "$query") < $lines" "$expect"
    done
    render="$r --library $lib render $id -c Ana -a Sam -b Acme -v order=1 -v eta=2 -v link=https://example.com/t/1"
    for kind in cold warm; do
        measure "$n" render "reply render ID ($kind)" "$kind" "$render"
    done
    # The shell expands the glob here, so that cat runs without one.
    files=$(printf '%q ' "$dir"/replies/*.toml)
    measure "$n" render "cat replies/*.toml" ref "cat $files"
    for i in "${!MESSAGES[@]}"; do
        lang=$([[ $i == 0 ]] && echo en || echo es)
        for kind in cold warm; do
            measure "$n" "suggest $lang" "reply suggest ($lang, $kind)" "$kind" \
                "$r --library $lib suggest --min-score 0 $(q "${MESSAGES[$i]}")"
        done
    done
    if [[ $n == 1000 || ${SMOKE:-0} == 1 ]]; then
        for kind in cold warm; do
            measure "$n" list "reply list ($kind)" "$kind" "$r --library $lib list"
            measure "$n" show "reply show ID ($kind)" "$kind" "$r --library $lib show $id"
        done
    fi
done

# --- the report -------------------------------------------------------------
report() {
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
    echo "Versions: $VERSIONS"
    [[ $PROFILE == release ]] || echo "**Profile: $PROFILE, not release: these numbers say nothing about speed.**"
    echo "Runs: $RUNS per command after $WARMUP warm-up runs; median wall time; CPU = mean user + system time (fzf uses every core); peak = maximum resident set size."
    echo
    echo "Load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine makes wall times noisy)."
    echo
    echo "| command | N | median ms | ratio (reply/fzf, reply/cat) | CPU ms | peak MB | target |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    awk -F'\t' '
        { n[NR]=$1; g[NR]=$2; l[NR]=$3; k[NR]=$4; m[NR]=$5; p[NR]=$6; u[NR]=$7
          if ($4 == "ref") ref[$1 SUBSEP $2] = $5 }
        function mark(ok) { if (ok) { good++; return "✓" } bad++; return "✗" }
        END {
            for (i = 1; i <= NR; i++) {
                key = n[i] SUBSEP g[i]
                ratio = "—"; r = -1
                if (k[i] != "ref" && (key in ref) && ref[key] > 0) { r = m[i] / ref[key]; ratio = sprintf("%.2f", r) }
                split(g[i], w, " "); cmd = w[1]; t = ""
                if (k[i] != "ref") {
                    if (n[i] == 1000 && cmd != "suggest") t = "≤ 15 ms " mark(m[i] <= 15)
                    if (n[i] == 10000 && cmd == "suggest" && k[i] == "warm") t = "≤ 20 ms " mark(m[i] <= 20)
                    if (n[i] == 100000 && cmd == "suggest" && k[i] == "warm") t = "≤ 200 ms " mark(m[i] <= 200)
                    if (n[i] == 10000 && cmd == "search") t = "≤ 0.5× fzf " mark(r >= 0 && r <= 0.5)
                    if (n[i] == 10000 && cmd == "render") t = "≤ 40 ms " mark(m[i] <= 40)
                    if (n[i] == 100000 && cmd == "search") t = "≤ 0.5× fzf " mark(r >= 0 && r <= 0.5)
                    if (n[i] == 100000 && cmd == "render") t = "≤ 150 ms " mark(m[i] <= 150)
                    if (n[i] == 100000) t = t (t == "" ? "" : "; ") "≤ 200 MB " mark(p[i] <= 200)
                }
                printf "| `%s` | %d | %.1f | %s | %.1f | %.1f | %s |\n", l[i], n[i], m[i], ratio, u[i], p[i], t
            }
            printf "\nTargets met: %d of %d.\n", good, good + bad
        }' "$RESULTS"
    echo
    echo "Growth with N (median ms, peak MB in brackets; ×k = factor from the previous size):"
    echo
    local sizes=($SIZES)
    printf '| command |'
    for n in "${sizes[@]}"; do printf ' N=%s |' "$n"; done
    printf ' no worse than linear |\n|---|'
    for _ in "${sizes[@]}"; do printf -- '---:|'; done
    printf -- '---|\n'
    awk -F'\t' -v sizes="$SIZES" '
        { key = $3; if (!(key in seen)) { seen[key] = 1; order[++count] = key }
          m[key, $1] = $5; p[key, $1] = $6 }
        END {
            ns = split(sizes, s, " ")
            for (c = 1; c <= count; c++) {
                key = order[c]; if (key ~ /cold\)$/) continue
                line = "| `" key "` |"; ok = "✓"; prev = ""; have = 0
                for (i = 1; i <= ns; i++) {
                    if (!((key, s[i]) in m)) { line = line " — |"; continue }
                    have++
                    cell = sprintf("%.1f (%.0f)", m[key, s[i]], p[key, s[i]])
                    if (prev != "") {
                        f = m[key, s[i]] / m[key, prev]
                        cell = cell sprintf(" ×%.1f", f)
                        if (f > (s[i] / prev) * 1.1) ok = "✗"
                    }
                    prev = s[i]; line = line " " cell " |"
                }
                if (have < 2) ok = "—"
                print line " " ok " |"
            }
        }' "$RESULTS"
}

if [[ -n "${OUT:-}" ]]; then
    report | tee "$OUT"
else
    report
fi
