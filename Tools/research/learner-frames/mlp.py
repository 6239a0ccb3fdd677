import numpy as np, csv, sys, time
from collections import defaultdict
raw=np.fromfile('/tmp/ph/frames.bin',dtype=np.float32)
answers=[]; cur=None
for line in open('/tmp/ph/frames.meta'):
    p=line.split()
    if p[0]=='A':
        cur=dict(utt=p[1],spk=p[2],age=int(p[3]),dims=int(p[4]),frames=int(p[5]),off=int(p[6]),segs=[]); answers.append(cur)
    else: cur['segs'].append((p[1],int(p[2]),int(p[3]),float(p[4])))
D=39; C=int(sys.argv[3]) if len(sys.argv)>3 else 5  # context frames each side
phones=sorted(set(s[0] for a in answers for s in a['segs'])); pidx={p:i for i,p in enumerate(phones)}; K=len(phones)
print('classes',K, phones[:5])
def feats(a):
    F=raw[a['off']:a['off']+a['frames']*D].reshape(a['frames'],D)
    P=np.pad(F,((C,C),(0,0)),mode='edge')
    return np.concatenate([P[i:i+a['frames']] for i in range(2*C+1)],axis=1)
spk=sorted(set(a['spk'] for a in answers)); rng=np.random.RandomState(0); perm=rng.permutation(len(spk)); fold={s:perm[i]%5 for i,s in enumerate(spk)}
Fs=[feats(a) for a in answers]
# training frames: phones with mark==2 and SIL (every 3rd SIL frame)
def train_set(idx):
    X=[];Y=[]
    for i in idx:
        a=answers[i]
        for (ph,st,n,m) in a['segs']:
            if ph=='SIL':
                fr=range(st,min(st+n,a['frames']),3)
            elif m==2.0: fr=range(st,min(st+n,a['frames']))
            else: continue
            fr=list(fr); X.append(Fs[i][fr]); Y+= [pidx[ph]]*len(fr)
    return np.concatenate(X), np.array(Y)
def relu(x): return np.maximum(x,0)
def train(X,Y,H=256,epochs=8,lr=1e-3,bs=256,seed=0):
    r=np.random.RandomState(seed); mu=X.mean(0); sd=X.std(0)+1e-6; X=(X-mu)/sd
    W1=r.randn(X.shape[1],H).astype(np.float32)*np.sqrt(2/X.shape[1]); b1=np.zeros(H,np.float32)
    W2=r.randn(H,H).astype(np.float32)*np.sqrt(2/H); b2=np.zeros(H,np.float32)
    W3=r.randn(H,K).astype(np.float32)*np.sqrt(1/H); b3=np.zeros(K,np.float32)
    params=[W1,b1,W2,b2,W3,b3]; m=[np.zeros_like(p) for p in params]; v=[np.zeros_like(p) for p in params]; t=0
    X=X.astype(np.float32)
    for ep in range(epochs):
        order=r.permutation(len(X)); loss=0
        for s in range(0,len(X),bs):
            ix=order[s:s+bs]; x=X[ix]; y=Y[ix]
            h1=relu(x@W1+b1); h2=relu(h1@W2+b2); z=h2@W3+b3
            z=z-z.max(1,keepdims=True); e=np.exp(z); pr=e/e.sum(1,keepdims=True)
            loss+=-np.log(pr[np.arange(len(y)),y]+1e-9).sum()
            g=pr; g[np.arange(len(y)),y]-=1; g/=len(y)
            gW3=h2.T@g; gb3=g.sum(0); g2=(g@W3.T)*(h2>0); gW2=h1.T@g2; gb2=g2.sum(0); g1=(g2@W2.T)*(h1>0); gW1=x.T@g1; gb1=g1.sum(0)
            grads=[gW1+1e-5*W1,gb1,gW2+1e-5*W2,gb2,gW3+1e-5*W3,gb3]; t+=1
            for k,(p,gr) in enumerate(zip(params,grads)):
                m[k]=0.9*m[k]+0.1*gr; v[k]=0.999*v[k]+0.001*gr*gr
                p-= lr*(m[k]/(1-0.9**t))/(np.sqrt(v[k]/(1-0.999**t))+1e-8)
        print(' epoch',ep,'loss',round(loss/len(X),3),flush=True)
    return (mu,sd,params)
def logpost(model,X):
    mu,sd,(W1,b1,W2,b2,W3,b3)=model; x=((X-mu)/sd).astype(np.float32)
    z=relu(relu(x@W1+b1)@W2+b2)@W3+b3; z=z-z.max(1,keepdims=True); return z-np.log(np.exp(z).sum(1,keepdims=True))
out={}  # (utt, k-th phone) -> (lpp, margin, frame acc)
for f in range(5):
    t0=time.time()
    tr=[i for i,a in enumerate(answers) if fold[a['spk']]!=f]; te=[i for i,a in enumerate(answers) if fold[a['spk']]==f]
    X,Y=train_set(tr); print('fold',f,'train frames',len(X),flush=True)
    model=train(X,Y,H=int(sys.argv[1]),epochs=int(sys.argv[2]))
    acc=[];
    for i in te:
        a=answers[i]; L=logpost(model,Fs[i]); k=0
        for (ph,st,n,m) in a['segs']:
            if ph=='SIL': continue
            fr=slice(st,min(st+n,a['frames'])); l=L[fr]; c=pidx[ph]
            own=l[:,c]; other=np.delete(l,c,axis=1).max(1)
            out[(a['utt'],k)]=(own.mean(), (own-other).mean(), (l.argmax(1)==c).mean())
            if m==2.0: acc.append((l.argmax(1)==c).mean())
            k+=1
    print('fold',f,'test frame acc on correct phones',round(np.mean(acc),3),'secs',round(time.time()-t0),flush=True)
import pickle; pickle.dump(out,open('/tmp/ph/mlp_out_%s.pkl' % '_'.join(sys.argv[1:]),'wb'))
