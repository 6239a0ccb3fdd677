#!/usr/bin/env python3
"""How often the greedy of ClassSlots.pack fails on parts that can be packed, and how many of those its
bounded depth-first search recovers (docs/benchmarks.md, session 24).

A Python model of Sources/Allocation/ClassSlots.swift: random near-full parts (1-5 rooms of 2-10 x 2-10 seats
less up to a fifth, classes about half each; 2-6 schools, 90-100 % of the seats), each school one class per room.
For every part the greedy leaves something over, an exact program (CBC through PuLP: `pip install pulp`) says
whether a packing exists, and the search (STEPS steps, CHOICES choices each way, as in the Swift code) tries.

    python3 Tools/class-slots-model.py [STEPS] [CHOICES]
"""
import random
import sys

import pulp


def greedy(classes, counts):
    free = [[w, n] for w, n in classes]
    for k in sorted(range(len(counts)), key=lambda k: (-counts[k], k)):
        left, used = counts[k], [False] * len(classes)
        while left > 0:
            best = None
            for r in range(len(free)):
                if used[r]:
                    continue
                for c in (0, 1):
                    f = free[r][c]
                    if f <= 0:
                        continue
                    fits = f >= left
                    if best is None:
                        better = True
                    else:
                        best_fits = best[0] >= left
                        better = fits if fits != best_fits else (f < best[0] if fits else f > best[0])
                    if better:
                        best = (f, r, c)
            if best is None:
                return False
            n = min(left, best[0])
            free[best[1]][best[2]] -= n
            used[best[1]] = True
            left -= n
    return True


def search(classes, counts, steps, choices):
    free = [[w, n] for w, n in classes]
    order = sorted(range(len(counts)), key=lambda k: (-counts[k], k))
    taken = [0]

    def fill(position, left, used):
        if left == 0:
            return position + 1 == len(order) or fill(position + 1, counts[order[position + 1]], [False] * len(classes))
        taken[0] += 1
        if taken[0] > steps:
            return False
        whole, partial, reach = [], [], 0
        for r in range(len(free)):
            if used[r]:
                continue
            reach += max(free[r])
            for c in (0, 1):
                if free[r][c] > 0:
                    (whole if free[r][c] >= left else partial).append((free[r][c], r, c))
        if reach < left:
            return False
        whole.sort()
        partial.sort(key=lambda o: (-o[0], o[1], o[2]))
        for f, r, c in whole[:choices] + partial[:choices]:
            n = min(left, f)
            free[r][c] -= n
            used[r] = True
            if fill(position, left - n, used):
                return True
            used[r] = False
            free[r][c] += n
        return False

    return fill(0, counts[order[0]], [False] * len(classes))


def exact(classes, counts):
    rooms, schools = range(len(classes)), range(len(counts))
    program = pulp.LpProblem("classes", pulp.LpMinimize)
    x = {(s, r, c): pulp.LpVariable(f"x_{s}_{r}_{c}", 0, None, cat="Integer") for s in schools for r in rooms for c in (0, 1)}
    y = {(s, r, c): pulp.LpVariable(f"y_{s}_{r}_{c}", cat="Binary") for s in schools for r in rooms for c in (0, 1)}
    program += 0
    for s in schools:
        program += pulp.lpSum(x[s, r, c] for r in rooms for c in (0, 1)) == counts[s]
        for r in rooms:
            program += y[s, r, 0] + y[s, r, 1] <= 1
            for c in (0, 1):
                program += x[s, r, c] <= classes[r][c] * y[s, r, c]
    for r in rooms:
        for c in (0, 1):
            program += pulp.lpSum(x[s, r, c] for s in schools) <= classes[r][c]
    program.solve(pulp.PULP_CBC_CMD(msg=0))
    return pulp.LpStatus[program.status] == "Optimal"


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    choices = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    tally = {"parts": 0, "greedy fails": 0, "of those packable": 0, "search packs": 0}
    for seed, lowest in [(3, 0.97), (4, 0.97), (5, 0.99), (6, 0.9)]:
        rng = random.Random(seed)
        for _ in range(400):
            classes = []
            for _ in range(rng.randint(1, 5)):
                a, b = rng.randint(2, 10), rng.randint(2, 10)
                seats = a * b - rng.randint(0, a * b // 5)
                wide = (seats + 1) // 2 + rng.randint(0, 2)
                classes.append((wide, seats - wide))
            total, wide = sum(w + n for w, n in classes), sum(w for w, _ in classes)
            schools = rng.randint(2, 6)
            target = int(total * rng.uniform(lowest, 1.0))
            cuts = sorted(rng.sample(range(1, target), schools - 1)) if target > schools else []
            counts = [b - a for a, b in zip([0] + cuts, cuts + [target])]
            if any(c <= 0 or c > wide for c in counts):
                continue
            tally["parts"] += 1
            if greedy(classes, counts):
                continue
            tally["greedy fails"] += 1
            tally["of those packable"] += exact(classes, counts)
            tally["search packs"] += search(classes, counts, steps, choices)
    print(tally)


if __name__ == "__main__":
    main()
