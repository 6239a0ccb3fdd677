#!/usr/bin/env python3
"""Usage: Tools/allocate-cpsat.py CITY_DIR [--time-limit SECONDS] [--workers N]

OR-Tools CP-SAT (pip install ortools; never a dependency of the build or the tests) on the bus-trip problem of a
city of Tools/make-city.py or Tools/make-city-b.py, for docs/benchmarks.md. Prints one JSON line: the best number
of trips found, CP-SAT's proven lower bound, its status and the wall time.

The model is the one `exam allocate` solves, at the level of centre-sessions: each centre-session has an
accessible part and an other part; school s puts x[s,p] candidates in part p (accessible-seat candidates only in
accessible parts; only centres of its own or an adjacent district), at most the part's usable seats in all and
at most W[p] of one school, where W[p] sums over the part's rooms the larger checkerboard class of each connected
group of seats (`SeatGrid.wideAndNarrowClasses`); y[s,b] = 1 when school s uses centre-session b.
Minimise the sum of y. With these limits every room can be seated with no same-school neighbour, so the optimum
is the fewest trips of a plan without same-school neighbours that keeps each school in one wide class per room.
Separate-room candidates are placed first by the planner's own rule (the smallest reachable room-session, own
district first), so both solve the same remaining problem; a centre-session where a school has a separate-room
candidate counts as one of its trips, as in the planner's count and in `exam allocate --exact`'s program.
"""
import json
import sys
import time

from ortools.sat.python import cp_model

from seatplan_city import solver_city


def wide_class(room):
    cells = {(s[1], s[2]) for s in room.usable}
    seen, total = set(), 0
    for start in cells:
        if start in seen:
            continue
        counts, stack = [0, 0], [start]
        seen.add(start)
        while stack:
            r, c = stack.pop()
            counts[(r + c) % 2] += 1
            for n in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if n in cells and n not in seen:
                    seen.add(n)
                    stack.append(n)
        total += max(counts)
    return total


def centre_session_model(city):
    """The model's data: per school the centre-sessions of its separate-room candidates (placed by the planner's
    rule), per part (session, centre, accessible) [usable seats, wide-class seats], per school [district, regular,
    accessible-seat candidates]. Also used by Tools/research/allocation/lp_bound.py."""
    exclusive = city.separate_rooms()
    anchors = {}
    for (s, centre, _), school in exclusive.items():
        anchors.setdefault(school, set()).add((s, centre))
    parts = {}
    for s in city.sessions:
        for r in city.rooms:
            if (s, r.centre, r.id) in exclusive or not r.usable:
                continue
            p = parts.setdefault((s, r.centre, r.accessible), [0, 0])
            p[0] += len(r.usable)
            p[1] += wide_class(r)
    demand = city.demand()
    return anchors, parts, demand


def main(argv):
    city, limit, workers = solver_city(argv, __doc__)
    start = time.perf_counter()
    anchors, parts, demand = centre_session_model(city)
    model = cp_model.CpModel()
    load = {p: [] for p in parts}
    trips = []
    constant = 0  # a separate-room candidate's centre-session that the school reaches by no other variable
    for school, (district, regular, accessible) in demand.items():
        n = regular + accessible
        regular_terms, accessible_terms, uses = [], [], {}
        for (s, c, acc_part), (seats, wide) in parts.items():
            if not city.reachable(district, c):
                continue
            if (s, c) not in uses:
                uses[(s, c)] = model.NewBoolVar("")
                trips.append(uses[(s, c)])
            y = uses[(s, c)]
            cap = min(n, wide, seats)
            xr = model.NewIntVar(0, min(regular, cap), "")
            regular_terms.append(xr)
            terms = [xr]
            if acc_part and accessible:
                xa = model.NewIntVar(0, min(accessible, cap), "")
                accessible_terms.append(xa)
                terms.append(xa)
            model.Add(sum(terms) <= cap * y)
            load[(s, c, acc_part)] += terms
        for bin_ in anchors.get(school, ()):
            if bin_ in uses:
                model.Add(uses[bin_] == 1)
            else:
                constant += 1
        model.Add(sum(regular_terms) == regular)
        if accessible:
            model.Add(sum(accessible_terms) == accessible)
    for p, terms in load.items():
        if terms:
            model.Add(sum(terms) <= parts[p][0])
    # Schools whose only candidates sit in separate rooms.
    constant += sum(len(bins) for school, bins in anchors.items() if school not in demand)
    model.Minimize(sum(trips) + constant)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    status = solver.Solve(model)
    out = {"status": solver.StatusName(status), "seconds": round(time.perf_counter() - start, 1)}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out["trips"] = int(solver.ObjectiveValue())
        out["trips_bound"] = int(round(solver.BestObjectiveBound() + 0.4999))
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
