#!/usr/bin/env python3
"""Usage: Tools/make-city-b.py [--seed N] [--candidates N] [--capacity X] [--wide] OUT_DIR

A second city generator, independent of Tools/make-city.py's model, for testing the seat planner on inputs it
was not tuned on. Writes OUT_DIR/roster.csv and OUT_DIR/centres.yaml (`exam candidates import`,
`exam centres import`). Everything is drawn from the seed:

- 6-20 districts on a random map (random geometric neighbours, always connected); district sizes vary 10x.
- School sizes heavy-tailed (Pareto, 3 to 3,000 candidates; many small schools, a few very large ones).
- Centres per district drawn around demand x 0.25-1.8 (some districts have far too few seats and must borrow
  from neighbours); 1-8 rooms per centre, about 15% of centres with a single room.
- Rooms of every shape: grids 2x2 to 10x10, 10% as explicit seat lists with holes; reserve seats as a count,
  a list of ids anywhere in the room, or the default; about 20% accessible, small rooms included
  (e.g. a 6x6 room with 4 reserve seats: 32 usable seats, 16 per checkerboard class).
- Seat capacity = X x the candidates (--capacity, default drawn in 1.02-1.5), 1-6 sessions.
- 0.5-3% accessible-seat candidates, 0.05-0.3% separate-room, 1% extra time.
--wide: harder cities — 0.5-8% accessible-seat and 0.05-1% separate-room candidates, 15-50% of centres with
one room (drawn per city); without it the files are as before.
The generator adds seats where a district (or its accessible or separate-room candidates) could not be seated
at all, so every city is feasible. The same arguments give the same files, byte for byte.
"""
import importlib.util
import math
import os
import random
import sys

_spec = importlib.util.spec_from_file_location("make_city", os.path.join(os.path.dirname(__file__), "make-city.py"))
make_city = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_city)


def max_flow_short(demand, capacity, near):
    """Per-district shortfall of a max flow districts -> districts' seats (Edmonds-Karp on a tiny graph)."""
    n = len(demand)
    src, sink = 2 * n, 2 * n + 1
    cap = {}
    adj = [[] for _ in range(2 * n + 2)]

    def edge(u, v, c):
        if (u, v) not in cap:
            adj[u].append(v)
            adj[v].append(u)
            cap[(v, u)] = cap.get((v, u), 0)
        cap[(u, v)] = cap.get((u, v), 0) + c

    for d in range(n):
        edge(src, d, demand[d])
        edge(n + d, sink, capacity[d])
        for e in near[d]:
            edge(d, n + e, 10 ** 12)
    while True:
        parent = {src: None}
        queue = [src]
        while queue and sink not in parent:
            u = queue.pop(0)
            for v in adj[u]:
                if v not in parent and cap[(u, v)] > 0:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            break
        path, v = [], sink
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(cap[e] for e in path)
        for u, v in path:
            cap[(u, v)] -= push
            cap[(v, u)] += push
    return [cap[(src, d)] for d in range(n)]


