from lib import *
import numba
@numba.njit(cache=True)
def smooth_nb(v,sigma):
    n=len(v)
    if sigma<=0: return v.copy()
    rad=int(np.ceil(3*sigma)); out=np.empty(n)
    k=np.empty(2*rad+1)
    for t in range(-rad,rad+1): k[t+rad]=np.exp(-0.5*t*t/(sigma*sigma))
    tot=k.sum()
    for i in range(n):
        s=0.0
        for t in range(-rad,rad+1):
            j=min(n-1,max(0,i+t)); s+=k[t+rad]*v[j]
        out[i]=s/tot
    return out
@numba.njit(cache=True)
def find_nb(db,speech,f0,dip,dr,gap,pen,lr,lw,sm,vrun,segmin):
    n=len(db); raw=db.copy()
    for i in range(n):
        if f0[i]<=0: raw[i]-=pen
    c=smooth_nb(raw,sm)
    th=np.quantile(c,0.99)-dr
    reach=int(round(lw/0.01))
    # voiced run length per frame
    run=np.zeros(n,np.int64); i=0
    while i<n:
        if f0[i]>0:
            j=i
            while j<n and f0[j]>0: j+=1
            for k in range(i,j): run[k]=j-i
            i=j
        else: i+=1
    seg=np.zeros(n,np.int64); i=0
    while i<n:
        if speech[i]:
            j=i
            while j<n and speech[j]: j+=1
            for k in range(i,j): seg[k]=j-i
            i=j
        else: i+=1
    nuc=np.empty(n,np.int64); m=0
    for i in range(1,n-1):
        if not (c[i]>c[i-1] and c[i]>=c[i+1] and c[i]>th): continue
        lm=c[i]
        for j in range(max(0,i-reach),min(n,i+reach+1)): lm=max(lm,c[j])
        if c[i]<lm-lr: continue
        h=c[i]; lb=h; j=i-1
        while j>=0 and c[j]<h:
            lb=min(lb,c[j]); j-=1
        rb=h; j=i+1
        while j<n and c[j]<=h:
            rb=min(rb,c[j]); j+=1
        if h-max(lb,rb)<dip or not speech[i]: continue
        v=0
        for j in range(max(0,i-1),min(n,i+2)):
            if f0[j]>0 and run[j]>=vrun: v=1
        if v==0: continue
        if seg[i]<segmin: continue
        if m>0 and (i-nuc[m-1])*0.01<gap:
            if c[i]>c[nuc[m-1]]: nuc[m-1]=i
        else:
            nuc[m]=i; m+=1
    return nuc[:m]
fr=load("frames.jsonl")
DATA=[]
for r in rows:
    o=fr[r["path"]]
    DATA.append((r, syl(r["text"]), np.array(o["nucleus_db"],float), np.array(o["speech"])>0, np.array(o["f0_hz"],float)))
DEF=dict(dip=2.5,dr=25.0,gap=0.0,pen=6.0,lr=15.0,lw=0.25,sm=1.5,vrun=1,segmin=0)
def evaluate(p, part):
    ref=[];our=[]
    for r,s,db,sp,f0 in DATA:
        if part!="all" and ((r["speaker"] in tune)!=(part=="tune")): continue
        ref.append(s); our.append(len(find_nb(db,sp,f0,p["dip"],p["dr"],p["gap"],p["pen"],p["lr"],p["lw"],p["sm"],p["vrun"],p["segmin"])))
    ref=np.array(ref);our=np.array(our); e=np.abs(our-ref)/ref
    return dict(med=np.median(e), w12=np.mean(e<=0.12), r=np.corrcoef(our,ref)[0,1], signed=np.mean((our-ref)/ref))
def fmt(d): return f"med {d['med']:.1%} w12 {d['w12']:.1%} r {d['r']:.3f} signed {d['signed']:+.1%}"
if __name__=="__main__":
    import time; t=time.time()
    for part in ("tune","test"): print(part, fmt(evaluate(DEF,part)))
    print(time.time()-t)
