#!/usr/bin/env python3
"""Usage: Tools/sweep-pairs-summary.py PAIRS.tsv — summarises Tools/sweep-allocate-pairs.sh: on how many cities the
plan has no same-school neighbours whenever a plan without them exists (the planner's bound above 0, or CP-SAT's
seat-by-seat --zero check, proves it where the plan has pairs), and where pairs cannot be avoided, the plan's pairs
against CP-SAT's best in the same time and against the planner's printed bound."""
import sys


def main(path):
    lines = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")]
    every = [dict(zip(lines[0], r)) for r in lines[1:] if len(r) == len(lines[0])]
    rows = [r for r in every if r["pairs"] != "refused"]
    refused = [r["city"] for r in every if r["pairs"] == "refused"]
    clean = [r for r in rows if r["pairs"] == "0"]
    forced_by_bound = [r for r in rows if r["pairs"] != "0" and r["pairs_bound"] != "0"]
    proven = [r for r in rows if r["pairs"] != "0" and r["pairs_bound"] == "0" and r["pair_free"] == "no"]
    missed = [r for r in rows if r["pairs"] != "0" and r["pair_free"] == "yes"]
    unknown = [r for r in rows if r["pairs"] != "0" and r["pair_free"] == "unknown"]
    print(f"cities: {len(every)} (make-city-b.py, 1,000 and 2,000 candidates, plain and --wide); "
          f"refused by the planner as impossible to seat: {len(refused)} {refused}")
    print(f"plan without same-school neighbours: {len(clean)}")
    print(f"plan with pairs, none avoidable: {len(forced_by_bound) + len(proven)} "
          f"({len(forced_by_bound)} by the planner's bound, {len(proven)} only by CP-SAT's seat-by-seat check)")
    print(f"plan with pairs although a plan without exists: {len(missed)} {[r['city'] for r in missed]}")
    print(f"undecided (CP-SAT's check ran out of time): {len(unknown)} {[r['city'] for r in unknown]}")
    compared = [r for r in rows if r["pairs"] != "0" and r["cpsat_pairs"] != "-"]
    if compared:
        print("where pairs cannot be avoided (plan / CP-SAT's best in the same run / CP-SAT's bound / planner's bound):")
        for r in compared:
            print(f"  {r['city']}: {r['pairs']} / {r['cpsat_pairs']} / {r['cpsat_pairs_bound']} / {r['pairs_bound']}")
        better = sum(int(r["pairs"]) < int(r["cpsat_pairs"]) for r in compared)
        equal = sum(int(r["pairs"]) == int(r["cpsat_pairs"]) for r in compared)
        print(f"  plan fewer than CP-SAT's on {better}, equal on {equal}, more on {len(compared) - better - equal}")


if __name__ == "__main__":
    main(sys.argv[1])
