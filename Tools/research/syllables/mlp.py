import numpy as np, time, sys
def train_mlp(X,y,H=24,epochs=8,lr=3e-3,l2=1e-4,seed=0,bs=512):
    rng=np.random.default_rng(seed); d=X.shape[1]
    mu=X.mean(0); sd=X.std(0)+1e-6; Xn=(X-mu)/sd
    W1=rng.normal(0,1/np.sqrt(d),(d,H)); b1=np.zeros(H); W2=rng.normal(0,1/np.sqrt(H),H); b2=0.0
    P=[W1,b1,W2,np.array([b2])]; M=[np.zeros_like(p) for p in P]; V=[np.zeros_like(p) for p in P]; t=0
    for ep in range(epochs):
        perm=rng.permutation(len(Xn))
        for s in range(0,len(perm),bs):
            i=perm[s:s+bs]; x=Xn[i]; yy=y[i]
            h=np.tanh(x@P[0]+P[1]); z=h@P[2]+P[3][0]; p=1/(1+np.exp(-z))
            dz=(p-yy)/len(i)
            g2=h.T@dz; gb2=np.array([dz.sum()]); dh=np.outer(dz,P[2])*(1-h*h)
            g1=x.T@dh+l2*P[0]; gb1=dh.sum(0)
            t+=1
            for k,g in enumerate((g1,gb1,g2,gb2)):
                M[k]=0.9*M[k]+0.1*g; V[k]=0.999*V[k]+0.001*g*g
                P[k]-=lr*(M[k]/(1-0.9**t))/(np.sqrt(V[k]/(1-0.999**t))+1e-8)
    return dict(mu=mu,sd=sd,W1=P[0],b1=P[1],W2=P[2],b2=P[3][0])
def predict(m,X):
    h=np.tanh(((X-m["mu"])/m["sd"])@m["W1"]+m["b1"]); return 1/(1+np.exp(-(h@m["W2"]+m["b2"])))
