#!/usr/bin/env python3
"""Usage: Tools/research/allocation/window_lns.py CITY_DIR STORE [CENTRES_PER_WINDOW] [SECONDS_PER_WINDOW]

Is an allocated plan locally optimal? (docs/benchmarks.md, Rooms, session 34; not part of the build or the tests.)
STORE is an exam store holding a plan of CITY_DIR (`exam allocate`). For each centre in turn, a window: its
centre-sessions and those of the CENTRES_PER_WINDOW − 1 (default 3) centres sharing most schools with it in the plan.
Every school with candidates in the window is taken out of it and placed again by a mixed-integer program (HiGHS),
at the centre-session level of Tools/allocate-cpsat.py's model (each part's usable seats, a school at most the
larger checkerboard class of each room; the separate-room candidates' rooms kept, and their centre-sessions kept
as trips): into the window's centre-sessions its district may reach, or into the free seats of centre-sessions
outside the window it already rides to. Minimise the window's trips; a better placement is applied before the next
window. The class packing inside rooms is not modelled, so a gain here is an upper estimate of what a planner
could take. Prints each window that gained or took over a second, then the total.
Needs: pip install highspy; python3-yaml.
"""
import collections
import importlib.util
import sqlite3
import sys
import time
from pathlib import Path

import highspy

TOOLS = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from seatplan_city import City  # noqa: E402
from separate_rooms import plan_of  # noqa: E402

spec = importlib.util.spec_from_file_location("cpsat", TOOLS / "allocate-cpsat.py")
cpsat = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cpsat)


def read_plan(city, store):
    """x[(school, bin, accessible part, accessible seat)] = candidates; anchors: school -> bins of its separate
    rooms; the room-sessions those take (`separate_rooms.plan_of`; a school is its (district, school))."""
    try:
        _, parts, rooms = plan_of(store, city)
    except sqlite3.Error as error:
        sys.exit(f"{store}: not an allocated exam store ({error}); run `exam allocate` on it first")
    if not parts and not rooms:
        sys.exit(f"{store}: no allocation rows; run `exam allocate` on it first")
    x = collections.Counter({(k, (s, c), ap, aseat): n for (k, s, c, ap, aseat), n in parts.items()})
    anchors = collections.defaultdict(set, {k: {(s, c) for s, c, _ in r} for k, r in rooms.items()})
    exclusive = {room for r in rooms.values() for room in r}
    return x, anchors, exclusive


class Plan:
    def __init__(self, city, store):
        self.city = city
        self.x, self.anchors, exclusive = read_plan(city, store)
        self.seats, self.wide = collections.Counter(), collections.Counter()
        for s in city.sessions:
            for r in city.rooms:
                if r.usable and (s, r.centre, r.id) not in exclusive:
                    self.seats[(s, r.centre, r.accessible)] += len(r.usable)
                    self.wide[(s, r.centre, r.accessible)] += cpsat.wide_class(r)

    def used(self):
        bins = collections.defaultdict(set)
        for (k, b, _, _), n in self.x.items():
            if n > 0:
                bins[k].add(b)
        for k, bs in self.anchors.items():
            bins[k] |= bs
        return bins

    def trips(self):
        return sum(len(v) for v in self.used().values())

    def improve(self, window, seconds):
        """Places the window's schools again; applies a better placement. Returns (gain, seconds, schools, status)."""
        used = self.used()
        load, own = collections.Counter(), collections.Counter()
        for (k, b, ap, _), n in self.x.items():
            load[(b, ap)] += n
            own[(k, b, ap)] += n
        schools = sorted({k for (k, b, _, _), n in self.x.items() if n and b in window}
                         | {k for k, bs in self.anchors.items() if bs & window})
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", seconds)
        h.setOptionValue("threads", 1)
        terms, variables, now = collections.defaultdict(list), {}, 0
        for k in schools:
            regular = sum(n for (kk, b, _, a), n in self.x.items() if kk == k and b in window and not a)
            accessible = sum(n for (kk, b, _, a), n in self.x.items() if kk == k and b in window and a)
            regular_terms, accessible_terms = [], []
            options = [b for b in window if self.city.reachable(k[0], b[1])]  # k: (district, school)
            for b in options + [b for b in used[k] if b not in window]:
                inside = b in window
                if inside:
                    y = h.addBinary(obj=1)
                    now += int(b in used[k])
                    if b in self.anchors[k]:
                        h.addConstr(y >= 1)
                for ap in (False, True):
                    p = (b[0], b[1], ap)
                    cap = min(self.wide[p] - (0 if inside else own[(k, b, ap)]), self.seats[p])
                    if self.seats[p] == 0 or cap <= 0:
                        continue
                    vr = h.addIntegral(lb=0, ub=min(regular, cap))
                    regular_terms.append(vr)
                    variables[(k, b, ap, False)] = vr
                    placed = [vr]
                    if ap and accessible:
                        va = h.addIntegral(lb=0, ub=min(accessible, cap))
                        accessible_terms.append(va)
                        variables[(k, b, ap, True)] = va
                        placed.append(va)
                    if inside:
                        h.addConstr(sum(placed) - cap * y <= 0)
                    elif len(placed) > 1:
                        h.addConstr(sum(placed) <= cap)
                    terms[(b, ap)] += placed
            if regular_terms:
                h.addConstr(sum(regular_terms) == regular)
            if accessible:
                h.addConstr(sum(accessible_terms) == accessible)
        for (b, ap), placed in terms.items():
            p = (b[0], b[1], ap)
            h.addConstr(sum(placed) <= (self.seats[p] if b in window else self.seats[p] - load[(b, ap)]))
        start = time.perf_counter()
        h.run()
        elapsed = time.perf_counter() - start
        status = h.modelStatusToString(h.getModelStatus())
        if h.getInfo().primal_solution_status < 2:
            return 0, elapsed, len(schools), status
        gain = now - round(h.getInfo().objective_function_value)
        if gain > 0:
            for key in [key for key in self.x if key[0] in schools and key[1] in window]:
                self.x[key] = 0
            for (k, b, ap, a), v in variables.items():
                self.x[(k, b, ap, a)] += round(h.val(v))
        return gain, elapsed, len(schools), status


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    city = City(argv[1])
    plan = Plan(city, argv[2])
    per_window = int(argv[3]) if len(argv) > 3 else 3
    seconds = float(argv[4]) if len(argv) > 4 else 5.0
    before = plan.trips()
    print("plan's trips (centre-session level)", before, flush=True)
    share = collections.Counter()
    for bins in plan.used().values():
        centres = sorted({b[1] for b in bins})
        for i, a in enumerate(centres):
            for b in centres[i + 1:]:
                share[(a, b)] += 1
                share[(b, a)] += 1
    started, proven = time.perf_counter(), 0
    for centre in sorted(city.centres):
        near = sorted((-n, other) for (a, other), n in share.items() if a == centre)[: per_window - 1]
        window = {(s, c) for s in city.sessions for c in [centre] + [other for _, other in near]}
        gain, elapsed, schools, status = plan.improve(window, seconds)
        proven += status == "Optimal"
        if gain > 0 or elapsed > 1:
            print(f"{centre} +{len(near)} centres: {schools} schools, gain {gain}, {elapsed:.2f} s, {status}", flush=True)
    print(f"windows {len(city.centres)}, solved to optimality {proven}; trips {before} -> {plan.trips()} "
          f"in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv)
