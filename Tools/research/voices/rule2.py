import os; exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule.py")).read().split("rng=np.random")[0])
V=np.array([int(r["voiced"]) for r in rows])
def evaluate(part, d, T, minv):
    chosen=[s for s in spk if (s in tune)==(part=="tune")]
    fa=0; hit=0; tot=0; n0=0
    r2=np.random.default_rng(7)
    for s in chosen:
        items=[i for i in idx_of[s] if V[i]>=minv]
        if len(items)>=2 and flagged(items,d,T): fa+=1
        for pos in (1,5):
            others=[o for o in spk if o!=s and len(idx_of[o])>pos]
            o=others[r2.integers(len(others))]
            items=list(idx_of[s]); items[pos]=idx_of[o][pos]
            tot+=1
            if V[items[pos]]<minv: continue
            kept=[i for i in items if V[i]>=minv]
            if len(kept)<2: continue
            f=flagged(kept,d,T); k=kept.index(items[pos])
            hit+=(k in f or "all" in f)
    return fa/len(chosen), hit/tot
d=make_dist(np.ones(12),10)
for minv in (0,200,250,300):
    for T in (2.5,3):
        a=evaluate("tune",d,T,minv); b=evaluate("test",d,T,minv)
        print(f"minv {minv} T {T}: tune FA {a[0]:.1%} hit {a[1]:.1%} | test FA {b[0]:.1%} hit {b[1]:.1%}")
