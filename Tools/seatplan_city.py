"""Shared by Tools/allocate-greedy.py, allocate-cpsat.py and allocate-relaxed-bound.py: reads a city (roster.csv +
centres.yaml, as `exam candidates import` / `exam centres import` read them) and measures a seat plan the way
PlanChecker does (hard rules, same-school neighbour pairs, bus trips = sum over schools of distinct (centre,
session)). Needs PyYAML (Debian: python3-yaml)."""
import csv
import sys

import yaml


class Room:
    def __init__(self, centre, spec):
        self.centre = centre
        self.id = str(spec["id"])
        self.accessible = bool(spec.get("accessible", False))
        if "grid" in spec:
            rows, cols = spec["grid"]["rows"], spec["grid"]["columns"]
            width = 3 if rows * cols >= 100 else 2
            self.seats = [(f"{n + 1:0{width}d}", n // cols + 1, n % cols + 1) for n in range(rows * cols)]
        else:
            self.seats = [(str(s["id"]), s["row"], s["col"]) for s in spec["seats"]]
        reserve = spec.get("reserve")
        n = len(self.seats)
        if reserve is None:
            k = 0 if n <= 1 else max(1, (n + 9) // 10)
            reserved = {s[0] for s in self.seats[n - k:]} if k else set()
        elif isinstance(reserve, list):
            reserved = {str(x) for x in reserve}
        else:
            reserved = {s[0] for s in self.seats[n - int(reserve):]} if int(reserve) else set()
        self.usable = [s for s in self.seats if s[0] not in reserved]
        self.usable.sort(key=lambda s: (s[1], s[2], s[0]))
        self.position = {s[0]: (s[1], s[2]) for s in self.seats}
        self.classes = [[s for s in self.usable if (s[1] + s[2]) % 2 == p] for p in (0, 1)]
        self.classes.sort(key=len, reverse=True)


def solver_options(args):
    """Takes --time-limit SECONDS (default 60) and --workers N (default 2) out of args; returns them."""
    limit, workers = 60.0, 2
    for flag in ("--time-limit", "--workers"):
        if flag in args:
            i = args.index(flag)
            value = args[i + 1]
            del args[i:i + 2]
            if flag == "--time-limit":
                limit = float(value)
            else:
                workers = int(value)
    return limit, workers


def solver_city(argv, usage):
    """For the solver scripts: --time-limit and --workers (`solver_options`) and one CITY_DIR from argv, else exits
    with `usage`. Returns (city, limit, workers)."""
    args = argv[1:]
    limit, workers = solver_options(args)
    if len(args) != 1:
        sys.exit(usage)
    return City(args[0]), limit, workers


class City:
    def __init__(self, directory):
        with open(f"{directory}/roster.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        self.candidates = [(r["candidate"], (r["district"], r["school"]), r["district"],
                            set(a for a in r["accommodations"].split(";") if a)) for r in rows]
        with open(f"{directory}/centres.yaml", encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        self.sessions = [str(s["id"]) for s in doc["sessions"]]
        self.near = {}
        for a, b in doc.get("adjacency") or []:
            self.near.setdefault(str(a), {str(a)}).add(str(b))
            self.near.setdefault(str(b), {str(b)}).add(str(a))
        self.centres = {str(c["id"]): str(c["district"]) for c in doc["centres"]}
        self.rooms = [Room(str(c["id"]), r) for c in doc["centres"] for r in c["rooms"]]

    def reachable(self, district, centre):
        return self.centres[centre] in self.near.get(district, {district})

    def demand(self):
        """Per school [district, regular, accessible-seat candidates], separate-room candidates left out."""
        demand = {}
        for cid, school, district, acc in self.candidates:
            if "separate-room" in acc:
                continue
            d = demand.setdefault(school, [district, 0, 0])
            d[2 if "accessible-seat" in acc else 1] += 1
        return demand

    def school_counts(self):
        """Per school {district, regular, accessible (accessible-seat, not separate-room), sepA / sep (separate-room
        candidates who need an accessible room / who do not)}."""
        schools = {}
        for _, school, district, acc in self.candidates:
            d = schools.setdefault(school, {"district": district, "regular": 0, "accessible": 0, "sepA": 0, "sep": 0})
            if "separate-room" in acc:
                d["sepA" if "accessible-seat" in acc else "sep"] += 1
            else:
                d["accessible" if "accessible-seat" in acc else "regular"] += 1
        return schools

    def separate_rooms(self):
        """The planner's rule for separate-room candidates, in roster order: each takes the smallest reachable
        room-session, own district first (an accessible one if it needs an accessible seat). Returns
        {(session, centre, room id): school}."""
        exclusive = {}
        for cid, school, district, acc in self.candidates:
            if "separate-room" not in acc:
                continue
            options = [(self.centres[r.centre] != district, len(r.usable), s, r.centre, r.id)
                       for s in self.sessions for r in self.rooms
                       if r.usable and self.reachable(district, r.centre) and (s, r.centre, r.id) not in exclusive
                       and ("accessible-seat" not in acc or r.accessible)]
            if options:
                exclusive[min(options)[2:]] = school
        return exclusive


def measure(city, plan):
    """plan: {candidate id: (session, centre, room id, seat id)} -> dict of counts."""
    rooms = {(r.centre, r.id): r for r in city.rooms}
    violations, pairs, trips = 0, 0, {}
    occupied = {}
    for cid, school, district, acc in city.candidates:
        if cid not in plan:
            violations += 1
            continue
        session, centre, room_id, seat = plan[cid]
        room = rooms[(centre, room_id)]
        key = (session, centre, room_id)
        if seat in occupied.setdefault(key, {}) or seat not in {s[0] for s in room.usable}:
            violations += 1
        occupied[key][seat] = (school, "separate-room" in acc)
        if "accessible-seat" in acc and not room.accessible:
            violations += 1
        if not city.reachable(district, centre):
            violations += 1
        trips.setdefault(school, set()).add((centre, session))
    for (session, centre, room_id), seats in occupied.items():
        room = rooms[(centre, room_id)]
        if any(sep for _, sep in seats.values()) and len(seats) > 1:
            violations += 1
        where = {room.position[s]: school for s, (school, _) in seats.items()}
        for (r, c), school in where.items():
            pairs += (where.get((r, c + 1)) == school) + (where.get((r + 1, c)) == school)
    return {"violations": violations, "same_school_pairs": pairs, "trips": sum(len(v) for v in trips.values())}
