from fast import *
import scipy.optimize as so
def segs(mask):
    s=[];st=None
    for i,v in enumerate(list(mask)+[False]):
        if v and st is None: st=i
        if not v and st is not None: s.append((st,i)); st=None
    return s
F=[];R=[];P=[]
for r,s,db,sp,f0 in DATA:
    nuc=find_nb(db,sp,f0,**DEF); N=len(nuc)
    sg=segs(sp); 
    # pauses >= 0.25 between speech
    pauses=sum(1 for a,b in zip(sg,sg[1:]) if (b[0]-a[1])>=25)
    T=sp.sum()/100; V=(f0>0).sum()/100
    span=(sg[-1][1]-sg[0][0])/100 if sg else 0
    rate=N/max(T,0.1)
    F.append([N,pauses,len(sg),T,V,span,rate]); R.append(s); P.append(r["speaker"] in tune)
F=np.array(F,float);R=np.array(R,float);P=np.array(P)
def design(F):
    N,pa,ns,T,V,span,rate=F.T
    return np.column_stack([N, pa, ns, T, V, span, np.ones(len(N))])
def fit(X,y,eps=0.004,lam=0.0):
    def f(w):
        e=(X@w-y)/y; q=np.sqrt(e*e+eps); return q.sum()+lam*np.sum(w[1:-1]**2)
    w0=np.zeros(X.shape[1]); w0[0]=1
    return so.minimize(f,w0,method="Nelder-Mead",options=dict(maxiter=20000,xatol=1e-6,fatol=1e-8)).x
def rep(v,y,nm):
    e=np.abs(v-y)/y; print(nm,f"med {np.median(e):.1%} w12 {np.mean(e<=0.12):.1%} r {np.corrcoef(v,y)[0,1]:.3f} signed {np.mean((v-y)/y):+.1%}")
X=design(F)
for cols,nm in (([0,6],"N"),([0,1,6],"N,pauses"),([0,1,2,6],"N,pauses,segs"),([0,1,2,3,4,6],"N,pa,sg,T,V"),([0,1,2,3,4,5,6],"all")):
    w=fit(X[P][:,cols],R[P])
    print(nm, np.round(w,3))
    rep(np.round(X[P][:,cols]@w),R[P],"  tune"); rep(np.round(X[~P][:,cols]@w),R[~P],"  test")
rep(F[~P,0],R[~P],"raw test")
