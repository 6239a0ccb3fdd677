#!/usr/bin/env bash
# Usage: Tools/bench-allocate-exact.sh EXAM_BINARY OUT_DIR [CITIES] [CPSAT_SECONDS]
# `exam allocate --exact` on small cities (docs/benchmarks.md, Rooms): CITIES cities of Tools/make-city-b.py
# (seeds 1…, 1,000–5,000 candidates, every other one --wide), each through `exam candidates import`, `exam centres
# import`, then `exam allocate` (the search alone), `exam allocate --exact` (CBC) and, when OR-Tools is installed,
# Tools/allocate-cpsat.py with CPSAT_SECONDS (default 60) on the same centre-session model. One TSV line per city
# in OUT_DIR/exact.tsv (trips of the model: the search's, the program's, its proven bound; CP-SAT's and its bound).
set -euo pipefail
EXAM="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
OUT="$2"
CITIES="${3:-10}"
CPSAT_SECONDS="${4:-60}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$OUT"
export EXAM_OPERATOR_NOTE="bench-exact"
[ -f "$OUT/template.sqlite" ] || "$ROOT/Tools/allocate-store.sh" "$EXAM" "$OUT/template.sqlite"
SIZES=(1000 2000 3000 5000)
printf "city\tcandidates\tsearch_trips\texact_trips\tbound\tproven\tnodes\texact_s\tsearch_s\tpairs\tpairs_bound\tplan_trips_search\tplan_trips_exact\tcpsat_trips\tcpsat_bound\tcpsat_status\n" > "$OUT/exact.tsv"
for k in $(seq 1 "$CITIES"); do
  n=${SIZES[$((k % ${#SIZES[@]}))]}
  name="B-$k"; wide=""
  if [ $((k % 2)) -eq 0 ]; then name="Bw-$k"; wide="--wide"; fi
  python3 "$ROOT/Tools/make-city-b.py" --seed "$k" --candidates "$n" $wide "$OUT/$name" > /dev/null
  export EXAM_DB="$OUT/$name/exam.sqlite"
  cp "$OUT/template.sqlite" "$EXAM_DB"
  "$EXAM" candidates import "$OUT/$name/roster.csv" > /dev/null
  "$EXAM" centres import "$OUT/$name/centres.yaml" > /dev/null
  /usr/bin/time -f "%e" -o "$OUT/$name/search.time" "$EXAM" allocate --exam SH-2026-EL --json > "$OUT/$name/search.json"
  /usr/bin/time -f "%e" -o "$OUT/$name/exact.time" "$EXAM" allocate --exam SH-2026-EL --exact --json \
    > "$OUT/$name/exact.json"
  cpsat='{}'
  if python3 -c "import ortools" 2> /dev/null; then
    cpsat=$(python3 "$ROOT/Tools/allocate-cpsat.py" "$OUT/$name" --time-limit "$CPSAT_SECONDS")
  fi
  python3 - "$name" "$n" "$OUT/$name" "$cpsat" >> "$OUT/exact.tsv" <<'PY'
import json, sys
name, n, folder, cpsat = sys.argv[1:]
s, e, c = json.load(open(f"{folder}/search.json")), json.load(open(f"{folder}/exact.json")), json.loads(cpsat)
x = e["exactTrips"]
t = lambda f: open(f"{folder}/{f}").read().split()[-1]
print("\t".join(str(v) for v in [name, n, x["searchTrips"], x["trips"], x["bound"], x["provenOptimal"], x["nodes"],
    t("exact.time"), t("search.time"), e["sameSchoolNeighbours"], e["sameSchoolNeighboursLowerBound"], s["schoolTrips"],
    e["schoolTrips"], c.get("trips", "-"), c.get("trips_bound", "-"), c.get("status", "-")]))
PY
  tail -1 "$OUT/exact.tsv"
  rm -f "$EXAM_DB"
done
