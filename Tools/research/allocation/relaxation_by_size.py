#!/usr/bin/env python3
"""Usage: Tools/research/allocation/relaxation_by_size.py STORE TRIPS_TSV CITY_DIR

Where an allocated plan rides more than the relaxation (docs/benchmarks.md, Rooms, session 35; not part of the
build or the tests). STORE is an exam store after `exam allocate`; TRIPS_TSV the converged column-generation
master's trips per school (`district/school<TAB>Σ weight × centre-sessions`), written by a build with
relaxation-trips-trace.patch applied: `LP_TRIPS=TRIPS_TSV EXAM_DB=COPY exam allocate --tight-bound`. Prints, per
class of each school's fewest centre-sessions k (Tools/allocate-trips-by-size.py's `fewest_bins`), the schools,
their per-school bound, the relaxation's trips and the plan's.
Needs: python3-yaml, and OR-Tools (pip install ortools) for allocate-cpsat.py's model.
"""
import collections
import importlib.util
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("by_size", TOOLS / "allocate-trips-by-size.py")
by_size = importlib.util.module_from_spec(spec)
spec.loader.exec_module(by_size)

if len(sys.argv) != 4:
    sys.exit(__doc__)
bins, size, district = by_size.load(sys.argv[1])
relaxed = {}
for line in open(sys.argv[2], encoding="utf-8"):
    school, trips = line.rstrip("\n").split("\t")
    relaxed[school] = float(trips)
fewest = by_size.fewest_bins(sys.argv[3], size, district)
rows = collections.defaultdict(lambda: [0, 0, 0.0, 0])
for school in size:
    k = fewest[school]
    if k == 1:
        key = "k = 1, under 100" if size[school] < 100 else "k = 1, 100 or more"
    else:
        key = f"k = {k}" if k < 6 else "k >= 6"
    row = rows[key]
    row[0] += 1
    row[1] += k
    row[2] += relaxed.get(school, 0.0)
    row[3] += len(bins[school])
print("schools | count | per-school bound | relaxation | plan")
for key in sorted(rows):
    count, bound, lp, plan = rows[key]
    print(f"{key} | {count} | {bound} | {lp:.1f} | {plan}")
missing = [s for s in size if s not in relaxed]
if missing:
    print(f"{len(missing)} schools not in {sys.argv[2]} (e.g. {missing[0]}): a trace of another city?", file=sys.stderr)
