#!/usr/bin/env bash
# Usage: Tools/bench-scale-out.sh [ANSWERS [QUEUE_JOBS]] — the scale-out benchmarks of docs/benchmarks.md ("Scale-out"):
#  1. scoring throughput with 1, 2 and 4 `exam score run --worker` processes (--jobs 1 each) against one PostgreSQL,
#     on ANSWERS synthetic spoken answers (default 400), beside the single-process SQLite `exam score run --jobs 1`;
#  2. the queue alone: QUEUE_JOBS synthetic jobs (default 1,000,000) claimed and completed by 8 workers, and the
#     queue's time per claimed answer at the scoring worker's batch of 8.
# Starts its own throw-away cluster (Tools/pg-cluster). Needs: swift (release build), PostgreSQL 15 (Tools/bootstrap).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ANSWERS="${1:-400}"
QUEUE_JOBS="${2:-1000000}"
cd "$ROOT"
swift build -c release --product exam 2>&1 | grep -E "error|Build" >&2 || true
(cd Benchmarks && swift build -c release --product queue-bench 2>&1 | grep -E "error|Build" >&2 || true)
BIN="$(swift build -c release --show-bin-path)"
QUEUE_BENCH="$ROOT/Benchmarks/.build/release/queue-bench"
WORK="$(mktemp -d /tmp/bench-scale-out.XXXXXX)"
chmod 755 "$WORK"  # the cluster under it runs as postgres, which must reach its folder
PG="$WORK/pg"
trap 'Tools/pg-cluster stop "$PG"; rm -rf "$WORK"' EXIT
URL="$(Tools/pg-cluster start "$PG")"
MODEL="$ROOT/ExamPacks/models/speechocean-ridge.json"
"$QUEUE_BENCH" make-sitting "$WORK/sitting" "$ANSWERS"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

echo "| workers | answers | wall s | answers/s | per added worker |"
echo "|---|---|---|---|---|"
cp "$WORK/sitting/exam.sqlite" "$WORK/sitting/single.sqlite"
t0=$(now); "$BIN/exam" score run --db "$WORK/sitting/single.sqlite" --model "$MODEL" --jobs 1 --quiet >/dev/null; t1=$(now)
awk -v a="$ANSWERS" -v s="$(elapsed "$t0" "$t1")" 'BEGIN { printf "| SQLite, 1 process | %d | %.1f | %.1f | |\n", a, s, a / s }'
base=""
for workers in 1 2 4; do
  db="bench_w$workers"
  psql -X -q -d "$URL" -c "CREATE DATABASE $db" >/dev/null
  dburl="${URL%/*}/$db"
  "$BIN/exam" db migrate --db "$dburl" --quiet >/dev/null
  "$BIN/exam" score publish --from "$WORK/sitting/exam.sqlite" --model "$MODEL" --db "$dburl" --quiet >/dev/null
  t0=$(now)
  pids=()
  for w in $(seq 1 "$workers"); do
    "$BIN/exam" score run --worker --db "$dburl" --store "$WORK/sitting/store" --jobs 1 --until-empty --quiet \
      >"$WORK/w$workers-$w.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(now)
  rate=$(awk -v a="$ANSWERS" -v s="$(elapsed "$t0" "$t1")" 'BEGIN { printf "%.3f", a / s }')
  [ -z "$base" ] && base="$rate"
  awk -v w="$workers" -v a="$ANSWERS" -v s="$(elapsed "$t0" "$t1")" -v r="$rate" -v b="$base" \
    'BEGIN { printf "| %d × `exam score run --worker` | %d | %.1f | %.1f | %s |\n", w, a, s, r, (w == 1 ? "" : sprintf("%.2f× of 1 worker", r / b)) }'
done
echo
psql -X -q -d "$URL" -c "CREATE DATABASE bench_queue" >/dev/null
"$BIN/exam" db migrate --db "${URL%/*}/bench_queue" --quiet >/dev/null
"$QUEUE_BENCH" --db "${URL%/*}/bench_queue" --jobs "$QUEUE_JOBS" --workers 8 --batch 100
