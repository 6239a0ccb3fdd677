#!/usr/bin/env python3
"""Variants of the voice-change rule on dumped embeddings (voice-eval --dump FILE), same protocol as voice-eval:
genuine candidates = each speaker's answers (flagged when any answer scores under the threshold); impostors = the
answer at position 1 or 5 replaced by another speaker's (any; same gender and age band), seeded like voice-eval's
cases only in spirit (numpy seed), cohort = the other speakers of the part, spread-limited to 400 answers.

    Tools/research/voices/embedding_rule.py /tmp/voices.jsonl [--part tune|test]
"""
import json, argparse
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("dump")
ap.add_argument("--part", default="tune")
args = ap.parse_args()
rows = [json.loads(l) for l in open(args.dump)]
spk = {}
for r in rows:
    s = spk.setdefault(r["speaker"], {"gender": r["gender"], "band": r["band"], "tune": r["tune"], "ans": {}})
    s["ans"][r["position"]] = (np.array(r["values"], dtype=np.float64), r["speechSeconds"])
ids = sorted(spk)
chosen = [i for i in ids if spk[i]["tune"] == (args.part == "tune")] if args.part != "all" else ids
rng = np.random.default_rng(762)
pool = [(i, p) for i in chosen for p in sorted(spk[i]["ans"])]
lim = [pool[k * len(pool) // 400] for k in range(400)] if len(pool) > 400 else pool
cases = []
for i in chosen:
    me = spk[i]
    for pos in (1, 5):
        if pos not in me["ans"]: continue
        others = [o for o in ids if o != i and pos in spk[o]["ans"]]
        anyo = others[rng.integers(len(others))]
        alike = [o for o in others if spk[o]["gender"] == me["gender"] and spk[o]["band"] == me["band"]]
        sim = alike[rng.integers(len(alike))] if alike else None
        cases.append((i, pos, anyo, sim))

def unit(v): return v / np.linalg.norm(v)

def cohort(i): return np.array([spk[c]["ans"][p][0] for c, p in lim if c != i])

def snorm_stats(v, C, top):
    s = np.sort(C @ v)[::-1][:top]
    return s.mean(), max(s.std(ddof=1), 1e-3)

def snorm(c, a, b):
    """symmetric s-norm of cosine c with the (mean, sd) of each side's closest cohort cosines"""
    return 0.5 * ((c - a[0]) / a[1] + (c - b[0]) / b[1])

def leave_one_out(E, C, top, weights=None):
    """each answer against the (weighted) centroid of the others, s-normalised as the product does"""
    out = []
    for k in range(len(E)):
        w = np.ones(len(E) - 1) if weights is None else np.delete(weights, k)
        rest = unit((np.delete(E, k, 0) * w[:, None]).sum(0))
        out.append(snorm(E[k] @ rest, snorm_stats(E[k], C, top), snorm_stats(rest, C, top)))
    return np.array(out)

def scores_base(E, D, C, top=100):
    return leave_one_out(E, C, top)

VARIANTS = {"base": scores_base}

def variant(f):
    VARIANTS[f.__name__[7:]] = f
    return f

@variant
def scores_meanpair(E, D, C, top=100):
    """mean of s-normed pairwise cosines with the other answers"""
    stats = [snorm_stats(e, C, top) for e in E]
    out = []
    for k in range(len(E)):
        v = []
        for j in range(len(E)):
            if j == k: continue
            v.append(snorm(E[k] @ E[j], stats[k], stats[j]))
        out.append(np.mean(v))
    return np.array(out)

@variant
def scores_median(E, D, C, top=100):
    """median of s-normed pairwise cosines (robust to a second odd answer)"""
    stats = [snorm_stats(e, C, top) for e in E]
    out = []
    for k in range(len(E)):
        v = [snorm(E[k] @ E[j], stats[k], stats[j]) for j in range(len(E)) if j != k]
        out.append(np.median(v))
    return np.array(out)

@variant
def scores_wcentroid(E, D, C, top=100):
    """rest centroid weighted by speech seconds"""
    return leave_one_out(E, C, top, weights=D)

@variant
def scores_answerside(E, D, C, top=100):
    """z-norm on the answer's side only"""
    out = []
    for k in range(len(E)):
        rest = unit(np.delete(E, k, 0).sum(0))
        c = E[k] @ rest
        a = snorm_stats(E[k], C, top)
        out.append((c - a[0]) / a[1])
    return np.array(out)

@variant
def scores_margin(E, D, C, top=100):
    """cosine to own rest minus the best cosine to any cohort answer's... (top-10 mean), in cohort SDs"""
    out = []
    for k in range(len(E)):
        rest = unit(np.delete(E, k, 0).sum(0))
        c = E[k] @ rest
        s = np.sort(C @ E[k])[::-1]
        out.append((c - s[:10].mean()) / max(s[:top].std(ddof=1), 1e-3))
    return np.array(out)

def evaluate(fn, **kw):
    gen = []
    for i in chosen:
        pos = sorted(spk[i]["ans"])
        E = np.array([spk[i]["ans"][p][0] for p in pos]); D = np.array([spk[i]["ans"][p][1] for p in pos])
        gen.append(fn(E, D, cohort(i), **kw).min())
    imp = {"any": [], "similar": []}
    for i, pos, anyo, sim in cases:
        for kind, o in (("any", anyo), ("similar", sim)):
            if o is None or pos not in spk[i]["ans"]: continue
            ans = dict(spk[i]["ans"]); ans[pos] = spk[o]["ans"][pos]
            ps = sorted(ans)
            E = np.array([ans[p][0] for p in ps]); D = np.array([ans[p][1] for p in ps])
            imp[kind].append(fn(E, D, cohort(i), **kw)[ps.index(pos)])
    return np.array(gen), {k: np.array(v) for k, v in imp.items()}

def report(name, gen, imp):
    def eer(I):
        ts = np.sort(np.concatenate([gen, I])) + 1e-9
        best = min(ts, key=lambda t: abs((gen < t).mean() - (I >= t).mean()))
        return ((gen < best).mean() + (I >= best).mean()) / 2
    line = f"{name:14s} EER any {100*eer(imp['any']):4.1f}% same {100*eer(imp['similar']):4.1f}% |"
    ts = np.sort(gen) + 1e-9
    for target in (0.0, 0.016, 0.03, 0.05):
        ok = [t for t in ts if (gen < t).mean() <= target + 1e-12]
        t = max(ok) if ok else ts[0] - 1
        line += f" FA≤{100*target:.0f}%: {100*(imp['any']<t).mean():5.1f}/{100*(imp['similar']<t).mean():5.1f}"
    print(line)

def sitting(name, gen, imp, rate=0.01):
    """The sitting's threshold (SittingVoiceThreshold): median + z(rate) * 1.4826 MAD of the candidates' lowest."""
    from statistics import NormalDist
    m = np.median(gen); d = max(1.4826 * np.median(np.abs(gen - m)), 0.1)
    t = m + NormalDist().inv_cdf(rate) * d
    print(f"{name:14s} sitting threshold {t:5.2f} at {100*rate:.0f}%: flagged {100*(gen<t).mean():4.1f}% "
          f"caught {100*(imp['any']<t).mean():5.1f}/{100*(imp['similar']<t).mean():5.1f}")

for name, fn in VARIANTS.items():
    gen, imp = evaluate(fn)
    report(name, gen, imp)
    sitting(name, gen, imp)

