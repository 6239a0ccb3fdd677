#!/usr/bin/env python3
"""Frequency warping (VTLN) for the aligner: how each fixed warp, and a warp chosen per answer or per speaker by
the aligner's own fit, move the answer-level GOP inputs' agreement with speechocean762's experts, by age band.

  for w in 0.60 0.65 0.70 0.75 0.80 0.85 0.90 0.95 1.00 1.05 1.10; do
    Benchmarks/.build/release/pron-eval --jobs 2 --warps $w --features-csv /tmp/warp/$w.csv > /tmp/warp/$w.md
  done
  python3 Tools/research/vtln/warp_eval.py ../shared/data/speechocean762/scores.csv /tmp/warp/*.csv

Selection criteria use no expert mark: the answer's (or the speaker's mean) alignment score per frame or mean GOP.
"""
import csv, math, os, statistics, sys
from collections import defaultdict

def pearson(x, y):
    try: return statistics.correlation(x, y)
    except statistics.StatisticsError: return float('nan')

scores = {r['utt']: r for r in csv.DictReader(open(sys.argv[1]))}
tables = {}
for path in sys.argv[2:]:
    warp = os.path.basename(path)[:-4]
    tables[warp] = {r['id']: r for r in csv.DictReader(open(path))}
warps = sorted(tables)
def band(age):
    a = int(age)
    return '<13' if a < 13 else ('13-17' if a < 18 else 'adult')
keys = ['pron_mean_gop', 'pron_gop_deficit', 'pron_p10_gop', 'pron_alignment_score', 'pron_completeness']

def value(row, key):
    try:
        v = float(row[key]); return v if math.isfinite(v) else None
    except (KeyError, ValueError): return None

def report(name, choose):
    """choose(utt) -> warp; prints r with accuracy and total for each key and band."""
    lines = []
    for key in keys:
        cells = []
        for b in ['all', '<13', '13-17', 'adult']:
            xs, acc, tot = [], [], []
            for utt, s in scores.items():
                if b != 'all' and band(s['age']) != b: continue
                w = choose(utt)
                row = tables[w].get(utt)
                v = value(row, key) if row else None
                if v is None or value(row, 'pron_missing') not in (0.0, None): continue
                xs.append(v); acc.append(float(s['accuracy_mean'])); tot.append(float(s['total_mean']))
            cells.append(f"{pearson(xs, acc):.3f}/{pearson(xs, tot):.3f} (n{len(xs)})")
        lines.append(f"| {name} | {key} | " + " | ".join(cells) + " |")
    print("\n".join(lines))

print("| warp | input | all | <13 | 13-17 | adults |  (r with accuracy / total)")
print("|---|---|---|---|---|---|")
for w in warps:
    report(w, lambda utt, w=w: w)

for crit in ['pron_alignment_score', 'pron_mean_gop']:
    def per_answer(utt, crit=crit):
        best = max(warps, key=lambda w: value(tables[w].get(utt, {}), crit) if tables[w].get(utt) and value(tables[w][utt], crit) is not None else -1e9)
        return best
    report(f"answer max {crit}", per_answer)
    speaker_choice = {}
    by_speaker = defaultdict(list)
    for utt, s in scores.items(): by_speaker[s['speaker']].append(utt)
    for spk, utts in by_speaker.items():
        def mean_crit(w):
            vals = [value(tables[w][u], crit) for u in utts if u in tables[w]]
            vals = [v for v in vals if v is not None]
            return sum(vals) / len(vals) if vals else -1e9
        speaker_choice[spk] = max(warps, key=mean_crit)
    report(f"speaker max {crit}", lambda utt: speaker_choice[scores[utt]['speaker']])
    counts = defaultdict(lambda: defaultdict(int))
    for spk, w in speaker_choice.items():
        age = scores[by_speaker[spk][0]]['age']
        counts[band(age)][w] += 1
    print(f"speakers' chosen warp by {crit}:", {b: dict(c) for b, c in counts.items()})

# By gender among adults and children: a warp that fits shorter vocal tracts should help women and children most.
print("\n| warp | mean GOP r with accuracy: adult men | adult women | children m | children f |")
for w in warps:
    cells = []
    for group in [('adult', 'm'), ('adult', 'f'), ('<13', 'm'), ('<13', 'f')]:
        xs, ys = [], []
        for utt, s in scores.items():
            if band(s['age']) != group[0] or s['gender'].lower() != group[1]: continue
            row = tables[w].get(utt)
            v = value(row, 'pron_mean_gop') if row else None
            if v is None or value(row, 'pron_missing') not in (0.0, None): continue
            xs.append(v); ys.append(float(s['accuracy_mean']))
        cells.append(f"{pearson(xs, ys):.3f} (n{len(xs)})")
    print(f"| {w} | " + " | ".join(cells) + " |")
