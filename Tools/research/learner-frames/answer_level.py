# Answer level: the mean of the learners' MLP log posteriors (mlp.py's output) against the experts, beside the PTM
# model's mean LPP and the mean predicted phone mark (from pron-eval --features-csv /tmp/pf_marks.csv).
import pickle, numpy as np, csv
from collections import defaultdict
out=pickle.load(open(__import__('sys').argv[1] if len(__import__('sys').argv) > 1 else '/tmp/ph/mlp_out_256_8_5.pkl','rb'))
S={r['utt']:r for r in csv.DictReader(open('../shared/data/speechocean762/scores.csv'))}
g=defaultdict(list)
for (u,k),(lpp,mar,acc) in out.items(): g[u].append((lpp,mar))
F={r['id']:r for r in csv.DictReader(open('/tmp/pf_marks.csv'))}
us=[u for u in g if F.get(u) and F[u]['pron_lpp_mean']!='']
ml=np.array([np.mean([x[0] for x in g[u]]) for u in us]); mm=np.array([np.mean([min(x[1],0) for x in g[u]]) for u in us])
pl=np.array([float(F[u]['pron_lpp_mean']) for u in us]); pm=np.array([float(F[u]['pron_mark_mean']) for u in us])
age=np.array([int(S[u]['age']) for u in us])
for asp in ['accuracy','total']:
    y=np.array([float(S[u][asp+'_mean']) for u in us])
    for name,m in [('all',age>0),('<13',age<13),('adult',age>=18)]:
        c=lambda x: round(np.corrcoef(x[m],y[m])[0,1],3)
        print(asp,name,'mlp lpp',c(ml),'mlp margin def',c(mm),'ptm lpp',c(pl),'mark mean',c(pm))
