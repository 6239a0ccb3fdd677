import csv, numpy as np, itertools
rows=list(csv.DictReader(open("profiles.csv")))
spk=sorted({r["speaker"] for r in rows}); tune=set(spk[0::2])
M=np.array([[float(r[f"m{k}"]) for k in range(1,13)] for r in rows]); S=np.array([[float(r[f"s{k}"]) for k in range(1,13)] for r in rows])
F=np.array([float(r["f0"]) for r in rows]); sp=np.array([r["speaker"] for r in rows])
def pairs(part):
    idx=[i for i,r in enumerate(rows) if (r["speaker"] in tune)==(part=="tune")]
    same=[];diff=[]
    for a,b in itertools.combinations(idx,2):
        (same if sp[a]==sp[b] else diff).append((a,b))
    return np.array(same),np.array(diff)
def dist(P,w,wf,ws=0.0):
    a,b=P[:,0],P[:,1]
    d=np.sqrt(((M[a]-M[b])**2*w).sum(1)/len(w)) + ws*np.sqrt(((S[a]-S[b])**2).sum(1)/12)
    pf=np.where((F[a]>0)&(F[b]>0),np.abs(np.log2(np.maximum(F[a],1)/np.maximum(F[b],1))),0)
    return d+wf*pf
def auc_eer(s,d):
    y=np.r_[np.zeros(len(s)),np.ones(len(d))]; x=np.r_[s,d]; o=np.argsort(x); y=y[o]
    # AUC: P(diff > same)
    ranks=np.empty(len(x)); ranks[o]=np.arange(1,len(x)+1)
    auc=(ranks[len(s):].sum()-len(d)*(len(d)+1)/2)/(len(s)*len(d))
    ths=np.quantile(x,np.linspace(0,1,400)); best=1
    for t in ths:
        fr=np.mean(s>t); fa=np.mean(d<=t); best=min(best,max(fr,fa))
    return auc,best
for part in ("tune","test"):
    s_,d_=pairs(part)
    w=np.ones(12)
    print(part,"current", "AUC %.3f EER %.3f"%auc_eer(dist(s_,w,10),dist(d_,w,10)))
# within-speaker variance weighting (LDA-diag), estimated on tune
tidx=np.array([r["speaker"] in tune for r in rows])
wv=np.zeros(12); 
for s in tune:
    m=sp==s; wv+=((M[m]-M[m].mean(0))**2).sum(0)
wv/= tidx.sum()
bv=M[tidx].var(0)
for name,w in (("1/within",1/wv),("between/within",bv/wv)):
    w=w/w.mean()
    for wf in (0,5,10,20):
      for ws in (0,1,3):
        r=[]
        for part in ("tune","test"):
            s_,d_=pairs(part); r.append("%s AUC %.3f EER %.3f"%((part,)+auc_eer(dist(s_,w,wf,ws),dist(d_,w,wf,ws))))
        print(name,"wf",wf,"ws",ws," | ".join(r))
