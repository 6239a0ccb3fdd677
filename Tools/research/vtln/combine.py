#!/usr/bin/env python3
"""Per answer, the row of the warp whose alignment fits best (highest pron_alignment_score; an answer that a warp
could not align or marked missing counts as worst there), from pron-eval --features-csv tables, one per warp.

  python3 Tools/research/vtln/combine.py OUT.csv /tmp/warp/0.65.csv /tmp/warp/0.80.csv /tmp/warp/1.00.csv
"""
import csv, math, sys
out, paths = sys.argv[1], sys.argv[2:]
tables = [list(csv.DictReader(open(p))) for p in paths]
def fit(row):
    try:
        if float(row.get('pron_missing') or 0) != 0: return -1e9
        v = float(row['pron_alignment_score']); return v if math.isfinite(v) else -1e9
    except ValueError: return -1e9
with open(out, 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=list(tables[0][0].keys())); w.writeheader()
    for rows in zip(*tables):
        assert len({r['id'] for r in rows}) == 1
        w.writerow(max(rows, key=fit))
