import csv, numpy as np, sys
from collections import defaultdict
rows=list(csv.DictReader(open(sys.argv[1] if len(sys.argv)>1 else '/tmp/ph.csv')))
n=len(rows)
def col(k,src=rows): return np.array([float(r[k]) for r in src])
y=col('expert_mean_mark'); wrong=col('majority_wrong')
def auc(score, lab):
    s=-score; pos=s[lab==1]; neg=s[lab==0]
    order=np.argsort(np.concatenate([pos,neg])); ranks=np.empty(len(order)); ranks[order]=np.arange(1,len(order)+1)
    return (ranks[:len(pos)].sum()-len(pos)*(len(pos)+1)/2)/(len(pos)*len(neg))
def pcc(a,b): return np.corrcoef(a,b)[0,1]
phones=sorted(set(r['phone'] for r in rows)); pidx={p:i for i,p in enumerate(phones)}
ph=np.array([pidx[r['phone']] for r in rows])
utt=np.array([r['utt'] for r in rows]); word=np.array([int(r['word']) for r in rows])
spk=np.array([r['speaker'] for r in rows]); sp=sorted(set(spk))
rng=np.random.RandomState(0); perm=rng.permutation(len(sp)); fold={s:perm[i]%5 for i,s in enumerate(sp)}
fid=np.array([fold[s] for s in spk])
gop=col('gop'); z=col('z'); dur=col('log_duration_ratio'); lpp=col('log_posterior'); mar=col('margin')
mis=np.array([1.0 if r['likeliest']!=r['phone'] else 0 for r in rows])
def neigh(x, d):
    o=x.copy()
    for i in range(n):
        j=i+d
        if 0<=j<n and utt[j]==utt[i]: o[i]=x[j]
    return o
def group_mean(x, keys):
    s=defaultdict(float); c=defaultdict(int)
    for k,v in zip(keys,x): s[k]+=v; c[k]+=1
    return np.array([s[k]/c[k] for k in keys])
def group_min(x, keys):
    s=defaultdict(lambda: 1e9)
    for k,v in zip(keys,x): s[k]=min(s[k],v)
    return np.array([s[k] for k in keys])
wkey=[u+':'+str(w) for u,w in zip(utt,word)]
cnt=defaultdict(int)
for k in wkey: cnt[k]+=1
wlen=np.array([cnt[k] for k in wkey],float)
pos=np.zeros(n); 
seen=defaultdict(int)
for i,k in enumerate(wkey): pos[i]=seen[k]; seen[k]+=1
final=(pos==wlen-1).astype(float); first=(pos==0).astype(float)
onehot=np.eye(len(phones))[ph]
def cv(X, lam=1.0):
    X=np.column_stack([X, np.ones(n)]); pred=np.zeros(n)
    for f in range(5):
        tr=fid!=f; te=fid==f
        mu=X[tr].mean(0); sd=X[tr].std(0)+1e-9; mu[-1]=0; sd[-1]=1
        A=(X[tr]-mu)/sd; B=(X[te]-mu)/sd
        w=np.linalg.solve(A.T@A+lam*np.eye(A.shape[1]), A.T@y[tr]); pred[te]=B@w
    return pred
def rep(name,p): print(f'{name:60s} {pcc(p,y):.3f} {auc(p,wrong):.3f}', flush=True)
base=np.column_stack([gop,z,dur,neigh(gop,-1),neigh(gop,1),onehot])
post=np.column_stack([lpp,mar,np.minimum(mar,0),mis,neigh(lpp,-1),neigh(lpp,1)])
rep('base', cv(base)); rep('base+post', cv(np.column_stack([base,post])))
uctx=np.column_stack([group_mean(lpp,utt),group_mean(np.minimum(mar,0),utt),group_mean(z,utt),group_mean(dur**2,utt)])
wctx=np.column_stack([group_mean(lpp,wkey),group_min(lpp,wkey),group_mean(z,wkey),group_min(mar,wkey),wlen,final,first])
rep('+utt ctx', cv(np.column_stack([base,post,uctx])))
rep('+word ctx', cv(np.column_stack([base,post,wctx])))
rep('+both', cv(np.column_stack([base,post,uctx,wctx])))
V=np.array([[float(r[k]) for k in sorted((k for k in rows[0] if k.startswith('logpost_')), key=lambda k: int(k[8:]))] for r in rows])
np.save('/tmp/ph/V.npy', V)
np.save('/tmp/ph/X.npy', np.column_stack([gop,z,dur,lpp,mar,mis,neigh(gop,-1),neigh(gop,1),neigh(lpp,-1),neigh(lpp,1),neigh(mar,-1),neigh(mar,1),uctx,wctx,ph,neigh(ph.astype(float),-1),neigh(ph.astype(float),1)]))
np.save('/tmp/ph/y.npy', y); np.save('/tmp/ph/w.npy', wrong); np.save('/tmp/ph/fid.npy', fid)
