#!/usr/bin/env bash
# Usage: Tools/bench-allocate.sh [a|b] [SEED] [CPSAT_SECONDS]
# The 100,000-candidate allocation benchmark of docs/benchmarks.md, side by side in one run:
#   a — the city of issue 3 (Tools/make-city.py: 800 schools, 16 districts, 300 centres, 4 sessions);
#   b — a city of the second model (Tools/make-city-b.py --seed SEED: heavy-tailed schools, short districts,
#       rooms of every shape, capacity 1.02-1.5x).
# Builds `exam` in release mode, imports the city into a fresh store in .build-city/, times
# `exam allocate --json` under /usr/bin/time -v (wall, CPU, peak memory of the whole command), then runs the greedy
# baseline (Tools/allocate-greedy.py) and, when CPSAT_SECONDS is given and OR-Tools is installed,
# CP-SAT (Tools/allocate-cpsat.py) on the same files.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL="${1:-a}"
SEED="${2:-1}"
CPSAT_SECONDS="${3:-}"
CITY="$ROOT/.build-city/$MODEL-$SEED"
mkdir -p "$CITY"
if [ ! -f "$CITY/roster.csv" ]; then
  if [ "$MODEL" = a ]; then python3 "$ROOT/Tools/make-city.py" "$CITY"; else python3 "$ROOT/Tools/make-city-b.py" --seed "$SEED" "$CITY"; fi
fi
cd "$ROOT"
swift build -c release --product exam 2>&1 | grep -E "error|Build" || true
EXAM="$(swift build -c release --show-bin-path)/exam"
export EXAM_OPERATOR_NOTE="bench"
if [ ! -f "$CITY/ready.sqlite" ]; then
  "$ROOT/Tools/allocate-store.sh" "$EXAM" "$CITY/ready.sqlite"
  export EXAM_DB="$CITY/ready.sqlite"
  "$EXAM" candidates import "$CITY/roster.csv" | tail -1
  "$EXAM" centres import "$CITY/centres.yaml" | tail -1
fi
export EXAM_DB="$CITY/bench.sqlite"
cp "$CITY/ready.sqlite" "$EXAM_DB"
echo "== exam allocate (seed 1)"
/usr/bin/time -v "$EXAM" allocate --exam SH-2026-EL --seed 1 2> "$CITY/time.txt" | tail -14
grep -E "Elapsed|User time|System time|Maximum resident" "$CITY/time.txt"
echo "== greedy baseline (Python, checkerboard per school)"
python3 "$ROOT/Tools/allocate-greedy.py" "$CITY"
if [ -n "$CPSAT_SECONDS" ] && python3 -c "import ortools" 2> /dev/null; then
  echo "== CP-SAT, $CPSAT_SECONDS s"
  python3 "$ROOT/Tools/allocate-cpsat.py" "$CITY" --time-limit "$CPSAT_SECONDS"
fi
