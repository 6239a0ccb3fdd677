# Phone level: one expert's mark against the mean of the other four, per phone, where all five experts' transcriptions
# of the word have as many canonical phones (inserted phones left out). docs/accuracy.md, "Phone marks".
#   python3 Tools/research/phone-posteriors/expert_agreement.py
import json, re, numpy as np
from collections import Counter
rows=[]
for line in open('../shared/data/speechocean762/words.jsonl'):
    u=json.loads(line)
    for w in u['words']:
        marks=[]
        for t in w['phones']:
            toks=[x for x in t.split() if not x.startswith('[')]
            m=[0 if x.startswith('(') else 1 if x.startswith('{') else 2 for x in toks]
            marks.append(m)
        cnt=Counter(len(m) for m in marks).most_common(1)[0][0]
        ok=[i for i,m in enumerate(marks) if len(m)==cnt]
        if len(ok)<5: continue
        for k in range(cnt): rows.append([marks[i][k] for i in range(5)])
A=np.array(rows,float); print(A.shape)
rs=[]
for i in range(5):
    others=np.delete(A,i,axis=1).mean(1); rs.append(np.corrcoef(A[:,i],others)[0,1])
print('one expert vs mean of other four, phone level:', np.round(rs,3), 'mean', round(np.mean(rs),3))
