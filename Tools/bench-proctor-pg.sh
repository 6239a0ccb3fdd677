#!/usr/bin/env bash
# Usage: Tools/bench-proctor-pg.sh [CENTRES=30] — proctoring on both backends side by side in one run
# (docs/benchmarks.md, "Proctoring and records on PostgreSQL"): the same simulated city sitting is set up in a fresh
# SQLite store and in a fresh database of a throw-away PostgreSQL 15 cluster (Tools/pg-cluster, on this machine);
# the same seat-machine logs (Tools/make-sitting-logs.py: CENTRES centres × 10 rooms × 30 seats, heartbeats every
# 15 s, incidents planted) are stored into each with `exam proctor ingest --no-rules` (release build), stored again
# (adds nothing), and the event rules run over every room with `exam proctor scan --events`. Prints wall time and the
# client's peak memory per step (the server's memory is not in it), and checks both backends raised the same
# incidents.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CENTRES="${1:-30}"
cd "$ROOT"
swift build -c release --product exam 2>&1 | grep -E "error|Build" || true
(cd Benchmarks && swift build -c release --product proctor-bench 2>&1 | grep -E "error|Build" || true)
EXAM="$(swift build -c release --show-bin-path)/exam"
BENCH="$(cd Benchmarks && swift build -c release --show-bin-path)/proctor-bench"
WORK="$(mktemp -d /tmp/bench-proctor-pg.XXXXXX)"
chmod 755 "$WORK"  # the cluster under it runs as postgres, which must reach its folder
trap 'Tools/pg-cluster stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
URL="$(Tools/pg-cluster start "$WORK/pg" | tail -1)"
psql -X -q -d "$URL" -c "CREATE DATABASE bench_proctor" >/dev/null
PG="${URL%/exam}/bench_proctor"
"$EXAM" db migrate --db "$PG" --quiet
"$BENCH" setup --db "$WORK/exam.sqlite" --centres "$CENTRES" --rooms 10 --seats 30
"$BENCH" setup --db "$PG" --centres "$CENTRES" --rooms 10 --seats 30
python3 Tools/make-sitting-logs.py --db "$WORK/exam.sqlite" --exam SH-BENCH --out "$WORK/logs" \
  --truth "$WORK/truth.csv" --rate 0.002 --bad-lines 3 --seed 7 > /dev/null
echo "logs: $(cat "$WORK"/logs/*.jsonl | wc -l) lines, $(du -sh "$WORK/logs" | cut -f1), $(ls "$WORK"/logs | wc -l) rooms"

# step NAME BACKEND ARGS… — runs `exam ARGS…` (exit 65 for the planted bad lines is expected), prints one row.
step() {
  local name="$1" backend="$2"; shift 2
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$EXAM" "$@" --quiet > "$WORK/out" 2>&1 || [ $? -eq 65 ] || {
    cat "$WORK/out" >&2; exit 1; }
  read -r wall kb < <(tail -1 "$WORK/time")  # after "Command exited with non-zero status 65"
  printf "| %s | %s | %s | %d |\n" "$name" "$backend" "$wall" "$((kb / 1024))"
}

# One line per incident: rule, candidate, place (its id and time of raising differ between the stores).
INCIDENT_LINES='
import json, sys
def line(r):
    place = "/".join(r.get(k) or "" for k in ("centreId", "roomId", "seatId"))
    return " ".join([r["rule"], r.get("candidateId") or "", place])
print("\n".join(sorted(line(json.loads(l)["incident"]) for l in sys.stdin)))
'
echo "| step | backend | wall s | peak MB (client) |"
echo "|---|---|---|---|"
for backend in sqlite postgres; do
  DB="$WORK/exam.sqlite"; [ "$backend" = postgres ] && DB="$PG"
  step "proctor ingest --no-rules" "$backend" proctor ingest --db "$DB" --no-rules --exam SH-BENCH "$WORK"/logs/*.jsonl
  step "the same logs again (adds 0)" "$backend" proctor ingest --db "$DB" --no-rules --exam SH-BENCH "$WORK"/logs/*.jsonl
  step "proctor scan --events" "$backend" proctor scan --db "$DB" --events --exam SH-BENCH
  "$EXAM" proctor incidents --db "$DB" --exam SH-BENCH --json | python3 -c "$INCIDENT_LINES" > "$WORK/incidents-$backend.txt"
done
# PostgreSQL takes several writers at once (SQLite one): the same logs into a fresh database by two processes,
# half the rooms each.
psql -X -q -d "$URL" -c "CREATE DATABASE bench_proctor2" >/dev/null
PG2="${URL%/exam}/bench_proctor2"
"$EXAM" db migrate --db "$PG2" --quiet
"$BENCH" setup --db "$PG2" --centres "$CENTRES" --rooms 10 --seats 30 > /dev/null
LOGS=("$WORK"/logs/*.jsonl)
HALF=$(( ${#LOGS[@]} / 2 ))
START=$(date +%s.%N)
"$EXAM" proctor ingest --db "$PG2" --no-rules --exam SH-BENCH --quiet "${LOGS[@]:0:$HALF}" > /dev/null 2>&1 &
FIRST=$!
"$EXAM" proctor ingest --db "$PG2" --no-rules --exam SH-BENCH --quiet "${LOGS[@]:$HALF}" > /dev/null 2>&1 || [ $? -eq 65 ]
wait "$FIRST" || [ $? -eq 65 ]
printf "| proctor ingest --no-rules, 2 processes at once | postgres | %.2f | — |\n" "$(echo "$(date +%s.%N) - $START" | bc)"
echo "events stored by the two: $(psql -X -At -d "$PG2" -c "SELECT COUNT(*) FROM seat_event")"
echo
echo "incidents: sqlite $(wc -l < "$WORK/incidents-sqlite.txt"), postgres $(wc -l < "$WORK/incidents-postgres.txt")"
if cmp -s "$WORK/incidents-sqlite.txt" "$WORK/incidents-postgres.txt"; then
  echo "the same incidents on both backends"
else
  echo "the backends raised different incidents:"; diff "$WORK/incidents-sqlite.txt" "$WORK/incidents-postgres.txt" | head; exit 1
fi
