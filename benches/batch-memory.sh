#!/usr/bin/env bash
# Peak memory of `reply render ID --each -` for 100,000 and 1,000,000 CSV rows
# generated on the fly (a pipe, never a file), measured with GNU time.
# Fails when the 1M peak is over 1.5x the 100k peak (memory grows with the
# input) or over 64 MB.
#
# Usage: benches/batch-memory.sh            (builds the release binary)
#        REPLY_BIN=path/to/reply benches/batch-memory.sh
# Needs GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time) and awk.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x /usr/bin/time ]]; then
    echo "batch-memory: /usr/bin/time is missing (apt-get install time)" >&2
    exit 2
fi
if [[ -z ${REPLY_BIN:-} ]]; then
    cargo build --release --quiet
    REPLY_BIN=target/release/reply
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lib" "$work/home"
cat > "$work/lib/bench.toml" <<'EOF'
[bench-thanks]
title = "Thanks for your order (benchmark)"
body = """
Hi {{ customer | first_name }}, thanks for order {{ order }}.
{{ note | default(value="We will be in touch.") }}
{{ agent }}
"""
EOF

# Rows with the awkward parts real exports have: quoted commas, doubled quotes,
# an empty field every tenth row (the default applies).
rows() {
    awk -v n="$1" 'BEGIN {
        print "id,customer,order,note"
        for (i = 1; i <= n; i++) {
            note = (i % 10 == 0) ? "" : "\"Note " i ", with \"\"quotes\"\"\""
            printf "%d,\"Customer %d, Esq.\",A-%d,%s\n", i, i, i, note
        }
    }'
}

# Peak RSS in kB of one run over N generated rows; the output is counted, not kept.
peak() {
    local n=$1 report=$work/time-$1.txt count
    count=$(rows "$n" | env -i PATH="$PATH" HOME="$work/home" REPLY_LIBRARY="$work/lib" \
        /usr/bin/time -v -o "$report" \
        "$REPLY_BIN" render bench-thanks --each - --each-format csv -a Sam -q | wc -l)
    if [[ $count -ne $n ]]; then
        echo "batch-memory: $n rows gave $count messages" >&2
        exit 1
    fi
    local kb secs
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$report")
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$report")
    echo "$n rows: peak RSS $kb kB, $secs wall" >&2
    echo "$kb"
}

small=$(peak 100000)
large=$(peak 1000000)

limit_kb=$((64 * 1024))
status=0
if (( large * 2 > small * 3 )); then
    echo "FAIL: 1M rows peaked at $large kB, more than 1.5x the $small kB of 100k rows" >&2
    status=1
fi
if (( large > limit_kb )); then
    echo "FAIL: 1M rows peaked at $large kB, over $limit_kb kB" >&2
    status=1
fi
if (( status == 0 )); then
    echo "ok: peak RSS $small kB (100k rows), $large kB (1M rows)" >&2
fi
exit $status
