#!/usr/bin/env bash
# Usage: Tools/proctor-benchmark.sh [WORKDIR] — the proctoring benchmarks of docs/benchmarks.md (## Proctoring):
# a 10-million-event city sitting (ingest time, rule time, precision/recall on planted incidents), planted
# recording faults (precision/recall), and duplicate-recording search at 10k/30k/100k recordings.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/proctor-bench}"
cd "$ROOT"
swift build -c release --product exam >/dev/null
(cd Benchmarks && swift build -c release --product proctor-bench >/dev/null)  # the nested benchmark package
EXAM="$ROOT/.build/release/exam"
BENCH="$(cd Benchmarks && swift build -c release --show-bin-path)/proctor-bench"
rm -rf "$WORK" && mkdir -p "$WORK"
export EXAM_DB="$WORK/exam.sqlite"

echo "== city sitting: 90 centres × 10 rooms × 30 seats, heartbeat every 15 s"
"$BENCH" setup --db "$EXAM_DB" --centres 90 --rooms 10 --seats 30
python3 Tools/make-sitting-logs.py --db "$EXAM_DB" --exam SH-BENCH --out "$WORK/logs" --truth "$WORK/truth.csv" \
  --rate 0.002 --bad-lines 3 --seed 7
du -sh "$WORK/logs"
echo "-- parsing alone, 1 M lines: the hand-written scanner, then JSONDecoder per line (the peer)"
"$BENCH" parse "$WORK"/logs/T00*.jsonl
"$BENCH" decode "$WORK"/logs/T00*.jsonl
echo "-- ingest (store only)"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" \
  "$EXAM" proctor ingest --quiet --no-rules --exam SH-BENCH "$WORK"/logs/*.jsonl || [ $? -eq 65 ]
echo "-- the same logs again (adds nothing)"
/usr/bin/time -f "wall %e s, user %U s, sys %S s" \
  "$EXAM" proctor ingest --quiet --no-rules --exam SH-BENCH "$WORK"/logs/*.jsonl || [ $? -eq 65 ]
echo "-- event rules over 900 rooms"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" "$EXAM" proctor scan --quiet --events --exam SH-BENCH
echo "-- planted recording faults: 300 candidates × 3 answers of 8 s"
"$BENCH" recordings --db "$EXAM_DB" --candidates 300 --truth "$WORK/truth.csv"
/usr/bin/time -f "wall %e s, user %U s, sys %S s" "$EXAM" proctor scan --quiet --exam SH-BENCH >"$WORK/scan.txt"
echo "-- precision and recall against the planted truth"
"$BENCH" score --db "$EXAM_DB" --truth "$WORK/truth.csv"
echo "== duplicate-recording search (20 s answers, synthetic fingerprints)"
for n in 10000 30000 100000; do "$BENCH" duplicates --recordings "$n" --seconds 20; done
