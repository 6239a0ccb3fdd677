#!/usr/bin/env bash
# Usage: Tools/bench-allocate.sh [SEED] — generates the city of issue 3 (Tools/make-city.py: 100,000 candidates,
# 800 schools, 16 districts, 300 centres, 1,200 rooms, 4 sessions) in .build-city/, builds bench-allocate (nested package Benchmarks/) in
# release mode, and runs it under /usr/bin/time -v (wall time and peak memory of the whole process).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SEED="${1:-1}"
CITY="$ROOT/.build-city"
mkdir -p "$CITY"
if [ ! -f "$CITY/roster.csv" ]; then python3 "$ROOT/Tools/make-city.py" "$CITY"; fi
cd "$ROOT"
cd Benchmarks  # the bench executables live in the nested package
swift build -c release --product bench-allocate 2>&1 | grep -E "error|Compiling bench|Build" || true
BIN="$(swift build -c release --show-bin-path)/bench-allocate"
cd "$ROOT"
echo "== planner only (the allocation itself)"
/usr/bin/time -v "$BIN" "$CITY" --seed "$SEED" 2> "$CITY/time-plan.txt"
grep -E "Elapsed|Maximum resident" "$CITY/time-plan.txt"
echo "== with the store (what \`exam allocate\` does)"
/usr/bin/time -v "$BIN" "$CITY" --seed "$SEED" --store "$CITY/bench.sqlite" 2> "$CITY/time-store.txt" | grep -E "^(parse|plan|command)"
grep -E "Elapsed|Maximum resident" "$CITY/time-store.txt"
