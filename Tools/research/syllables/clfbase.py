from lib import *
from fast import smooth_nb
import numba, scipy.optimize as so, sys
fr=load("frames.jsonl")
def cands(o, pen=6.0, sm=1.5):
    db=np.array(o["nucleus_db"]); sp=np.array(o["speech"])>0; f0=np.array(o["f0_hz"]); mf=np.array(o["mfcc"]); bd=np.array(o["band_db"])
    n=len(db); raw=db.copy(); raw[f0<=0]-=pen; c=smooth_nb(raw,sm)
    p99=np.quantile(c,0.99); vr=runs(f0>0); sr=runs(sp)
    vmed=np.median(f0[f0>0]) if (f0>0).any() else 200.0
    mmean=mf[sp].mean(0) if sp.any() else mf.mean(0)
    idx=[];X=[]
    for i in range(1,n-1):
        if not (c[i]>c[i-1] and c[i]>=c[i+1]): continue
        if not sp[i] or c[i]<p99-35: continue
        h=c[i]; j=i-1; lb=h
        while j>=0 and c[j]<h: lb=min(lb,c[j]); j-=1
        j=i+1; rb=h
        while j<n and c[j]<=h: rb=min(rb,c[j]); j+=1
        prom=h-max(lb,rb)
        if prom<0.5: continue
        lm=c[max(0,i-25):i+26].max()
        w=1; 
        while i-w>=0 and c[i-w]>h-3: w+=1
        w2=1
        while i+w2<n and c[i+w2]>h-3: w2+=1
        vf=(f0[max(0,i-3):i+4]>0).mean()
        fo=12*np.log2(f0[i]/vmed) if f0[i]>0 else 0.0
        idx.append(i)
        X.append([min(prom,20), h-p99, h-lm, h-min(lb,rb) if min(lb,rb)>-1e9 else 20, vf, min(vr[i],50)/100, min(sr[i],300)/100, (w+w2)/100, abs(fo), *(mf[i,1:6]-mmean[1:6])/10, mf[i,0]/10-mmean[0]/10, bd[i]-db[i]])
    X=np.array(X) if X else np.zeros((0,16))
    # neighbour distances
    if len(idx):
        ia=np.array(idx); dl=np.diff(ia,prepend=-100)/100; dr=np.diff(ia,append=ia[-1]+100)/100
        X=np.hstack([X,np.minimum(dl,1)[:,None],np.minimum(dr,1)[:,None]])
    else: X=np.zeros((0,18))
    return np.array(idx),X
U=[]
for r in rows:
    idx,X=cands(fr[r["path"]]); U.append((r,syl(r["text"]),idx,X))
allX=np.vstack([u[3] for u in U]); print("candidates",len(allX), "per utt", len(allX)/len(U))
mu=allX.mean(0); sd=allX.std(0)+1e-9
def feats(X): 
    Z=(X-mu)/sd
    return np.hstack([Z, np.ones((len(Z),1))])
def split(part): return [u for u in U if part=="all" or ((u[0]["speaker"] in tune)==(part=="tune"))]
def train(us, lam=1.0, T=1.0):
    Zs=[feats(u[3]) for u in us]; refs=np.array([u[1] for u in us],float)
    d=Zs[0].shape[1]
    def f(w):
        L=0; g=np.zeros(d)
        for Z,ref in zip(Zs,refs):
            p=1/(1+np.exp(-Z@w/T)); s=p.sum(); e=(s-ref)/ref
            L+=e*e; g+=2*e/ref*((p*(1-p)/T)@Z)
        L+=lam*np.sum(w[:-1]**2); g[:-1]+=2*lam*w[:-1]
        return L,g
    w0=np.zeros(d); w0[-1]=0.0
    return so.minimize(f,w0,jac=True,method="L-BFGS-B").x
def evalw(w,us,T=1.0):
    ref=[];hard=[];soft=[]
    for r,s,idx,X in us:
        p=1/(1+np.exp(-feats(X)@w/T)) if len(X) else np.zeros(0)
        ref.append(s); hard.append((p>0.5).sum()); soft.append(round(p.sum()))
    ref=np.array(ref)
    out=[]
    for name,v in (("hard",np.array(hard)),("soft",np.array(soft))):
        e=np.abs(v-ref)/ref
        out.append(f"{name}: med {np.median(e):.1%} w12 {np.mean(e<=0.12):.1%} r {np.corrcoef(v,ref)[0,1]:.3f} signed {np.mean((v-ref)/ref):+.1%}")
    return " | ".join(out)
def train_l1(us, lam=1.0, eps=0.01, T=1.0):
    Zs=[feats(u[3]) for u in us]; refs=np.array([u[1] for u in us],float)
    d=Zs[0].shape[1]
    def f(w):
        L=0; g=np.zeros(d)
        for Z,ref in zip(Zs,refs):
            p=1/(1+np.exp(-Z@w/T)); s=p.sum(); e=(s-ref)/ref; q=np.sqrt(e*e+eps)
            L+=q; g+=(e/q)/ref*((p*(1-p)/T)@Z)
        L+=lam*np.sum(w[:-1]**2); g[:-1]+=2*lam*w[:-1]
        return L,g
    return so.minimize(f,np.zeros(d),jac=True,method="L-BFGS-B").x
