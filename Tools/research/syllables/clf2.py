import sys
from clfbase import *
for lam in (0.03,0.3):
  for eps in (0.0004,0.004):
    w=train_l1(split("tune"),lam,eps)
    print("lam",lam,"eps",eps,"tune",evalw(w,split("tune")))
    print("        test",evalw(w,split("test")))
