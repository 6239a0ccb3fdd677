from fast import *
import random, time, sys
random.seed(int(sys.argv[1]) if len(sys.argv)>1 else 0)
base=evaluate(DEF,"tune"); print("base",fmt(base))
t=time.time(); res=[]
space=dict(dip=[1.5,2,2.5,3,3.5,4,5],dr=[15,18,20,22,25,30],gap=[0,0.05,0.08,0.1,0.12,0.15],pen=[0,3,6,9,12,20],lr=[8,10,12,15,20,99],lw=[0.1,0.15,0.25,0.35,0.5],sm=[0.5,1,1.5,2,2.5,3],vrun=[1,2,3,5,8],segmin=[0,5,8,12,15])
for k in range(int(sys.argv[2]) if len(sys.argv)>2 else 300):
    p={k2:random.choice(v) for k2,v in space.items()}
    d=evaluate(p,"tune"); res.append((d["w12"]+ (d["r"]-0.8), d, p))
res.sort(key=lambda x:-x[0])
for s,d,p in res[:10]: print(fmt(d), p)
print(time.time()-t)
