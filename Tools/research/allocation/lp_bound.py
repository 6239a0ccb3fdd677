#!/usr/bin/env python3
"""Usage: Tools/research/allocation/lp_bound.py CITY_DIR lp|mip [SECONDS] [OUT.mps]

The measurements behind `exam allocate --exact`'s choice (docs/benchmarks.md, Rooms, session 9); not part of the
build or the tests. Builds Tools/allocate-cpsat.py's centre-session model of a city (Tools/make-city-b.py) plus
each school's fewest-bins cut, then
  lp   solves its linear relaxation with OR-Tools' GLOP (is the LP bound tighter than the per-school bound?);
  mip  solves it as a MIP with OR-Tools' SCIP for SECONDS, and with OUT.mps writes the model for CBC's
       command line (Debian coinor-cbc): cbc OUT.mps sec 60 solve quit
Prints one dict: objective, SCIP's bound, the per-school bound, model size, build and solve seconds.
Needs: pip install ortools; python3-yaml.
"""
import sys, time, importlib.util
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
spec = importlib.util.spec_from_file_location("cp", ROOT / "allocate-cpsat.py"); cp = importlib.util.module_from_spec(spec); spec.loader.exec_module(cp)
from seatplan_city import City
from ortools.linear_solver import pywraplp
city = City(sys.argv[1]); mode = sys.argv[2] if len(sys.argv) > 2 else "lp"
t0 = time.perf_counter()
anchors, parts, demand = cp.centre_session_model(city)
solver = pywraplp.Solver.CreateSolver("GLOP" if mode == "lp" else "SCIP")
inf = solver.infinity()
load = {p: [] for p in parts}; trips = []; persch = 0
for school, (district, regular, accessible) in demand.items():
    n = regular + accessible
    rt, at, uses, caps = [], [], {}, {}
    for (s, c, ap), (seats, wide) in parts.items():
        if not city.reachable(district, c): continue
        if (s, c) not in uses:
            uses[(s, c)] = solver.NumVar(0, 1, "") if mode == "lp" else solver.BoolVar(""); trips.append(uses[(s, c)]); caps[(s,c)] = 0
        y = uses[(s, c)]; cap = min(n, wide, seats)
        if not ap or accessible == 0: caps[(s,c)] += min(regular, cap)
        else: caps[(s,c)] += cap
        xr = solver.NumVar(0, min(regular, cap), ""); rt.append(xr); terms = [xr]
        if ap and accessible:
            xa = solver.NumVar(0, min(accessible, cap), ""); at.append(xa); terms.append(xa)
        solver.Add(sum(terms) <= cap * y); load[(s, c, ap)] += terms
    solver.Add(sum(rt) == regular)
    if accessible: solver.Add(sum(at) == accessible)
    # per-school cut: fewest bins whose capacities cover n
    cs = sorted((min(n, v) for v in caps.values()), reverse=True); k = 0; tot = 0
    while tot < n and k < len(cs): tot += cs[k]; k += 1
    persch += k
    solver.Add(sum(uses.values()) >= k)
for p, terms in load.items():
    if terms: solver.Add(sum(terms) <= parts[p][0])
solver.Minimize(sum(trips))
t1 = time.perf_counter()
if mode != "lp": solver.SetTimeLimit(int(float(sys.argv[3]) * 1000))
st = solver.Solve()
print(dict(mode=mode, status=st, obj=solver.Objective().Value(), bound=solver.Objective().BestBound() if mode!="lp" else None, perschool=persch, vars=solver.NumVariables(), rows=solver.NumConstraints(), build=round(t1-t0,1), solve=round(time.perf_counter()-t1,1)))
if len(sys.argv) > 4:
    open(sys.argv[4], "w").write(solver.ExportModelAsMpsFormat(False, False))
