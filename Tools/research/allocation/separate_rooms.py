#!/usr/bin/env python3
"""Usage: Tools/research/allocation/separate_rooms.py CITY_DIR STORE fit|fit-extra|cpsat [SECONDS]

What separate-room candidates cost in bus trips (docs/benchmarks.md, Rooms, session 28); not part of the build or the
tests. STORE is an exam store holding a plan of CITY_DIR (`exam allocate`, or `bench-allocate CITY --store STORE`).
The centre-session model: each separate-room candidate takes a whole room-session (an accessible room if it needs an
accessible seat) of a centre-session its school rides to, at most one per room-session; every other candidate a seat
of the rooms left in a centre-session's part (its accessible rooms, its other rooms), one school at most the larger
checkerboard class of each room left.
  fit        HiGHS, candidates counted fractionally, each school only in the centre-sessions it uses in STORE's plan
             (STORE: the plan of the same city without the separate-room marks): feasible or not.
  fit-extra  the same, STORE's centre-sessions kept (each one trip) and any other reachable one at one trip more:
             HiGHS's proven least trips, after SECONDS (default 100).
  cpsat      CP-SAT (2 workers), whole candidates, every reachable centre-session, hinted with STORE's plan (the
             same city, with the marks): the best plan found, printed as it improves, for SECONDS (default 150).
Needs: pip install highspy ortools; python3-yaml.
"""
import collections
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from seatplan_city import City  # noqa: E402


def plan_of(store, city):
    """Per school: its (session, centre) pairs, the count of its other candidates per (session, centre, accessible
    part, accessible-seat), and its separate-room candidates' (session, centre, room)."""
    accessible_room = {(r.centre, r.id): r.accessible for r in city.rooms}
    bins, parts, rooms = collections.defaultdict(set), collections.Counter(), collections.defaultdict(list)
    rows = sqlite3.connect(store).execute(
        "SELECT c.school, c.district, a.sessionId, a.centreId, a.roomId, c.accommodations "
        "FROM allocation a JOIN candidate c ON c.id = a.candidateId")
    for school, district, session, centre, room, accommodations in rows:
        key = (district, school)
        bins[key].add((session, centre))
        if "separate-room" in accommodations:
            rooms[key].append((session, centre, room))
        else:
            parts[(key, session, centre, accessible_room[(centre, room)], "accessible-seat" in accommodations)] += 1
    return bins, parts, rooms


class Model:
    """The model above for one solver: `boolean()`, `amount(upper)`, `total(terms)`, `add(constraint)`,
    `at_most(y, terms, W)` (terms ≤ W·y, none when y is 0)."""

    def __init__(self, city, bins_of):
        self.rooms = [r for r in city.rooms if r.usable]
        self.by_centre = collections.defaultdict(list)
        for k, r in enumerate(self.rooms):
            self.by_centre[r.centre].append(k)
        self.taken = collections.defaultdict(list)  # (session, room) -> separate-room variables
        self.seat_terms = collections.defaultdict(list)  # (session, centre, accessible part) -> amounts
        self.caps = []  # (a school's amounts in one part, session, centre, part, y)
        self.uses = {}  # (school, session, centre) -> y
        for school, d in city.school_counts().items():
            bins = bins_of(school, d["district"])
            for s, c in bins:
                self.uses[(school, s, c)] = self.boolean()
            self.place(school, d, bins)
        for vs in self.taken.values():
            self.add(self.total(vs) <= 1)
        wide = [len(r.classes[0]) for r in self.rooms]
        usable = [len(r.usable) for r in self.rooms]
        for (s, c, part), terms in self.seat_terms.items():
            ks = self.part(c, part)
            taken = [usable[k] * v for k in ks for v in self.taken[(s, k)]]
            self.add(self.total(terms + taken) <= sum(usable[k] for k in ks))
        for terms, s, c, part, y in self.caps:
            ks = self.part(c, part)
            limit = sum(wide[k] for k in ks)
            self.at_most(y, terms, limit)
            self.add(self.total(terms + [wide[k] * v for k in ks for v in self.taken[(s, k)]]) <= limit)

    def part(self, centre, accessible):
        return [k for k in self.by_centre[centre] if self.rooms[k].accessible == accessible]

    def place(self, school, d, bins):
        for kind in ("sep", "sepA"):
            if d[kind]:
                z = []
                for s, c in bins:
                    for k in self.by_centre[c]:
                        if kind == "sep" or self.rooms[k].accessible:
                            v = self.boolean()
                            z.append(v)
                            self.taken[(s, k)].append(v)
                            self.add(v <= self.uses[(school, s, c)])
                            self.room_hint(v, school, s, c, k)
                self.add(self.total(z) == d[kind])
        totals = {"regular": [], "accessible": []}
        for s, c in bins:
            for part in (False, True):
                if not self.part(c, part):
                    continue
                terms = []
                for kind in ("regular", "accessible") if part else ("regular",):
                    if d[kind]:
                        v = self.amount(d[kind])
                        self.amount_hint(v, school, s, c, part, kind == "accessible")
                        terms.append(v)
                        totals[kind].append(v)
                        self.seat_terms[(s, c, part)].append(v)
                if terms:
                    self.caps.append((terms, s, c, part, self.uses[(school, s, c)]))
        for kind, terms in totals.items():
            if d[kind]:
                self.add(self.total(terms) == d[kind])

    def room_hint(self, v, school, s, c, k):
        pass

    def amount_hint(self, v, school, s, c, part, accessible):
        pass


