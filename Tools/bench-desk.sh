#!/usr/bin/env bash
# Usage: Tools/bench-desk.sh [ANSWERS [RATERS]] — RATERS scripted raters (default 200) mark ANSWERS spoken answers
# (default 2000, each double-marked: 4000 marks) at once against the marking desk of `exam serve` on 127.0.0.1.
# Seeds the store with desk-bench-seed (Benchmarks/DeskBenchSeed; bcrypt cost 4 for the seeded accounts — a test store),
# starts `exam serve` ($EXAM_BIN, default the debug build .build/debug/exam; give a release build for release figures),
# runs Tools/bench-desk.py (one keep-alive connection per rater: login, then GET /mark, GET audio with Range, POST mark
# until done), then checks the store: every answer marked exactly twice by its two raters, no mark lost or doubled.
# Prints the load JSON, the check JSON and the server's peak RSS. Needs: swift, python3, /usr/bin/time.
# THINK_SECONDS (default 0) gives each scripted rater a think time between fetching an answer and posting its mark
# (mean seconds; 0 = none, the server's saturation). SEED_BIN overrides the seed tool (default: built here).
# DESK_DB=postgres://… seeds that (empty) database instead of a SQLite file and serves from it, with the shared store
# in the work folder (Tools/pg-cluster start DIR gives a throw-away cluster's URL).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ANSWERS="${1:-2000}"
RATERS="${2:-200}"
cd "$ROOT"
EXAM="${EXAM_BIN:-$ROOT/.build/debug/exam}"
[ -x "$EXAM" ] || swift build --product exam >&2
SEED="${SEED_BIN:-$ROOT/Benchmarks/.build/release/desk-bench-seed}"
[ -n "${SEED_BIN:-}" ] || (cd Benchmarks && swift build -c release --product desk-bench-seed 2>&1 | grep -E "error|Build" >&2 || true)
WORK="$(mktemp -d /tmp/bench-desk.XXXXXX)"
SERVER_PID=""
stop_server() {  # TERM to exam itself (the child of /usr/bin/time), then wait for time to write the RSS
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM $(pgrep -P "$SERVER_PID") 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
echo "assignments: $("$SEED" "$WORK" "$ANSWERS" "$RATERS")" >&2
if [ -n "${DESK_DB:-}" ]; then STORE_ARGS=(--db "$DESK_DB" --store "$WORK/store"); else STORE_ARGS=(--db "$WORK/exam.sqlite"); fi
/usr/bin/time -f "%M" -o "$WORK/rss" "$EXAM" serve "${STORE_ARGS[@]}" --listen 127.0.0.1:0 > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 200); do grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
URL="$(sed -n 's/^listening on //p' "$WORK/serve.out")"
[ -n "$URL" ] || { cat "$WORK/serve.err" >&2; exit 1; }
python3 Tools/bench-desk.py "$URL" "$RATERS" "$RATERS" "${THINK_SECONDS:-0}" || {
  echo "bench-desk.py failed; server alive: $(kill -0 "$SERVER_PID" 2>/dev/null && echo yes || echo no); its log:" >&2
  tail -20 "$WORK/serve.err" >&2
  exit 1
}
stop_server
"$SEED" verify "$WORK"
echo "{\"serverPeakRSSMiB\": $(( $(cat "$WORK/rss") / 1024 ))}"
