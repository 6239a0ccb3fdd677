from lib import *
VOW=set("AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW".split())
fr=load("frames.jsonl")
al={}
for l in open("align.jsonl"):
    o=json.loads(l)
    if "phones" in o: al[o["file"]]=o["phones"]
CTX=(-6,-4,-2,-1,0,1,2,4,6)
def base_feats(o):
    mf=np.array(o["mfcc"],float); db=np.array(o["nucleus_db"]); bd=np.array(o["band_db"]); f0=np.array(o["f0_hz"]); sp=np.array(o["speech"])>0
    n=len(db)
    m=mf[sp].mean(0) if sp.sum()>5 else mf.mean(0)
    mfn=(mf-m)/10.0; mfn[:,0]=(mf[:,0]-np.quantile(mf[:,0],0.99))/10
    p99=np.quantile(db,0.99); b99=np.quantile(bd,0.99)
    F=np.column_stack([mfn, (db-p99)/10, (bd-b99)/10, (f0>0).astype(float), sp.astype(float)])
    return F
def ctx_feats(F):
    n=len(F); cols=[]
    for k in CTX:
        idx=np.clip(np.arange(n)+k,0,n-1); cols.append(F[idx])
    return np.hstack(cols)
def labels(o,n):
    y=np.zeros(n); c=np.zeros(n)
    for name,st,du in al.get(o["file"],[]):
        if name in VOW:
            y[st:st+du]=1
            mid=st+du//2; c[max(0,mid-1):mid+2]=1
    return y,c
