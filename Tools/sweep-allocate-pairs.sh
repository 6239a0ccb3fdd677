#!/usr/bin/env bash
# Usage: Tools/sweep-allocate-pairs.sh BENCH_ALLOCATE OUT_DIR [SEEDS] [CPSAT_SECONDS] [FIRST_SEED]
# Same-school neighbours on small cities, checked seat by seat (docs/benchmarks.md, Rooms): for seeds FIRST_SEED
# (default 1) to SEEDS, Tools/make-city-b.py cities of 1,000 and 2,000 candidates, plain and --wide, planned by
# BENCH_ALLOCATE (Benchmarks/.build/release/bench-allocate: the planner and its independent check, no store). Where the plan has
# same-school pairs, Tools/allocate-cpsat-pairs.py (OR-Tools CP-SAT) asks whether any plan without them exists
# (--zero: INFEASIBLE is a proof that none does) and looks for the fewest pairs for CPSAT_SECONDS (default 60).
# One TSV line per city in OUT_DIR/pairs.tsv; then Tools/sweep-pairs-summary.py OUT_DIR/pairs.tsv.
set -euo pipefail
BENCH="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
OUT="$2"
SEEDS="${3:-40}"
CPSAT_SECONDS="${4:-60}"
FIRST="${5:-1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
python3 -c "import ortools" 2> /dev/null || { echo "needs OR-Tools: pip install ortools" >&2; exit 1; }
mkdir -p "$OUT"
printf "city\tcandidates\tpairs\tpairs_bound\tpair_free\tcpsat_pairs\tcpsat_pairs_bound\tcpsat_status\n" > "$OUT/pairs.tsv"
for k in $(seq "$FIRST" "$SEEDS"); do
  for n in 1000 2000; do
    for wide in "" "--wide"; do
      name="B${wide:+w}-$k-$n"
      python3 "$ROOT/Tools/make-city-b.py" --seed "$k" --candidates "$n" $wide "$OUT/$name" > /dev/null
      # A city the planner refuses (its shortage check names what cannot be seated) is recorded as such.
      report=$("$BENCH" "$OUT/$name" --json 2> "$OUT/$name/refused.txt") || report='{}'
      zero='{}'
      best='{}'
      if python3 -c 'import json, sys; sys.exit(json.loads(sys.argv[1]).get("sameSchoolNeighbours", 0) == 0)' "$report"; then
        zero=$(python3 "$ROOT/Tools/allocate-cpsat-pairs.py" "$OUT/$name" --zero --time-limit 60)
        best=$(python3 "$ROOT/Tools/allocate-cpsat-pairs.py" "$OUT/$name" --time-limit "$CPSAT_SECONDS")
      fi
      python3 - "$name" "$n" "$report" "$zero" "$best" >> "$OUT/pairs.tsv" <<'PY'
import json, sys
name, n, report, zero, best = sys.argv[1:]
q, z, b = json.loads(report), json.loads(zero), json.loads(best)
free = {"FEASIBLE": "yes", "OPTIMAL": "yes", "INFEASIBLE": "no"}.get(z.get("status"), "unknown") if z else "-"
if not q:
    print("\t".join([name, n, "refused", "-", "-", "-", "-", "-"]))
    sys.exit()
print("\t".join(str(x) for x in [name, n, q["sameSchoolNeighbours"], q["sameSchoolNeighboursLowerBound"], free,
    b.get("pairs", "-"), b.get("pairs_bound", "-"), b.get("status", "-")]))
PY
      tail -1 "$OUT/pairs.tsv"
    done
  done
done
