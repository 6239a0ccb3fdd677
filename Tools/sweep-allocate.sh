#!/usr/bin/env bash
# Usage: Tools/sweep-allocate.sh EXAM_BINARY OUT_DIR [CITIES] [CPSAT_SECONDS] [FIRST]
# The seat-planner sweep of docs/benchmarks.md: CITIES random cities (default 50) of 1k–100k candidates:
# Tools/make-city-b.py (seeds 1…, capacity 1.02–1.5×; every other one with --wide: up to 8 % accessible-seat
# and 1 % separate-room candidates, up to half the centres with one room) and, every fifth city,
# Tools/make-city.py (the first model, scaled with --candidates), each run through `exam candidates import`, `exam centres import` and
# `exam allocate --json` (timed with /usr/bin/time), beside the greedy baseline (Tools/allocate-greedy.py) on the
# same files and, for cities of at most 5,000 candidates when `python3 -c "import ortools"` works, CP-SAT
# (Tools/allocate-cpsat.py, CPSAT_SECONDS, default 30). One TSV line per city in OUT_DIR/sweep.tsv; then
# Tools/sweep-summary.py OUT_DIR/sweep.tsv prints the distribution of the gaps to the bounds (trips_bound: the
# report's best bound on trips without same-school neighbours — by column generation up to 20,000 candidates, the
# per-school bound above that). FIRST (default 1)
# starts at that city, so two halves can run side by side into two OUT_DIRs (summarise both TSVs together).
# SWEEP_TIGHT=1 also runs, untimed, `exam allocate --tight-bound --json` on the cities above 20,000 candidates, so
# that their trips_bound is the column-generation bound too (10-35 s more per 100k city).
# SWEEP_TIME_LIMIT=S passes --time-limit S to the timed run (above 60,000 candidates the seconds beyond 2 guide a
# second plan by column generation; docs/benchmarks.md, Rooms, session 29).
# EXAM_BINARY may instead be bench-allocate (Benchmarks/, `swift build -c release --product bench-allocate`): the
# same SeatPlanner on the same files without the store (no import), timed the same way.
set -euo pipefail
EXAM="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
OUT="$2"
CITIES="${3:-50}"
CPSAT_SECONDS="${4:-30}"
FIRST="${5:-1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$OUT"
export EXAM_OPERATOR_NOTE="sweep"
BENCH=0
case "$(basename "$EXAM")" in bench-allocate*) BENCH=1 ;; esac
# One store with the sample exam, copied for each city.
if [ "$BENCH" = 0 ] && [ ! -f "$OUT/template.sqlite" ]; then "$ROOT/Tools/allocate-store.sh" "$EXAM" "$OUT/template.sqlite"; fi
LIMIT=()
if [ -n "${SWEEP_TIME_LIMIT:-}" ]; then LIMIT=(--time-limit "$SWEEP_TIME_LIMIT"); fi
CPSAT=0
if python3 -c "import ortools" 2> /dev/null; then CPSAT=1; fi
SIZES=(1000 2000 3000 5000 10000 20000 50000 100000)
printf "city\tcandidates\tpairs\tpairs_bound\ttrips\ttrips_bound\tallocate_s\tgreedy_pairs\tgreedy_trips\tgreedy_s\tcpsat_trips\tcpsat_bound\tcpsat_status\n" > "$OUT/sweep.tsv"
for k in $(seq "$FIRST" "$CITIES"); do
  n=${SIZES[$((k % ${#SIZES[@]}))]}
  if [ $((k % 5)) -eq 0 ]; then
    name="A-$k"; n=${SIZES[$(((k / 5) % ${#SIZES[@]}))]}
    mkdir -p "$OUT/$name"
    python3 "$ROOT/Tools/make-city.py" --seed "$k" --candidates "$n" "$OUT/$name" > /dev/null
  elif [ $((k % 2)) -eq 0 ]; then
    name="Bw-$k"
    python3 "$ROOT/Tools/make-city-b.py" --seed "$k" --candidates "$n" --wide "$OUT/$name" > /dev/null
  else
    name="B-$k"
    python3 "$ROOT/Tools/make-city-b.py" --seed "$k" --candidates "$n" "$OUT/$name" > /dev/null
  fi
  rm -f "$OUT/$name/quality-tight.json"  # left from an earlier SWEEP_TIGHT run: not this one's
  if [ "$BENCH" = 1 ]; then
    /usr/bin/time -f "%e" -o "$OUT/$name/time.txt" "$EXAM" "$OUT/$name" --seed 1 ${LIMIT[@]+"${LIMIT[@]}"} --json > "$OUT/$name/quality.json"
  else
    export EXAM_DB="$OUT/$name/exam.sqlite"
    cp "$OUT/template.sqlite" "$EXAM_DB"
    "$EXAM" candidates import "$OUT/$name/roster.csv" > /dev/null
    "$EXAM" centres import "$OUT/$name/centres.yaml" > /dev/null
    /usr/bin/time -f "%e" -o "$OUT/$name/time.txt" "$EXAM" allocate --exam SH-2026-EL --seed 1 ${LIMIT[@]+"${LIMIT[@]}"} --json \
      > "$OUT/$name/quality.json"
    if [ "${SWEEP_TIGHT:-0}" = 1 ] && [ "$n" -gt 20000 ]; then
      "$EXAM" allocate --exam SH-2026-EL --seed 1 --tight-bound --json > "$OUT/$name/quality-tight.json"
    fi
  fi
  greedy=$(python3 "$ROOT/Tools/allocate-greedy.py" "$OUT/$name")
  cpsat='{}'
  if [ "$CPSAT" = 1 ] && [ "$n" -le 5000 ]; then
    cpsat=$(python3 "$ROOT/Tools/allocate-cpsat.py" "$OUT/$name" --time-limit "$CPSAT_SECONDS")
  fi
  python3 - "$name" "$n" "$OUT/$name" "$greedy" "$cpsat" >> "$OUT/sweep.tsv" <<'EOF'
import json, sys
name, n, folder, greedy, cpsat = sys.argv[1:]
q = json.load(open(f"{folder}/quality.json"))
try:  # SWEEP_TIGHT=1: the same plan's column-generation bound, computed untimed
    q["schoolTripsColumnGenerationLowerBound"] = json.load(open(f"{folder}/quality-tight.json"))["schoolTripsColumnGenerationLowerBound"]
except FileNotFoundError:
    pass
g, c = json.loads(greedy), json.loads(cpsat)
seconds = open(f"{folder}/time.txt").read().split()[-1]
print("\t".join(str(x) for x in [name, n, q["sameSchoolNeighbours"], q["sameSchoolNeighboursLowerBound"], q["schoolTrips"],
    q.get("schoolTripsColumnGenerationLowerBound") or q["schoolTripsWithoutNeighboursLowerBound"], seconds, g["same_school_pairs"], g["trips"], g["seconds"],
    c.get("trips", "-"), c.get("trips_bound", "-"), c.get("status", "-")]))
EOF
  tail -1 "$OUT/sweep.tsv"
  rm -f "$OUT/$name/exam.sqlite"
done
