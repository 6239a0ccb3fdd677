from fast import *
import scipy.optimize as so
def pfeats(db,sp,f0,nuc,P=DEF):
    n=len(db); raw=db.copy(); raw[f0<=0]-=P["pen"]; c=smooth_nb(raw,P["sm"]); p99=np.quantile(c,0.99)
    X=[]; sr=runs(sp); vr=runs(f0>0)
    for k,i in enumerate(nuc):
        h=c[i]; j=i-1; lb=h
        while j>=0 and c[j]<h: lb=min(lb,c[j]); j-=1
        j=i+1; rb=h
        while j<n and c[j]<=h: rb=min(rb,c[j]); j+=1
        # dips to adjacent nuclei
        dl=(i-nuc[k-1])/100 if k>0 else 1.0; dr=(nuc[k+1]-i)/100 if k+1<len(nuc) else 1.0
        dipl=h-c[nuc[k-1]:i+1].min() if k>0 else 30; dipr=h-c[i:nuc[k+1]+1].min() if k+1<len(nuc) else 30
        nl=h-c[nuc[k-1]] if k>0 else 0; nr=h-c[nuc[k+1]] if k+1<len(nuc) else 0
        vf=(f0[max(0,i-3):i+4]>0).mean()
        X.append([min(h-max(lb,rb),20),h-p99,min(dl,1),min(dr,1),min(dipl,30),min(dipr,30),nl,nr,vf,min(vr[i],50)/100,min(sr[i],300)/100])
    return np.array(X).reshape(-1,11)
U=[]
for r,s,db,sp,f0 in DATA:
    nuc=find_nb(db,sp,f0,**DEF); U.append((r,s,pfeats(db,sp,f0,nuc)))
A=np.vstack([u[2] for u in U]); mu=A.mean(0); sd=A.std(0)+1e-9
Z=lambda X: np.hstack([(X-mu)/sd,np.ones((len(X),1))])
def train(us,lam,eps=0.004):
    Zs=[Z(u[2]) for u in us]; refs=np.array([u[1] for u in us],float); d=Zs[0].shape[1]
    def f(w):
        L=0; g=np.zeros(d)
        for z,ref in zip(Zs,refs):
            if len(z)==0: continue
            p=1/(1+np.exp(-z@w)); e=(p.sum()-ref)/ref; q=np.sqrt(e*e+eps)
            L+=q; g+=(e/q)/ref*((p*(1-p))@z)
        L+=lam*np.sum(w[:-1]**2); g[:-1]+=2*lam*w[:-1]; return L,g
    w0=np.zeros(d); w0[-1]=3
    return so.minimize(f,w0,jac=True,method="L-BFGS-B").x
def ev(w,us):
    ref=np.array([u[1] for u in us]); v=np.array([int(((Z(u[2])@w)>0).sum()) if len(u[2]) else 0 for u in us]); e=np.abs(v-ref)/ref
    return f"med {np.median(e):.1%} w12 {np.mean(e<=0.12):.1%} r {np.corrcoef(v,ref)[0,1]:.3f} signed {np.mean((v-ref)/ref):+.1%}"
tr=[u for u in U if u[0]["speaker"] in tune]; te=[u for u in U if u[0]["speaker"] not in tune]
for lam in (0.01,0.1,1):
    w=train(tr,lam); print(lam,"tune",ev(w,tr),"| test",ev(w,te)); print(np.round(w,2))
