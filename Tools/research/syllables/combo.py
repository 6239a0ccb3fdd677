from frameds import *
from mlp import *
import fast
from fast import *
import pickle, sys, itertools
m=pickle.load(open(sys.argv[1],"rb"))
POST={r["path"]:predict(m,ctx_feats(base_feats(fr[r["path"]]))) for r in rows}
def ev(part,alpha,eps,P):
    ref=[];v=[]
    for r,s,db,sp,f0 in DATA:
        if part!="all" and ((r["speaker"] in tune)!=(part=="tune")): continue
        d2=db+alpha*np.log10(POST[r["path"]]+eps)*10
        ref.append(s); v.append(len(find_nb(d2,sp,f0,P["dip"],P["dr"],P["gap"],P["pen"],P["lr"],P["lw"],P["sm"],P["vrun"],P["segmin"])))
    ref=np.array(ref);v=np.array(v); e=np.abs(v-ref)/ref
    return np.mean(e<=0.12), np.corrcoef(v,ref)[0,1], np.median(e), np.mean((v-ref)/ref)
res=[]
for alpha,eps,pen,dip in itertools.product((0.3,0.6,1.0),(0.03,0.1,0.3),(0,6),(2,2.5,3,4)):
    P=dict(DEF); P["pen"]=pen; P["dip"]=dip
    s=ev("tune",alpha,eps,P); res.append((s[0]+0.5*min(s[1],0.85),(alpha,eps,pen,dip),s))
res.sort(key=lambda x:-x[0])
for sc,p,s in res[:6]:
    print(p,"tune w12 %.1f%% r %.3f med %.1f%% signed %+.1f%%"%(100*s[0],s[1],100*s[2],100*s[3]))
    P=dict(DEF); P["pen"]=p[2]; P["dip"]=p[3]
    s=ev("test",p[0],p[1],P); print("      test w12 %.1f%% r %.3f med %.1f%% signed %+.1f%%"%(100*s[0],s[1],100*s[2],100*s[3]))