class Room:
    def __init__(self, rng, accessible, rows=None, cols=None):
        self.rows = rows or rng.randint(2, 10)
        self.cols = cols or rng.randint(2, 10)
        self.accessible = accessible
        cells = [(r, c) for r in range(1, self.rows + 1) for c in range(1, self.cols + 1)]
        self.explicit = rng.random() < 0.1 and len(cells) > 6
        if self.explicit:  # a seat list with holes (pillars, a teacher's desk)
            holes = set(rng.sample(cells, rng.randint(1, max(1, len(cells) // 6))))
            cells = [p for p in cells if p not in holes]
        self.cells = cells
        n = len(cells)
        kind = rng.random()
        if n <= 1:
            self.reserve, self.reserve_yaml = 0, "0"
        elif kind < 0.4:  # the default: 10 %, at least 1, the last seats
            k = max(1, (n + 9) // 10)
            self.reserve, self.reserve_yaml = k, None
        elif kind < 0.7:  # a count: the last seats
            k = rng.randint(0, max(0, n // 5))
            self.reserve, self.reserve_yaml = k, str(k)
        else:  # a list of seats anywhere in the room
            ids = sorted(rng.sample(range(1, n + 1), rng.randint(1, max(1, n // 6))))
            self.reserve = len(ids)
            width = 3 if (self.explicit and n >= 100) or self.rows * self.cols >= 100 else 2
            self.reserve_yaml = "[" + ", ".join(f'"{i:0{width}d}"' for i in ids) + "]"
        self.usable = n - self.reserve

    def yaml(self, room_id):
        ind = "      "
        s = f"{ind}- id: {room_id}\n"
        width = 3 if self.rows * self.cols >= 100 else 2
        if self.explicit:
            s += f"{ind}  seats:\n"
            for k, (r, c) in enumerate(self.cells):
                s += f'{ind}    - {{id: "{k + 1:0{width}d}", row: {r}, col: {c}}}\n'
        else:
            s += f"{ind}  grid: {{rows: {self.rows}, columns: {self.cols}}}\n"
        if self.accessible:
            s += f"{ind}  accessible: true\n"
        if self.reserve_yaml is not None:
            s += f"{ind}  reserve: {self.reserve_yaml}\n"
        return s


def school_sizes(rng, total):
    """Pareto-tailed sizes (3-3,000) summing to exactly `total`."""
    sizes, left = [], total
    while left > 0:
        s = min(left, min(3000, max(3, int(rng.paretovariate(1.15) * 25))))
        if left - s < 3:
            s = left
        sizes.append(s)
        left -= s
    return sizes


def city(rng, total, capacity_ratio, wide=False):
    nd = rng.randint(6, 20)
    points = [(rng.random(), rng.random()) for _ in range(nd)]
    near = [{d} for d in range(nd)]
    radius = 1.6 / math.sqrt(nd)
    for a in range(nd):
        for b in range(a + 1, nd):
            if math.dist(points[a], points[b]) < radius:
                near[a].add(b)
                near[b].add(a)
    for a in range(1, nd):  # keep the map connected: link each district to its nearest earlier one
        if not any(b < a for b in near[a] if b != a):
            b = min(range(a), key=lambda k: math.dist(points[a], points[k]))
            near[a].add(b)
            near[b].add(a)
    names = [f"区{d + 1:02d}" for d in range(nd)]
    weight = [rng.lognormvariate(0, 0.8) for _ in range(nd)]
    sizes = school_sizes(rng, total)
    rng.shuffle(sizes)
    if wide:
        rates = (rng.uniform(0.005, 0.08), rng.uniform(0.0005, 0.01), 0.01)
        one_room = rng.uniform(0.15, 0.5)
    else:
        rates = (rng.uniform(0.005, 0.03), rng.uniform(0.0005, 0.003), 0.01)
        one_room = 0.15
    used, rows, demand = set(), [], [0] * nd
    acc_demand, sep_demand = [0] * nd, [0] * nd
    n = 0
    for s, count in enumerate(sizes):
        d = rng.choices(range(nd), weight)[0]
        school = f"{names[d]}第{s + 1:04d}学校"
        for _ in range(count):
            n += 1
            acc = make_city.accommodations(rng, rates)
            if "separate-room" in acc:
                sep_demand[d] += 1
            else:
                demand[d] += 1
                acc_demand[d] += "accessible-seat" in acc
            rows.append([f"B{d + 1:02d}{n:07d}", make_city.name(rng),
                         make_city.national_id(rng, f"3201{d + 1:02d}", used), school, names[d], acc])
    sessions = rng.randint(1, 6)
    # Centres: seats per district around its demand x 0.25-1.8, scaled to the capacity ratio overall.
    share = [demand[d] * rng.uniform(0.25, 1.8) for d in range(nd)]
    seats_wanted = [capacity_ratio * total * share[d] / sum(share) / sessions for d in range(nd)]
    centres = [[] for _ in range(nd)]  # per district: list of (rooms)

    def new_centre(d):
        k = 1 if rng.random() < one_room else rng.randint(2, 8)
        rooms = []
        for i in range(k):
            accessible = rng.random() < 0.2
            room = Room(rng, accessible)
            while room.usable < 1:
                room = Room(rng, accessible)
            rooms.append(room)
        centres[d].append(rooms)

    for d in range(nd):
        while sum(r.usable for c in centres[d] for r in c) < seats_wanted[d]:
            new_centre(d)

    def seats(d, pred):
        return sessions * sum(r.usable for c in centres[d] for r in c if pred(r))

    def rooms_of(d, pred):
        return sessions * sum(1 for c in centres[d] for r in c if pred(r))

    # Make it feasible: every district's candidates, accessible candidates and separate rooms reachable.
    for _ in range(10000):
        short_all = max_flow_short([demand[d] + sep_demand[d] * 40 for d in range(nd)],
                                   [seats(d, lambda r: True) for d in range(nd)], near)
        short_acc = max_flow_short(acc_demand, [seats(d, lambda r: r.accessible) for d in range(nd)], near)
        short_sep = max_flow_short(sep_demand, [rooms_of(d, lambda r: True) for d in range(nd)], near)
        short = [d for d in range(nd) if short_all[d] or short_acc[d] or short_sep[d]]
        if not short:
            break
        d = rng.choice(short)
        if short_acc[d]:
            c = rng.choice(centres[d]) if centres[d] else None
            if c is None:
                new_centre(d)
            else:
                c.append(Room(rng, True, rows=6, cols=6))
        else:
            new_centre(d)
    out = [f"# Generated by Tools/make-city-b.py: {total} candidates, {nd} districts, {sessions} sessions.\n",
           "sessions:\n"]
    for k in range(sessions):
        day, half = divmod(k, 2)
        start, end = ("08:30", "10:00") if half == 0 else ("13:30", "15:00")
        out.append(f"  - {{id: S{k + 1}, date: 2026-06-{14 + day:02d}, start: \"{start}\", end: \"{end}\"}}\n")
    out.append("adjacency:\n")
    for a in range(nd):
        for b in sorted(near[a]):
            if b > a:
                out.append(f"  - [{names[a]}, {names[b]}]\n")
    out.append("centres:\n")
    k = 0
    for d in range(nd):
        for rooms in centres[d]:
            k += 1
            out.append(f"  - id: K{k:04d}\n    name: 第{k:04d}考点\n    district: {names[d]}\n    rooms:\n")
            for i, room in enumerate(rooms):
                out.append(room.yaml(f"R{i + 1}"))
    return rows, "".join(out)


def main(argv):
    args = argv[1:]
    wide = "--wide" in args
    args = [a for a in args if a != "--wide"]
    options = {"--seed": "1", "--candidates": "100000", "--capacity": None}
    for key in list(options):
        if key in args:
            i = args.index(key)
            options[key] = args[i + 1]
            del args[i:i + 2]
    if len(args) != 1 or any(a.startswith("--") for a in args):
        sys.exit(__doc__)
    rng = random.Random(int(options["--seed"]))
    capacity = float(options["--capacity"]) if options["--capacity"] else round(rng.uniform(1.02, 1.5), 3)
    rows, centres = city(rng, int(options["--candidates"]), capacity, wide)
    os.makedirs(args[0], exist_ok=True)
    make_city.write_roster(f"{args[0]}/roster.csv", rows, "utf-8")
    with open(f"{args[0]}/centres.yaml", "w", encoding="utf-8") as f:
        f.write(centres)
    print(f"{len(rows)} candidates (capacity x{capacity}) -> {args[0]}/roster.csv, centres -> {args[0]}/centres.yaml")


if __name__ == "__main__":
    main(sys.argv)
