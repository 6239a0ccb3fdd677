#!/usr/bin/env bash
# Usage: Tools/bench-ingest-queue.sh [PER_CENTRE] — ingest through the PostgreSQL queue beside a direct run, in one
# run (docs/benchmarks.md, "Ingest on the queue"). The sample sitting (ExamPacks/SH-2026-EL, 3 centres) gets one
# simulated batch per centre (Tools/make-batches.py, PER_CENTRE candidates each, default 24: espeak-ng speech
# through a simulated seat microphone, with the first centre's deliberately broken files). The same batches are
# then taken in (release `exam`, wall time under /usr/bin/time):
#   A. one after the other by `exam audio ingest` into a SQLite store (the single-machine run);
#   B. the same into a PostgreSQL store (Tools/pg-cluster, throw-away);
#   C. queued with --enqueue, then one `--worker --until-empty` process (`--jobs 2`);
#   D. queued, then two worker processes at once (`--jobs 1` each), as two machines would.
# Every run ends with the same recordings; C and D also queue each answer's scoring as its batch finishes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PER_CENTRE="${1:-24}"
cd "$ROOT"
swift build -c release --product exam 2>&1 | grep -E "error|Build" >&2 || true
EXAM="$(swift build -c release --show-bin-path)/exam"
WORK="$(mktemp -d /tmp/bench-ingest-queue.XXXXXX)"
chmod 755 "$WORK"  # the cluster under it runs as postgres, which must reach its folder
trap 'Tools/pg-cluster stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
URL="$(Tools/pg-cluster start "$WORK/pg" | tail -1)"
BASE="${URL%/exam}"
export EXAM_OPERATOR_NOTE=bench
"$EXAM" keys generate "$WORK/office" > /dev/null
"$EXAM" pack build "$ROOT/ExamPacks/SH-2026-EL" -o "$WORK/exam.exampack" --sign "$WORK/office.key" > /dev/null

# setUp ARGS… — the sitting's set-up on the store ARGS name.
setUp() {
  "$EXAM" init "$@" --quiet > /dev/null
  "$EXAM" keys trust "$WORK/office.pub" "$@" > /dev/null
  "$EXAM" pack import "$WORK/exam.exampack" "$@" > /dev/null
  "$EXAM" candidates import "$ROOT/ExamPacks/sample-sitting/roster.csv" "$@" > /dev/null
  "$EXAM" centres import "$ROOT/ExamPacks/sample-sitting/centres.yaml" "$@" > /dev/null
  "$EXAM" allocate --exam SH-2026-EL --seed 1 "$@" > /dev/null
}
setUp --db "$WORK/a/exam.sqlite"
EXAM_DB="$WORK/a/exam.sqlite" "$ROOT/Tools/make-batches.py" "$EXAM" "$WORK/uploads" --per-centre "$PER_CENTRE" \
  --pack "$ROOT/ExamPacks/SH-2026-EL" > /dev/null
files=$(find "$WORK/uploads" -name '*.wav' | wc -l)
zips=$(find "$WORK/uploads" -name '*.zip' | wc -l)

# timed LABEL COMMAND… — runs COMMAND under /usr/bin/time, prints "LABEL wall-seconds".
timed() {
  local label="$1"; shift
  /usr/bin/time -f "%e" -o "$WORK/time" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
  echo "$label $(cat "$WORK/time")"
}
direct() {  # ingest every batch, one after the other; exit 65 (files refused) is expected for the first centre
  while IFS=$'\t' read -r centre batch; do
    "$EXAM" audio ingest "$batch" --centre "$centre" --quiet "$@" || [ $? -eq 65 ]
  done < "$WORK/uploads/batches.tsv"
}
enqueue() {
  while IFS=$'\t' read -r centre batch; do
    "$EXAM" audio ingest "$batch" --centre "$centre" --enqueue "$@" > /dev/null
  done < "$WORK/uploads/batches.tsv"
}
newdb() { psql -X -q -d "$URL" -c "CREATE DATABASE $1" > /dev/null; echo "$BASE/$1"; }
count() { psql -X -qtA -d "$1" -c "SELECT count(*) FROM recording"; }

export -f direct enqueue
export EXAM WORK
a=$(timed A bash -c 'direct --db "$WORK/a/exam.sqlite"')
b_db=$(newdb bench_b); setUp --db "$b_db" --store "$WORK/shared-b"
b=$(timed B bash -c "direct --db '$b_db' --store '$WORK/shared-b'")
c_db=$(newdb bench_c); setUp --db "$c_db" --store "$WORK/shared-c"; enqueue --db "$c_db"
c=$(timed C "$EXAM" audio ingest --worker --until-empty --jobs 2 --db "$c_db" --store "$WORK/shared-c" --quiet)
d_db=$(newdb bench_d); setUp --db "$d_db" --store "$WORK/shared-d"; enqueue --db "$d_db"
d=$(timed D bash -c "'$EXAM' audio ingest --worker --until-empty --jobs 1 --db '$d_db' --store '$WORK/shared-d' --quiet &
  '$EXAM' audio ingest --worker --until-empty --jobs 1 --db '$d_db' --store '$WORK/shared-d' --quiet; wait")
stored_a=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from recording').fetchone()[0])" "$WORK/a/exam.sqlite")
scoring_c=$(psql -X -qtA -d "$c_db" -c "SELECT count(*) FROM job WHERE kind = 'score'")
echo "batches: $(wc -l < "$WORK/uploads/batches.tsv") ($zips as .zip), answer files: $files; recordings stored: A $stored_a, B $(count "$b_db"), C $(count "$c_db"), D $(count "$d_db"); scoring jobs queued by C's batches: $scoring_c"
echo "| run | wall s |"
echo "|---|---|"
for row in "$a" "$b" "$c" "$d"; do set -- $row; echo "| $1 | $2 |"; done
