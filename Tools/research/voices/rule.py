import csv, numpy as np, itertools, sys
rows=list(csv.DictReader(open("profiles.csv")))
spk=sorted({r["speaker"] for r in rows}); tune=set(spk[0::2])
M=np.array([[float(r[f"m{k}"]) for k in range(1,13)] for r in rows]); F=np.array([float(r["f0"]) for r in rows])
S=np.array([[float(r[f"s{k}"]) for k in range(1,13)] for r in rows])
sp=np.array([r["speaker"] for r in rows]); idx_of={s:[i for i in range(len(rows)) if sp[i]==s] for s in spk}
gender={r["speaker"]:r["gender"] for r in rows}; band={r["speaker"]:r["age_band"] for r in rows}
def make_dist(w,wf,ws=0):
    def d(a,b):
        x=np.sqrt(np.mean(w*(M[a]-M[b])**2)) + ws*np.sqrt(np.mean((S[a]-S[b])**2))
        if F[a]>0 and F[b]>0: x+=wf*abs(np.log2(F[a]/F[b]))
        return x
    return d
def flagged(items, d, T):
    n=len(items); D=np.array([[d(a,b) for b in items] for a in items])
    out=set()
    anyagree=any(D[j,m]<=T for j in range(n) for m in range(j+1,n))
    if not anyagree: return {"all"}
    for k in range(n):
        nearest=min(D[k,j] for j in range(n) if j!=k)
        others=any(D[j,m]<=T for j in range(n) for m in range(n) if j!=k and m!=k and j!=m)
        if nearest>T and others: out.add(k)
    return out
rng=np.random.default_rng(762)
def evaluate(part, d, T):
    chosen=[s for s in spk if (s in tune)==(part=="tune")]
    fa=0; hit=0; tot=0; hs=0; ts=0
    for s in chosen:
        items=idx_of[s]
        if flagged(items,d,T): fa+=1
    r2=np.random.default_rng(7)
    for s in chosen:
        for pos in (1,5):
            if pos>=len(idx_of[s]): continue
            others=[o for o in spk if o!=s and len(idx_of[o])>pos]
            o=others[r2.integers(len(others))]
            items=list(idx_of[s]); items[pos]=idx_of[o][pos]
            f=flagged(items,d,T); tot+=1; hit+= (pos in f or "all" in f)
            alike=[o for o in others if gender[o]==gender[s] and band[o]==band[s]]
            if alike:
                o=alike[r2.integers(len(alike))]; items=list(idx_of[s]); items[pos]=idx_of[o][pos]
                f=flagged(items,d,T); ts+=1; hs+=(pos in f or "all" in f)
    return fa/len(chosen), hit/tot, hs/ts
tidx=np.array([r["speaker"] in tune for r in rows])
wv=np.zeros(12)
for s in tune:
    m=sp==s; wv+=((M[m]-M[m].mean(0))**2).sum(0)
wv/=tidx.sum(); w1=(1/wv)/np.mean(1/wv)
print("within-var weights", np.round(w1,2))
for name,d,Ts in (("current",make_dist(np.ones(12),10),(2.5,3,4)),("w=1/within wf5",make_dist(w1,5),(2.5,3,3.5,4)),("w=1/within wf5 ws1",make_dist(w1,5,1),(3,3.5,4,4.5))):
    for T in Ts:
        a=evaluate("tune",d,T); b=evaluate("test",d,T)
        print(f"{name} T {T}: tune FA {a[0]:.1%} hit {a[1]:.1%} similar {a[2]:.1%} | test FA {b[0]:.1%} hit {b[1]:.1%} similar {b[2]:.1%}")
print("---- sweep")
for name,d in (("current",make_dist(np.ones(12),10)),("w=1/within wf5",make_dist(w1,5)),("w=1/within wf10",make_dist(w1,10)),("w=1/within wf5 ws1",make_dist(w1,5,1))):
    for T in np.arange(1.2,3.01,0.2):
        a=evaluate("tune",d,T)
        if a[0]<=0.06:
            b=evaluate("test",d,T)
            print(f"{name} T {T:.1f}: tune FA {a[0]:.1%} hit {a[1]:.1%} similar {a[2]:.1%} | test FA {b[0]:.1%} hit {b[1]:.1%} similar {b[2]:.1%}")
            break
