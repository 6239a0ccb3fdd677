#!/usr/bin/env bash
# Usage: Tools/bench-setup.sh [a|b] [SEED]
# The set-up of a 100,000-candidate sitting (docs/benchmarks.md, "Set-up on PostgreSQL"), on both backends side
# by side in one run: each step of `exam` (release build) on a fresh SQLite store and on a fresh database of a
# throw-away PostgreSQL 15 cluster (Tools/pg-cluster, on this machine), timed under /usr/bin/time (wall time and
# the client's peak memory; the server's memory is not in it). The city is Tools/make-city.py's (a) or
# Tools/make-city-b.py's (b); the pack is ExamPacks/SH-2026-EL, signed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL="${1:-a}"
SEED="${2:-1}"
CITY="$ROOT/.build-city/$MODEL-$SEED"
mkdir -p "$CITY"
if [ ! -f "$CITY/roster.csv" ]; then
  if [ "$MODEL" = a ]; then python3 "$ROOT/Tools/make-city.py" "$CITY"; else python3 "$ROOT/Tools/make-city-b.py" --seed "$SEED" "$CITY"; fi
fi
cd "$ROOT"
swift build -c release --product exam 2>&1 | grep -E "error|Build" || true
EXAM="$(swift build -c release --show-bin-path)/exam"
WORK="$(mktemp -d /tmp/bench-setup.XXXXXX)"
chmod 755 "$WORK"  # the cluster under it runs as postgres, which must reach its folder
trap 'Tools/pg-cluster stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
URL="$(Tools/pg-cluster start "$WORK/pg" | tail -1)"
psql -X -q -d "$URL" -c "CREATE DATABASE bench_setup" >/dev/null
PG="${URL%/exam}/bench_setup"
"$EXAM" keys generate "$WORK/office" > /dev/null
"$EXAM" pack build "$ROOT/ExamPacks/SH-2026-EL" -o "$WORK/exam.exampack" --sign "$WORK/office.key" > /dev/null

# step NAME BACKEND ARGS… — runs `exam ARGS…`, prints one row: step, backend, wall seconds, peak MB.
step() {
  local name="$1" backend="$2"; shift 2
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$EXAM" "$@" --operator bench > "$WORK/out" 2>&1 || {
    cat "$WORK/out" >&2; exit 1; }
  read -r wall kb < "$WORK/time"
  printf "| %s | %s | %s | %d |\n" "$name" "$backend" "$wall" "$((kb / 1024))"
}

echo "| step | backend | wall s | peak MB (client) |"
echo "|---|---|---|---|"
for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then db=(--db "$WORK/exam.sqlite"); else db=(--db "$PG" --store "$WORK/shared-store"); fi
  step "exam init" "$backend" init "${db[@]}"
  step "keys trust" "$backend" keys trust "$WORK/office.pub" "${db[@]}"
  step "pack import" "$backend" pack import "$WORK/exam.exampack" "${db[@]}"
  step "candidates import (100,000)" "$backend" candidates import "$CITY/roster.csv" "${db[@]}"
  step "candidates import, again (unchanged)" "$backend" candidates import "$CITY/roster.csv" "${db[@]}"
  step "centres import" "$backend" centres import "$CITY/centres.yaml" "${db[@]}"
  step "allocate --seed 1" "$backend" allocate --exam SH-2026-EL --seed 1 "${db[@]}"
  step "allocate export --format csv" "$backend" allocate export --exam SH-2026-EL --out "$WORK/plans-$backend" "${db[@]}"
done
# The same plan and the same exports from both backends.
if cmp -s "$WORK/plans-sqlite/seats.csv" "$WORK/plans-postgres/seats.csv" \
  && cmp -s "$WORK/plans-sqlite/tickets.csv" "$WORK/plans-postgres/tickets.csv"; then
  echo "seats.csv and tickets.csv: identical on both backends"
else
  echo "seats.csv or tickets.csv DIFFER between the backends" >&2; exit 1
fi
