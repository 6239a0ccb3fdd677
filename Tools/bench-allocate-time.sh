#!/usr/bin/env bash
# Usage: Tools/bench-allocate-time.sh CITY_DIR... (TIME_LIMITS="2 4 6" by default)
# What a longer --time-limit buys (docs/benchmarks.md, Rooms, session 29): for each city directory holding a store
# with the city imported (ready.sqlite, as Tools/bench-allocate.sh makes it — or by hand: Tools/allocate-store.sh
# EXAM DIR/ready.sqlite, then `exam candidates import` and `exam centres import` into it) and its roster.csv /
# centres.yaml, the whole `exam allocate` at each time limit — bus trips, the rounds of column
# generation that guided the plan, wall time and peak memory — then the greedy baseline's planning
# (Tools/allocate-greedy.py) on the same files, in the same run. Each run starts from a copy of the store.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 CITY_DIR... (each with ready.sqlite, roster.csv, centres.yaml)" >&2; exit 64; }
cd "$ROOT"
swift build -c release --product exam 2>&1 | grep -E "error|Build" || true
EXAM="$(swift build -c release --show-bin-path)/exam"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export EXAM_OPERATOR_NOTE="bench"
for city in "$@"; do
  store="$city/ready.sqlite"
  [ -f "$store" ] || { echo "$store: no such store — import the city first (see the usage above)" >&2; exit 66; }
  for limit in ${TIME_LIMITS:-2 4 6}; do
    cp "$store" "$WORK/store.sqlite"
    if ! out=$( { EXAM_DB="$WORK/store.sqlite" /usr/bin/time -f "%e s %M KB" \
      "$EXAM" allocate --exam SH-2026-EL --seed 1 --time-limit "$limit"; } 2>&1 ); then
      echo "$out" >&2
      exit 1
    fi
    trips=$(echo "$out" | grep "school bus trips" | awk '{print $(NF-1)}')
    rounds=$(echo "$out" | grep -o "guided by [0-9]* rounds" | awk '{print $3}' || true)
    echo "$(basename "$city") time-limit $limit: trips $trips, guide rounds ${rounds:-0}, $(echo "$out" | tail -1)"
  done
  echo "$(basename "$city") greedy: $(python3 "$ROOT/Tools/allocate-greedy.py" "$city" | tail -1)"
done
