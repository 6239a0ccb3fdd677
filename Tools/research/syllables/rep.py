from fast import *
import numba, itertools, sys
fr=load("frames.jsonl")
MF={}
for r in rows:
    o=fr[r["path"]]; mf=np.array(o["mfcc"],float)[:,1:]; sp=np.array(o["speech"])>0
    MF[r["path"]]=(mf-mf[sp].mean(0))/ (mf[sp].std(0)+1e-6) if sp.sum()>5 else mf
@numba.njit(cache=True)
def prefix_dtw(a,b):
    # a fully aligned to a prefix of b (open end in b); returns min over end of normalised cost
    n=len(a); m=len(b); INF=1e18
    D=np.full((n+1,m+1),INF); D[0,0]=0.0
    L=np.zeros((n+1,m+1))
    for i in range(1,n+1):
        for j in range(1,m+1):
            d=0.0
            for k in range(a.shape[1]):
                t=a[i-1,k]-b[j-1,k]; d+=t*t
            d=np.sqrt(d)
            best=D[i-1,j-1]; l=L[i-1,j-1]
            if D[i-1,j]<best: best=D[i-1,j]; l=L[i-1,j]
            if D[i,j-1]<best: best=D[i,j-1]; l=L[i,j-1]
            D[i,j]=best+d; L[i,j]=l+1
    best=INF
    for j in range(max(1,n//2),min(m,2*n)+1):
        v=D[n,j]/L[n,j]
        if v<best: best=v
    return best
def segs(mask,mingap=25):
    s=[];st=None
    for i,v in enumerate(list(mask)+[False]):
        if v and st is None: st=i
        if not v and st is not None: s.append([st,i]); st=None
    # merge gaps < mingap
    out=[]
    for a in s:
        if out and a[0]-out[-1][1]<mingap: out[-1][1]=a[1]
        else: out.append(a)
    return out
INFO=[]
for r,s,db,sp,f0 in DATA:
    nuc=find_nb(db,sp,f0,**DEF); sg=segs(sp); mf=MF[r["path"]]
    pairs=[]
    for i in range(len(sg)-1):
        a=mf[sg[i][0]:sg[i][1]]
        if len(a)<8 or len(a)>200: pairs.append(9.0); continue
        b=mf[sg[i+1][0]:sg[i+1][1]]
        pairs.append(prefix_dtw(a,b) if len(b)>=len(a)//2 else 9.0)
    nn=[sum(1 for x in nuc if g[0]<=x<g[1]) for g in sg]
    INFO.append((r,s,len(nuc),pairs,nn))
def ev(th,part,maxsyl=99):
    ref=[];v=[]
    for r,s,N,pairs,nn in INFO:
        if part!="all" and ((r["speaker"] in tune)!=(part=="tune")): continue
        pr=sum(nn[i] for i,d in enumerate(pairs) if d<th and nn[i]<=maxsyl)
        ref.append(s); v.append(N-pr)
    ref=np.array(ref);v=np.array(v); e=np.abs(v-ref)/ref
    return f"w12 {np.mean(e<=0.12):.1%} med {np.median(e):.1%} r {np.corrcoef(v,ref)[0,1]:.3f} signed {np.mean((v-ref)/ref):+.1%}"
allp=np.concatenate([i[3] for i in INFO if i[3]]); print("pair dist quantiles",np.quantile(allp[allp<9],[0.05,0.1,0.25,0.5]))
for th in (0,0.6,0.7,0.8,0.9,1.0):
    for ms in (2,4,99):
        print(th,ms,"tune",ev(th,"tune",ms),"| test",ev(th,"test",ms))
print("----")
for th in (2.2,2.5,2.7,2.9,3.1,3.3):
    for ms in (2,4,99):
        print(th,ms,"tune",ev(th,"tune",ms),"| test",ev(th,"test",ms))
