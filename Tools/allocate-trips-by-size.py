#!/usr/bin/env python3
"""Usage: Tools/allocate-trips-by-size.py STORE_A STORE_B [CITY_DIR]

Two allocated stores of the same city side by side, school by school (docs/benchmarks.md, Rooms, session 33): the
bus trips (distinct centre-sessions) of each plan in total and per school size class, and for the schools of
50-399 candidates how many ride to 1, 2, 3... centre-sessions. Each STORE is an exam store (SQLite) after
`exam allocate`, e.g. a copy of .build-city/b-1/ready.sqlite allocated once with the defaults and once with
`--guide-rounds 40`. With CITY_DIR (the city's roster.csv and centres.yaml; needs python3-yaml) also by each
school's fewest centre-sessions k (session 34): the fewest it may reach whose seats one school may take (the larger
checkerboard class of each room) add up to its candidates — its per-school bound — with the trips of each plan.
"""
import collections
import importlib.util
import sqlite3
import sys
from pathlib import Path


def fewest_bins(city_dir, size, district):
    """Per school (district, school), its fewest reachable centre-sessions (k), as the per-school bound counts."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from seatplan_city import City
    spec = importlib.util.spec_from_file_location("cpsat", Path(__file__).resolve().parent / "allocate-cpsat.py")
    cpsat = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cpsat)
    city = City(city_dir)
    room = collections.Counter()
    for r in city.rooms:
        if r.usable:
            room[r.centre] += cpsat.wide_class(r)
    fewest = {}
    for school, n in size.items():
        seats = sorted((room[c] for c in room if city.reachable(district[school], c)), reverse=True)
        seats = [v for v in seats for _ in city.sessions]
        total, k = 0, len(seats) + 1
        for i, v in enumerate(seats):
            total += v
            if total >= n:
                k = i + 1
                break
        fewest[school] = k
    return fewest


def load(path):
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = db.execute(
            "SELECT c.district || '/' || c.school, a.centreId, a.sessionId, c.district FROM allocation a "
            "JOIN candidate c ON c.id = a.candidateId"
        ).fetchall()
    except sqlite3.Error as error:
        sys.exit(f"{path}: not an allocated exam store ({error}); run `exam allocate` on it first")
    if not rows:
        sys.exit(f"{path}: no allocation rows; run `exam allocate` on it first")
    bins, size, district = collections.defaultdict(set), collections.Counter(), {}
    for school, centre, session, d in rows:
        bins[school].add((centre, session))
        size[school] += 1
        district[school] = d
    return bins, size, district


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    (a, size, district), (b, _, _) = load(sys.argv[1]), load(sys.argv[2])
    print("trips", sum(map(len, a.values())), sum(map(len, b.values())))
    classes = [(0, 50), (50, 100), (100, 200), (200, 400), (400, 10**9)]
    for lo, hi in classes:
        schools = [s for s in size if lo <= size[s] < hi]
        label = f"{lo}-{hi - 1}" if hi < 10**9 else f"{lo}+"
        print(f"schools of {label}: {len(schools)}, trips {sum(len(a[s]) for s in schools)} / {sum(len(b[s]) for s in schools)}")
        if 50 <= lo < 400:
            ride = lambda plan: sorted(collections.Counter(len(plan[s]) for s in schools).items())
            print(f"  centre-sessions per school (count: schools): {ride(a)} / {ride(b)}")
    if len(sys.argv) == 4:
        fewest = fewest_bins(sys.argv[3], size, district)
        groups = collections.defaultdict(list)
        for s in size:
            groups[(min(fewest[s], 6), size[s] >= 100)].append(s)
        for (k, large), schools in sorted(groups.items()):
            print(f"k {'6+' if k == 6 else k}, {'100 or more' if large else 'under 100'}: {len(schools)} schools, "
                  f"bound {sum(fewest[s] for s in schools)}, trips {sum(len(a[s]) for s in schools)} / "
                  f"{sum(len(b[s]) for s in schools)}")


if __name__ == "__main__":
    main()
