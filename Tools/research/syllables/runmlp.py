from mlp import *
import pickle
D=np.load("frames_ds.npz"); X,Y,C,isTune,good=D["X"],D["Y"],D["C"],D["isTune"],D["good"]
tr=isTune&good; te=(~isTune)&good
H=int(sys.argv[1]) if len(sys.argv)>1 else 24
t=time.time(); m=train_mlp(X[tr],Y[tr],H=H); print("train s",time.time()-t)
p=predict(m,X[te]); print("test frame acc",np.mean((p>0.5)==Y[te]), "tune acc", np.mean((predict(m,X[tr])>0.5)==Y[tr]))
pickle.dump(m,open(f"mlp{H}.pkl","wb"))