class HighsModel(Model):
    def __init__(self, city, bins_of, kept, seconds):
        import highspy
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("time_limit", seconds)
        self.kept = kept
        super().__init__(city, bins_of)
        for (school, s, c), y in self.uses.items():
            if (s, c) in kept.get(school, ()):
                self.highs.changeColBounds(y.index, 1.0, 1.0)
        self.highs.minimize(self.total(list(self.uses.values())))

    def boolean(self):
        return self.highs.addBinary()

    def amount(self, upper):
        return self.highs.addVariable(lb=0, ub=upper)

    def add(self, constraint):
        self.highs.addConstr(constraint)

    def at_most(self, y, terms, limit):
        self.highs.addConstr(self.total(terms) <= limit * y)

    def total(self, terms):
        import highspy
        return highspy.qsum(terms)


class CpsatModel(Model):
    def __init__(self, city, bins_of, plan):
        from ortools.sat.python import cp_model
        self.cp = cp_model.CpModel()
        self.plan_bins, self.plan_parts, self.plan_rooms = plan
        super().__init__(city, bins_of)
        for (school, s, c), y in self.uses.items():
            self.cp.AddHint(y, (s, c) in self.plan_bins[school])
        self.cp.Minimize(sum(self.uses.values()))

    def boolean(self):
        return self.cp.NewBoolVar("")

    def amount(self, upper):
        return self.cp.NewIntVar(0, upper, "")

    def add(self, constraint):
        self.cp.Add(constraint)

    def total(self, terms):
        return sum(terms)

    def at_most(self, y, terms, limit):
        self.cp.Add(sum(terms) <= limit).OnlyEnforceIf(y)
        self.cp.Add(sum(terms) == 0).OnlyEnforceIf(y.Not())

    def room_hint(self, v, school, s, c, k):
        self.cp.AddHint(v, (s, c, self.rooms[k].id) in self.plan_rooms[school])

    def amount_hint(self, v, school, s, c, part, accessible):
        self.cp.AddHint(v, self.plan_parts[(school, s, c, part, accessible)])


def main(argv):
    if len(argv) not in (4, 5) or argv[3] not in ("fit", "fit-extra", "cpsat"):
        sys.exit(__doc__)
    city, mode = City(argv[1]), argv[3]
    plan = plan_of(argv[2], city)
    start = time.perf_counter()
    reach = {}

    def every_bin(school, district):
        if district not in reach:
            centres = sorted({r.centre for r in city.rooms if r.usable and city.reachable(district, r.centre)})
            reach[district] = [(s, c) for s in city.sessions for c in centres]
        return reach[district]

    if mode == "cpsat":
        from ortools.sat.python import cp_model
        model = CpsatModel(city, every_bin, plan)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = float(argv[4]) if len(argv) > 4 else 150.0
        solver.parameters.num_workers = 2

        class Progress(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                print(f"{time.perf_counter() - start:.0f} s: {self.ObjectiveValue():.0f} trips", flush=True)

        status = solver.Solve(model.cp, Progress())
        print(solver.StatusName(status), "trips", solver.ObjectiveValue(), "bound", solver.BestObjectiveBound())
        return
    bins, _, _ = plan
    if mode == "fit":
        model = HighsModel(city, lambda school, district: sorted(bins[school]), {}, 600.0)
    else:
        model = HighsModel(city, every_bin, bins, float(argv[4]) if len(argv) > 4 else 100.0)
    model.highs.run()
    info = model.highs.getInfo()
    print(model.highs.modelStatusToString(model.highs.getModelStatus()), "trips", info.objective_function_value,
          "bound", info.mip_dual_bound, "plan trips", sum(len(v) for v in bins.values()),
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv)
