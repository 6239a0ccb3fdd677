import numpy as np, csv, pickle, lightgbm as lgb
from collections import defaultdict
import sys
out=pickle.load(open(sys.argv[1] if len(sys.argv)>1 else '/tmp/ph/mlp_out_256_8_5.pkl','rb'))
labeled=defaultdict(list); cur=None
for line in open('/tmp/ph/frames.meta'):
    p=line.split()
    if p[0]=='A': cur=p[1]; k=0
    elif p[1]!='SIL':
        if float(p[4])!=-1: labeled[cur].append(k)
        k+=1
rows=list(csv.DictReader(open('/tmp/ph.csv'))); seen=defaultdict(int); M=[]
for r in rows:
    u=r['utt']; i=seen[u]; seen[u]+=1
    ks=labeled.get(u,[])
    v=out.get((u,ks[i])) if i<len(ks) else None
    M.append(v if v is not None else (np.nan,np.nan,np.nan))
M=np.array(M,float); print('matched',np.isfinite(M[:,0]).sum(),'of',len(M))
X=np.load('/tmp/ph/X.npy'); y=np.load('/tmp/ph/y.npy'); w=np.load('/tmp/ph/w.npy'); fid=np.load('/tmp/ph/fid.npy'); import os, sys
V=np.load('/tmp/ph/V.npy') if os.path.exists('/tmp/ph/V.npy') else np.zeros((len(y),0))
def auc(score, lab):
    s=-score; pos=s[lab==1]; neg=s[lab==0]
    order=np.argsort(np.concatenate([pos,neg])); ranks=np.empty(len(order)); ranks[order]=np.arange(1,len(order)+1)
    return (ranks[:len(pos)].sum()-len(pos)*(len(pos)+1)/2)/(len(pos)*len(neg))
ok=np.isfinite(M[:,0])
for k,name in enumerate(['mlp lpp','mlp margin','mlp frame acc']):
    print(name, round(np.corrcoef(M[ok,k],y[ok])[0,1],3), round(auc(M[ok,k],w[ok]),3))
print('ptm lpp', round(np.corrcoef(X[ok,3],y[ok])[0,1],3))
utt=np.array([r['utt'] for r in rows])
# utterance means of mlp lpp as context
um=defaultdict(list)
for i,u in enumerate(utt):
    if ok[i]: um[u].append(M[i,0])
umean=np.array([np.mean(um[u]) if um[u] else np.nan for u in utt])
nb=X.shape[1]; cat=[nb-3,nb-2,nb-1]; n=len(y)
def run(XX,name):
    pred=np.zeros(n)
    p=dict(num_leaves=15,learning_rate=0.03,n_estimators=500,min_child_samples=50,subsample=0.8,subsample_freq=1,colsample_bytree=0.5)
    for f in range(5):
        tr=fid!=f; te=fid==f
        m=lgb.LGBMRegressor(verbose=-1,**p); m.fit(XX[tr],y[tr],categorical_feature=cat); pred[te]=m.predict(XX[te])
    print(name, round(np.corrcoef(pred,y)[0,1],3), round(auc(pred,w),3), flush=True)
base=np.column_stack([X,V])
run(base,'trees base')
run(np.column_stack([base,M,umean]),'trees + mlp')
