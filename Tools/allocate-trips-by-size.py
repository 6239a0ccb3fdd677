#!/usr/bin/env python3
"""Usage: Tools/allocate-trips-by-size.py STORE_A STORE_B

Two allocated stores of the same city side by side, school by school (docs/benchmarks.md, Rooms, session 33): the
bus trips (distinct centre-sessions) of each plan in total and per school size class, and for the schools of
50-399 candidates how many ride to 1, 2, 3... centre-sessions. Each STORE is an exam store (SQLite) after
`exam allocate`, e.g. a copy of .build-city/b-1/ready.sqlite allocated once with the defaults and once with
`--guide-rounds 40`.
"""
import collections
import sqlite3
import sys


def load(path):
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = db.execute(
            "SELECT c.school, a.centreId, a.sessionId FROM allocation a JOIN candidate c ON c.id = a.candidateId"
        ).fetchall()
    except sqlite3.Error as error:
        sys.exit(f"{path}: not an allocated exam store ({error}); run `exam allocate` on it first")
    if not rows:
        sys.exit(f"{path}: no allocation rows; run `exam allocate` on it first")
    bins, size = collections.defaultdict(set), collections.Counter()
    for school, centre, session in rows:
        bins[school].add((centre, session))
        size[school] += 1
    return bins, size


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    (a, size), (b, _) = load(sys.argv[1]), load(sys.argv[2])
    print("trips", sum(map(len, a.values())), sum(map(len, b.values())))
    classes = [(0, 50), (50, 100), (100, 200), (200, 400), (400, 10**9)]
    for lo, hi in classes:
        schools = [s for s in size if lo <= size[s] < hi]
        label = f"{lo}-{hi - 1}" if hi < 10**9 else f"{lo}+"
        print(f"schools of {label}: {len(schools)}, trips {sum(len(a[s]) for s in schools)} / {sum(len(b[s]) for s in schools)}")
        if 50 <= lo < 400:
            ride = lambda plan: sorted(collections.Counter(len(plan[s]) for s in schools).items())
            print(f"  centre-sessions per school (count: schools): {ride(a)} / {ride(b)}")


if __name__ == "__main__":
    main()
