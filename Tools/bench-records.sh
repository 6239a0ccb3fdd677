#!/usr/bin/env bash
# Usage: [BACKENDS="sqlite postgres"] Tools/bench-records.sh [STUDENTS=100000] [SCHOOLS=100] — times `exam records`
# on a generated city (release build). Generates STUDENTS students in SCHOOLS schools (about 12 entries each) and one
# finalised result per student, then times import, sync, the JSON+CSV export of everyone, the HTML export of one
# school, and verify — on each backend of BACKENDS (default sqlite) in turn; postgres is a fresh database of a
# throw-away PostgreSQL 15 cluster (Tools/pg-cluster), and its exports are compared with SQLite's.
# Work happens in a temporary folder that is removed at the end (set KEEP=1 to keep it).
set -euo pipefail
STUDENTS="${1:-100000}"
SCHOOLS="${2:-100}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
swift build -c release --product exam 2>&1 | grep -E "error|Compiling|Build" | tail -3
EXAM="$(swift build -c release --show-bin-path)/exam"
# the store is seeded through ExamStorage's imports (Benchmarks/RecordsBenchSeed), never by writing its tables
(cd Benchmarks && swift build -c release --product records-bench-seed 2>&1 | grep -E "error|Build" | tail -3)
SEED="$(cd Benchmarks && swift build -c release --show-bin-path)/records-bench-seed"
WORK="$(mktemp -d /tmp/bench-records.XXXXXX)"
BACKENDS="${BACKENDS:-sqlite}"
chmod 755 "$WORK"  # a cluster under it runs as postgres, which must reach its folder
[ "${KEEP:-0}" = 1 ] || trap 'Tools/pg-cluster stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
export EXAM_NOW="2026-07-01T08:00:00Z"
timed() {  # timed LABEL COMMAND... — prints LABEL, wall seconds, CPU seconds (user+sys) and peak memory (GNU time)
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out"; exit 1; }
  read -r wall user sys kb < "$WORK/time"
  printf '%-52s wall %7.2f s   cpu %7.2f s   peak %5d MB\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$((kb / 1024))"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other builds on this 2-core machine inflate wall time)"
"$EXAM" keys generate "$WORK/office" > /dev/null
python3 Tools/make-sample-records.py --students "$STUDENTS" --schools "$SCHOOLS" --out "$WORK/records.csv"
for backend in $BACKENDS; do
export EXAM_DB="$WORK/exam.sqlite"
if [ "$backend" = postgres ]; then
  URL="$(Tools/pg-cluster start "$WORK/pg" | tail -1)"
  psql -X -q -d "$URL" -c "CREATE DATABASE bench_records" >/dev/null
  export EXAM_DB="${URL%/exam}/bench_records"
fi
echo "== $backend"
"$EXAM" init --operator bench > /dev/null
"$SEED" "$EXAM_DB" "$WORK/records.csv" > /dev/null
echo "city: $STUDENTS students, $SCHOOLS schools, $(($(wc -l < "$WORK/records.csv") - 1)) entries ($(du -h "$WORK/records.csv" | cut -f1) CSV)"
timed "records import (all entries, one transaction)" "$EXAM" records import "$WORK/records.csv" --quiet
timed "records sync --exam BENCH-2026" "$EXAM" records sync --exam BENCH-2026 --quiet
timed "records export json,csv (all $STUDENTS students)" "$EXAM" records export --format json,csv --out "$WORK/all-$backend" --sign "$WORK/office.key" --quiet
SCHOOL="$(sed -n 2p "$WORK/records.csv" | cut -d, -f4)"
IN_SCHOOL="$(cut -d, -f1,4 "$WORK/records.csv" | grep ",$SCHOOL\$" | sort -u | wc -l)"
timed "records export html (one school, $IN_SCHOOL students)" \
  "$EXAM" records export --format html --school "$SCHOOL" --out "$WORK/html-$backend" --sign "$WORK/office.key" --quiet
echo "  html pages: $(ls "$WORK/html-$backend/html" | wc -l) (incl. index.html)"
timed "records verify (json+csv export)" "$EXAM" records verify "$WORK/all-$backend" --pubkey "$WORK/office.pub"
echo "  records.json $(du -h "$WORK/all-$backend/records.json" | cut -f1), records.csv $(du -h "$WORK/all-$backend/records.csv" | cut -f1)"
if python3 -c "import jsonschema" 2>/dev/null && [ "$STUDENTS" -le 20000 ]; then
  python3 Tools/validate-records-export.py "$WORK/all-$backend"
fi
done
if [ -d "$WORK/all-sqlite" ] && [ -d "$WORK/all-postgres" ]; then
  for f in records.json records.csv; do
    cmp -s "$WORK/all-sqlite/$f" "$WORK/all-postgres/$f" && echo "$f: the same bytes from both backends" \
      || { echo "$f differs between the backends"; exit 1; }
  done
fi
