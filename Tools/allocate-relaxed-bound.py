#!/usr/bin/env python3
"""Usage: Tools/allocate-relaxed-bound.py CITY_DIR [--time-limit SECONDS] [--workers N]

A proven lower bound on the bus trips of any plan without same-school neighbours, with the separate rooms chosen
by the solver (not fixed beforehand, as Tools/allocate-cpsat.py and `exam allocate --exact` fix them), for
docs/benchmarks.md: the HiGHS MIP solver (pip install highspy; never a dependency of the build or the tests) on a
relaxation of the seat-plan problem of a city of Tools/make-city.py or Tools/make-city-b.py. Prints one JSON
line: the relaxation's best solution, its proven bound (a lower bound of every real plan's trips), status, time.

The relaxation, at the level of centre-sessions: every separate-room candidate takes a whole room-session of its
own (an accessible room if it needs an accessible seat) within its district's reach, at most one per
room-session; every other candidate a seat in the same centre-session's other rooms — per centre-session at most
the usable seats of the rooms left, of the accessible ones for accessible-seat candidates; one school at most the
independence number (exact, by König's theorem; never less than the larger checkerboard class the planner and
allocate-cpsat.py use) of those rooms, since no two of its candidates may be neighbours; y[s,b] = 1 when school
s has any candidate, separate-room or not, in centre-session b. Minimise Σ y. Every real plan satisfies these
rows, so the solver's proven bound is a lower bound of the real problem's optimum (and so of `exam allocate`'s).
"""
import json
import math
import sys
import time

import highspy

from seatplan_city import solver_city


def independence_number(room):
    """Largest set of usable seats with no two side by side or front/back: seats − a maximum matching of the
    bipartite seat graph (König)."""
    cells = {(s[1], s[2]) for s in room.usable}
    left = [c for c in cells if (c[0] + c[1]) % 2 == 0]
    match = {}

    def augment(u, seen):
        r, c = u
        for v in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if v in cells and v not in seen:
                seen.add(v)
                if v not in match or augment(match[v], seen):
                    match[v] = u
                    return True
        return False

    matching = sum(1 for u in left if augment(u, set()))
    return len(cells) - matching


def main(argv):
    city, limit, workers = solver_city(argv, __doc__)
    start = time.perf_counter()
    rooms = [r for r in city.rooms if r.usable]
    alpha = [independence_number(r) for r in rooms]
    schools = city.school_counts()
    model = highspy.Highs()
    model.setOptionValue("output_flag", False)
    model.setOptionValue("time_limit", limit)
    model.setOptionValue("threads", workers)
    taken = {}  # (session, room index) -> [separate-room variables]
    uses = {}  # (school, session, centre) -> y
    seat_terms = {}  # (session, centre, accessible) -> [regular/accessible variables]
    trips = []

    def y(school, s, c):
        if (school, s, c) not in uses:
            uses[(school, s, c)] = model.addBinary()
            trips.append(uses[(school, s, c)])
        return uses[(school, s, c)]

    by_centre = {}
    for k, r in enumerate(rooms):
        by_centre.setdefault(r.centre, []).append(k)
    school_caps = []  # (x terms of one school in one centre-session, y, session, centre)
    for school, d in schools.items():
        reach = [k for k, r in enumerate(rooms) if city.reachable(d["district"], r.centre)]
        for kind in ("sep", "sepA"):
            if not d[kind]:
                continue
            options = [k for k in reach if kind == "sep" or rooms[k].accessible]
            z = []
            for s in city.sessions:
                for k in options:
                    v = model.addBinary()
                    z.append(v)
                    taken.setdefault((s, k), []).append(v)
                    model.addConstr(v <= y(school, s, rooms[k].centre))
            model.addConstr(highspy.qsum(z) == d[kind])
        n = d["regular"] + d["accessible"]
        if not n:
            continue
        centres = sorted({rooms[k].centre for k in reach})
        regular_terms, accessible_terms = [], []
        for s in city.sessions:
            for c in centres:
                yb = y(school, s, c)
                terms = []
                for part in (False, True):
                    if not any(r.centre == c and r.accessible == part for r in rooms):
                        continue
                    xr = model.addIntegral(lb=0, ub=d["regular"]) if d["regular"] else None
                    xa = model.addIntegral(lb=0, ub=d["accessible"]) if part and d["accessible"] else None
                    for v in (xr, xa):
                        if v is not None:
                            terms.append(v)
                            seat_terms.setdefault((s, c, part), []).append(v)
                    if xr is not None:
                        regular_terms.append(xr)
                    if xa is not None:
                        accessible_terms.append(xa)
                if terms:
                    model.addConstr(highspy.qsum(terms) <= min(n, sum(alpha[k] for k in by_centre[c])) * yb)
                    school_caps.append((terms, s, c))
        model.addConstr(highspy.qsum(regular_terms) == d["regular"])
        if d["accessible"]:
            model.addConstr(highspy.qsum(accessible_terms) == d["accessible"])
    for vs in taken.values():
        model.addConstr(highspy.qsum(vs) <= 1)

    def taken_by_separate(s, ks, weight):
        """Terms of Σ weight over the rooms ks that separate-room candidates take in session s."""
        return [weight[k] * v for k in ks for v in taken.get((s, k), [])]

    usable = [len(r.usable) for r in rooms]
    for (s, c, part), terms in seat_terms.items():
        ks = [k for k in by_centre[c] if rooms[k].accessible == part]
        model.addConstr(highspy.qsum(terms + taken_by_separate(s, ks, usable)) <= sum(usable[k] for k in ks))
    for terms, s, c in school_caps:
        ks = by_centre[c]
        model.addConstr(highspy.qsum(terms + taken_by_separate(s, ks, alpha)) <= sum(alpha[k] for k in ks))
    model.minimize(highspy.qsum(trips))
    info = model.getInfo()
    status = model.modelStatusToString(model.getModelStatus())
    out = {"status": status, "seconds": round(time.perf_counter() - start, 1)}
    if info.primal_solution_status == 2:
        out["trips"] = round(info.objective_function_value)
    # Infeasible: some school cannot keep its candidates apart (a plan has same-school neighbours), so this
    # relaxation says nothing of trips.
    if math.isfinite(info.mip_dual_bound):
        out["trips_bound"] = math.ceil(info.mip_dual_bound - 1e-6)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
