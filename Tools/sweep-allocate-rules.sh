#!/usr/bin/env bash
# Usage: Tools/sweep-allocate-rules.sh BENCH_ALLOCATE [FIRST_SEED] [LAST_SEED]
# The seat planner's promise on many small cities, fast: every city either gets a plan that its independent check
# passes (every hard rule) or is refused with a shortage that names its districts. For seeds FIRST_SEED (default 1)
# to LAST_SEED (default 100): Tools/make-city-b.py at 1,000 and 3,000 candidates, plain and --wide, and
# Tools/make-city.py at 1,000 and 5,000, planned by BENCH_ALLOCATE (Benchmarks/.build/release/bench-allocate, the
# planner and its check without the store; about 0.5 s a city). Prints a line per city that is neither, keeps
# that city's files under ${TMPDIR:-/tmp}/sweep-allocate-rules/ for a test, and ends with the counts; exits 1 if
# any city failed. (docs/benchmarks.md, Rooms, session 30: it found packing from a dry run losing accessible-seat
# candidates on 6 of 152 cities.)
set -euo pipefail
BENCH="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
FIRST="${2:-1}"
LAST="${3:-100}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${TMPDIR:-/tmp}/sweep-allocate-rules"
mkdir -p "$WORK"
planned=0
refused=0
failed=0
check() { # NAME DIR
  local out
  out=$("$BENCH" "$2" --json 2>&1) || true
  if grep -q '"violations":{}' <<< "$out"; then
    planned=$((planned + 1))
  elif grep -q "cannot be placed" <<< "$out"; then
    refused=$((refused + 1))
  else
    failed=$((failed + 1))
    echo "$1: $(head -c 300 <<< "$out") (files: $2)"
    return
  fi
  rm -rf "$2"
}
for k in $(seq "$FIRST" "$LAST"); do
  for n in 1000 3000; do
    for wide in "" "--wide"; do
      name="B${wide:+w}-$k-$n"
      python3 "$ROOT/Tools/make-city-b.py" --seed "$k" --candidates "$n" $wide "$WORK/$name" > /dev/null
      check "$name" "$WORK/$name"
    done
  done
  for n in 1000 5000; do
    name="A-$k-$n"
    python3 "$ROOT/Tools/make-city.py" --seed "$k" --candidates "$n" "$WORK/$name" > /dev/null
    check "$name" "$WORK/$name"
  done
done
echo "cities: $((planned + refused + failed)); planned, every hard rule kept: $planned; refused with a shortage: $refused; failed: $failed"
[ "$failed" -eq 0 ]
