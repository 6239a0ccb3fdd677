# Phone-level check of the every-phone measures outside Swift (numpy only), from pron-eval's phone table:
#   Benchmarks/.build/release/pron-eval --jobs 2 --phones-csv /tmp/ph.csv
#   python3 Tools/research/phone-posteriors/phone_eval.py /tmp/ph.csv
# Prints single-measure PCC / AUC and speaker-disjoint 5-fold ridge CV (a simpler base set than pron-eval's ridge:
# 0.285 here against pron-eval's 0.318; with the posterior inputs 0.323-0.327). docs/accuracy.md, "Every phone scored".
import csv, numpy as np, sys
from collections import defaultdict
rows=list(csv.DictReader(open(sys.argv[1])))
n=len(rows)
def col(k): return np.array([float(r[k]) for r in rows])
y=col('expert_mean_mark'); wrong=col('majority_wrong')
def auc(score, lab):
    # AUC that low score => wrong
    s=-score; pos=s[lab==1]; neg=s[lab==0]
    order=np.argsort(np.concatenate([pos,neg])); ranks=np.empty(len(order)); ranks[order]=np.arange(1,len(order)+1)
    return (ranks[:len(pos)].sum()-len(pos)*(len(pos)+1)/2)/(len(pos)*len(neg))
def pcc(a,b): return np.corrcoef(a,b)[0,1]
for k in ['gop','z','log_posterior','margin']:
    x=col(k); print(k, round(pcc(x,y),3), round(auc(x,wrong),3))
mis=np.array([1.0 if r['likeliest']!=r['phone'] else 0 for r in rows])
print('likeliest != canonical share', mis.mean().round(3), 'pcc', round(pcc(-mis,y),3), 'auc', round(auc(-mis,wrong),3))
# per-phone z of lpp and margin
phones=sorted(set(r['phone'] for r in rows)); pidx={p:i for i,p in enumerate(phones)}
ph=np.array([pidx[r['phone']] for r in rows])
def zper(x):
    z=np.zeros(n)
    for i in range(len(phones)):
        m=ph==i; z[m]=(x[m]-x[m].mean())/(x[m].std()+1e-9)
    return z
for k in ['log_posterior','margin']:
    z=zper(col(k)); print(k,'z', round(pcc(z,y),3), round(auc(z,wrong),3))
# neighbours within utterance
utt=[r['utt'] for r in rows]
def neigh(x, d):
    o=x.copy()
    for i in range(n):
        j=i+d
        if 0<=j<n and utt[j]==utt[i]: o[i]=x[j]
    return o
spk=np.array([r['speaker'] for r in rows]); sp=sorted(set(spk))
rng=np.random.RandomState(0); perm=rng.permutation(len(sp)); fold={s:perm[i]%5 for i,s in enumerate(sp)}
fid=np.array([fold[s] for s in spk])
def cv(X, lam=1.0):
    X=np.column_stack([X, np.ones(n)])
    pred=np.zeros(n)
    for f in range(5):
        tr=fid!=f; te=fid==f
        mu=X[tr].mean(0); sd=X[tr].std(0)+1e-9; mu[-1]=0; sd[-1]=1
        A=(X[tr]-mu)/sd; B=(X[te]-mu)/sd
        w=np.linalg.solve(A.T@A+lam*np.eye(A.shape[1]), A.T@y[tr])
        pred[te]=B@w
    return pred
gop=col('gop'); z=col('z'); dur=col('log_duration_ratio'); lpp=col('log_posterior'); mar=col('margin')
onehot=np.eye(len(phones))[ph]
base=np.column_stack([gop,z,dur,neigh(gop,-1),neigh(gop,1),onehot])
p=cv(base); print('base ridge', round(pcc(p,y),3), round(auc(p,wrong),3))
zl=zper(lpp); zm=zper(mar)
new=np.column_stack([base,lpp,mar,zl,zm,mis,neigh(lpp,-1),neigh(lpp,1),neigh(mar,-1),neigh(mar,1), np.minimum(mar,0), np.minimum(zm,0)])
p=cv(new); print('with posterior', round(pcc(p,y),3), round(auc(p,wrong),3))
new2=np.column_stack([new, onehot*zm[:,None], onehot*zl[:,None]])
p=cv(new2, 10); print('with per-phone slopes', round(pcc(p,y),3), round(auc(p,wrong),3))
