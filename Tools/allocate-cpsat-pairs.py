#!/usr/bin/env python3
"""Usage: Tools/allocate-cpsat-pairs.py CITY_DIR [--time-limit SECONDS] [--workers N] [--zero]

OR-Tools CP-SAT (pip install ortools; never a dependency of the build or the tests) on the first soft objective of
`exam allocate` for a city of Tools/make-city.py or Tools/make-city-b.py where capacity is too tight for a plan
without same-school neighbours: the fewest same-school neighbour pairs (left, right, front, back) under the hard
rules, seat by seat. Prints one JSON line: the fewest pairs found, CP-SAT's proven lower bound, its status and the
wall time — what docs/benchmarks.md compares the planner's pairs and its printed bound with.

The model: b[school, session, room, seat] = 1 when a candidate of the school sits there (only rooms of centres its
district may reach); each usable seat holds at most one; each school seats all its candidates; a school's
accessible-seat candidates fit in the accessible rooms it takes; separate-room candidates are placed first by the
planner's own rule (`City.separate_rooms`), so their room-sessions are out of the model. A pair variable per school
and pair of neighbouring seats is 1 when both hold that school. Bus trips are not in the model (they come after
the pairs in the order of objectives).

--zero asks only whether a plan without same-school neighbours exists (every pair forbidden): FEASIBLE or
INFEASIBLE (a proof that none exists, seat by seat, whatever the classes), or UNKNOWN at the time limit.
"""
import json
import sys
import time

from ortools.sat.python import cp_model

from seatplan_city import City, solver_options


def neighbour_pairs(room):
    cells = {(s[1], s[2]): s[0] for s in room.usable}
    return [(seat, cells[(r, c + dc)] if dc else cells[(r + 1, c)])
            for (r, c), seat in cells.items() for dc in (0, 1)
            if ((r, c + 1) if dc else (r + 1, c)) in cells]


def main(argv):
    args = argv[1:]
    limit, workers = solver_options(args)
    zero = "--zero" in args
    if zero:
        args.remove("--zero")
    if len(args) != 1:
        sys.exit(__doc__)
    city = City(args[0])
    start = time.perf_counter()
    exclusive = city.separate_rooms()
    demand = city.demand()
    model = cp_model.CpModel()
    seat_terms, pair_terms = {}, []
    for school, (district, regular, accessible) in demand.items():
        taken, in_accessible = [], []
        for s in city.sessions:
            for r in city.rooms:
                if (s, r.centre, r.id) in exclusive or not r.usable or not city.reachable(district, r.centre):
                    continue
                here = {}
                for seat in r.usable:
                    x = model.NewBoolVar("")
                    here[seat[0]] = x
                    seat_terms.setdefault((s, r.centre, r.id, seat[0]), []).append(x)
                    taken.append(x)
                    if r.accessible:
                        in_accessible.append(x)
                for u, v in neighbour_pairs(r):
                    if zero:
                        model.AddBoolOr([here[u].Not(), here[v].Not()])
                        continue
                    p = model.NewBoolVar("")
                    model.Add(p >= here[u] + here[v] - 1)
                    pair_terms.append(p)
        model.Add(sum(taken) == regular + accessible)
        if accessible:
            model.Add(sum(in_accessible) >= accessible)
    for terms in seat_terms.values():
        if len(terms) > 1:
            model.AddAtMostOne(terms)
    if not zero:
        model.Minimize(sum(pair_terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    status = solver.Solve(model)
    out = {"status": solver.StatusName(status), "seconds": round(time.perf_counter() - start, 1)}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and not zero:
        out["pairs"] = int(solver.ObjectiveValue())
        out["pairs_bound"] = int(solver.BestObjectiveBound() + 0.999)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
