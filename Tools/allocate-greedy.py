#!/usr/bin/env python3
"""Usage: Tools/allocate-greedy.py CITY_DIR

The simple baseline of docs/benchmarks.md: a greedy "checkerboard per school" seat plan for a city of
Tools/make-city.py or Tools/make-city-b.py, measured like `exam allocate` measures its plan. Prints one JSON line
(violations, same_school_pairs, trips, seconds and cpu_seconds of the planning only, without reading the
files).

Separate-room candidates first (the smallest reachable room-session of their own), then schools, largest first:
accessible-seat candidates, then the others, each into the centre-session with the most free seats in one colour
class per room that the school does not use there yet (own district before adjacent ones); a school takes the
larger free class of each room, and never a second class in a room. Whatever is left (capacity too tight) takes
any free usable seat it may reach.
"""
import json
import sys
import time

from seatplan_city import City, measure


def plan(city):
    taken = {}  # (session, centre, room) -> set of seat ids
    exclusive = set()
    school_class = {}  # (school, session, centre, room) -> class index
    free_count = {}  # (session, centre, room) -> free seats of its [larger, smaller] colour class
    result = {}
    rooms_by_centre = {}
    for room in city.rooms:
        rooms_by_centre.setdefault(room.centre, []).append(room)
    bins = [(s, c) for c in city.centres for s in city.sessions]
    members = {}
    for cid, school, district, acc in city.candidates:
        members.setdefault(school, []).append((cid, district, acc))
    # Separate rooms.
    for cid, school, district, acc in city.candidates:
        if "separate-room" not in acc:
            continue
        best = None
        for s, c in bins:
            if not city.reachable(district, c):
                continue
            for room in rooms_by_centre[c]:
                key = (s, c, room.id)
                if key in exclusive or taken.get(key) or not room.usable:
                    continue
                if "accessible-seat" in acc and not room.accessible:
                    continue
                rank = (city.centres[c] != district, len(room.usable), key)
                if best is None or rank < best[0]:
                    best = (rank, key, room)
        if best:
            _, key, room = best
            exclusive.add(key)
            taken[key] = {room.usable[0][0]}
            result[cid] = (key[0], key[1], key[2], room.usable[0][0])
    order = sorted(members, key=lambda k: (-len(members[k]), k))
    for accessible in (True, False):
        for school in order:
            todo = [m for m in members[school] if ("accessible-seat" in m[2]) == accessible and "separate-room" not in m[2]]
            if not todo:
                continue
            district = todo[0][1]

            def free_seats(s, c, counts_only=False):
                out = []
                for room in rooms_by_centre[c]:
                    key = (s, c, room.id)
                    if key in exclusive or (accessible and not room.accessible):
                        continue
                    k = school_class.get((school, s, c, room.id))
                    free = free_count.setdefault(key, [len(room.classes[0]), len(room.classes[1])])
                    best = k if k is not None else (0 if free[0] >= free[1] else 1)
                    if counts_only:
                        out.append(free[best])
                    elif free[best]:
                        used = taken.get(key, set())
                        out.append((room, best, [x for x in room.classes[best] if x[0] not in used]))
                return out

            while todo:
                best = None
                for s, c in bins:
                    if not city.reachable(district, c):
                        continue
                    n = sum(free_seats(s, c, counts_only=True))
                    if n == 0:
                        continue
                    rank = (min(n, len(todo)), city.centres[c] == district, -n if n >= len(todo) else n)
                    if best is None or rank > best[0]:
                        best = (rank, s, c)
                if best is None:
                    break
                _, s, c = best
                for room, k, seats in free_seats(s, c):
                    for seat in seats:
                        if not todo:
                            break
                        cid = todo.pop()[0]
                        taken.setdefault((s, c, room.id), set()).add(seat[0])
                        free_count[(s, c, room.id)][k] -= 1
                        school_class[(school, s, c, room.id)] = k
                        result[cid] = (s, c, room.id, seat[0])
            # Capacity too tight for one class per school and room: any free usable seat.
            for cid, _, _ in todo:
                for s, c in bins:
                    if cid in result or not city.reachable(district, c):
                        continue
                    for room in rooms_by_centre[c]:
                        key = (s, c, room.id)
                        if key in exclusive or (accessible and not room.accessible):
                            continue
                        seat = next((x for x in room.usable if x[0] not in taken.get(key, set())), None)
                        if seat:
                            taken.setdefault(key, set()).add(seat[0])
                            cls = 0 if seat in room.classes[0] else 1
                            free_count.setdefault(key, [len(room.classes[0]), len(room.classes[1])])[cls] -= 1
                            result[cid] = (s, c, room.id, seat[0])
                            break
    return result


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    city = City(argv[1])
    start, cpu = time.perf_counter(), time.process_time()
    seats = plan(city)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    out = measure(city, seats)
    out["seconds"] = round(seconds, 3)
    out["cpu_seconds"] = round(cpu, 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
