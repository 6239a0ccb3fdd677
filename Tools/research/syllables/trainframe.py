from frameds import *
import time
t=time.time()
X=[];Y=[];C=[];W=[]
meta=[]
for r in rows:
    o=fr[r["path"]]
    if r["path"] not in al: continue
    F=ctx_feats(base_feats(o)); y,c=labels(o,len(F))
    meta.append((r,len(F)))
    X.append(F);Y.append(y);C.append(c)
print("built",time.time()-t)
isTune=np.concatenate([np.full(n, r["speaker"] in tune) for r,n in meta])
good=np.concatenate([np.full(n, float(r["fluency_mean"])>=7 and float(r["completeness_mean"])>=0.95) for r,n in meta])
X=np.vstack(X);Y=np.concatenate(Y);C=np.concatenate(C)
print(X.shape, Y.mean(), isTune.mean(), good.mean())
np.savez("frames_ds.npz",X=X,Y=Y,C=C,isTune=isTune,good=good)
