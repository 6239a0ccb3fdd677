#!/usr/bin/env python3
"""Usage: Tools/sweep-summary.py SWEEP.tsv [MORE.tsv …] — summarises Tools/sweep-allocate.sh: how often the plan has no
same-school pairs when the bound allows none, and the distribution of the gaps to the bounds (trips over the
"no neighbours" bound, planner vs greedy vs CP-SAT)."""
import statistics
import sys


def quantiles(xs):
    xs = sorted(xs)
    if not xs:
        return "-"
    pick = lambda q: xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))]
    return f"min {xs[0]:.1f} / median {pick(0.5):.1f} / p90 {pick(0.9):.1f} / max {xs[-1]:.1f}"


def main(paths):
    seen, rows = set(), []
    for path in paths:
        lines = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")]
        for r in lines[1:]:
            if len(r) == len(lines[0]) and r[0] not in seen:
                seen.add(r[0])
                rows.append(dict(zip(lines[0], r)))
    zero_bound = [r for r in rows if r["pairs_bound"] == "0"]
    clean = [r for r in zero_bound if r["pairs"] == "0"]
    print(f"cities: {len(rows)} ({sum(r['city'].startswith('B') for r in rows)} of make-city-b.py, "
          f"{sum(r['city'].startswith('Bw') for r in rows)} of them --wide, "
          f"{sum(r['city'].startswith('A') for r in rows)} of make-city.py), "
          f"{min(int(r['candidates']) for r in rows):,}-{max(int(r['candidates']) for r in rows):,} candidates")
    print(f"same-school pairs = 0 where the bound is 0: {len(clean)} of {len(zero_bound)}")
    for r in rows:
        if r["pairs_bound"] != "0" or r["pairs"] != "0":
            print(f"  {r['city']} ({r['candidates']}): pairs {r['pairs']}, bound {r['pairs_bound']}, greedy {r['greedy_pairs']}")
    gap = lambda a, b: 100.0 * (int(a) - int(b)) / int(b)
    positive = [r for r in rows if r["pairs_bound"] != "0"]
    if positive:
        print(f"where the bound is above 0 ({len(positive)}): pairs over the bound, planner "
              + quantiles([int(r["pairs"]) - int(r["pairs_bound"]) for r in positive])
              + "; greedy " + quantiles([int(r["greedy_pairs"]) - int(r["pairs_bound"]) for r in positive]))
    no_worse = sum(int(r["trips"]) <= int(r["greedy_trips"]) for r in rows)
    print(f"trips at most the greedy's: {no_worse} of {len(rows)}")
    print("trips over the bound, %: planner " + quantiles([gap(r["trips"], r["trips_bound"]) for r in rows]))
    print("                         greedy  " + quantiles([gap(r["greedy_trips"], r["trips_bound"]) for r in rows]))
    both = [r for r in rows if r["cpsat_trips"] != "-"]
    if both:
        print(f"CP-SAT cities ({len(both)}, <= 5,000 candidates): planner − CP-SAT trips "
              + quantiles([int(r["trips"]) - int(r["cpsat_trips"]) for r in both])
              + f"; CP-SAT's bound above ours on {sum(int(r['cpsat_bound']) > int(r['trips_bound']) for r in both)}")
    print("exam allocate, whole command, s: " + quantiles([float(r["allocate_s"]) for r in rows])
          + f"; greedy planning wall s: " + quantiles([float(r["greedy_s"]) for r in rows]))


if __name__ == "__main__":
    main(sys.argv[1:])
