#!/usr/bin/env bash
# Usage: Tools/bench-allocate-builds.sh EXAM_BEFORE EXAM_NOW CITY_DIR...
# Two builds of `exam` side by side on the same stores (docs/benchmarks.md, Rooms): for each CITY_DIR holding a
# ready.sqlite (a store with the city imported and nothing allocated: Tools/bench-allocate.sh's .build-city/*, or
# one made by Tools/allocate-store.sh + `exam candidates import` + `exam centres import`), 4 runs of each build's
# `exam allocate --seed 1` alternating (whole command, wall seconds, each on a fresh copy of the store), the bus
# trips of each, and the greedy baseline once (Tools/allocate-greedy.py, when CITY_DIR has roster.csv and
# centres.yaml: its trips and planning seconds). One line per city. (Tools/bench-allocate-time.sh instead times
# one build at several --time-limit values.)
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 EXAM_BEFORE EXAM_NOW CITY_DIR... (each with ready.sqlite)" >&2; exit 64; }
BEFORE="$1"
NOW="$2"
shift 2
for exam in "$BEFORE" "$NOW"; do
  [ -x "$exam" ] || { echo "$exam: not an executable exam binary — give two builds, e.g. a copy of .build/release/exam" >&2; exit 66; }
done
for city in "$@"; do
  [ -f "$city/ready.sqlite" ] || { echo "$city/ready.sqlite: no such store — import the city first (Tools/bench-allocate-time.sh's usage says how)" >&2; exit 66; }
done
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for city in "$@"; do
  declare -A times=([before]="" [now]="")
  declare -A trips=()
  for _ in 1 2 3 4; do
    for which in before now; do
      exam="$BEFORE"
      [ "$which" = now ] && exam="$NOW"
      cp "$city/ready.sqlite" "$WORK/run.sqlite"
      out=$(EXAM_DB="$WORK/run.sqlite" /usr/bin/time -f "TIME %e" "$exam" allocate --seed 1 2>&1)
      times[$which]="${times[$which]} $(echo "$out" | awk '/^TIME/ {print $2}')"
      trips[$which]=$(echo "$out" | awk '/school bus trips/ {print $(NF-1)}')
    done
  done
  greedy="-"
  if [ -f "$city/roster.csv" ] && [ -f "$city/centres.yaml" ]; then
    greedy=$(python3 "$ROOT/Tools/allocate-greedy.py" "$city" | grep -oE '"trips": [0-9]+, "seconds": [0-9.]+')
  fi
  echo "$(basename "$city") | before ${trips[before]} trips, s:${times[before]} | now ${trips[now]} trips, s:${times[now]} | greedy: $greedy"
done
