# Text-free pronunciation evidence for open answers (no prompt text): does what the acoustic model hears frame by
# frame, without a text, add to the audio-only inputs? Re-run (docs/accuracy.md, "Open answers: what the model hears
# without a text"):
#   git apply Tools/research/text-free/listen.patch
#   (cd Benchmarks && rm -f .build/release.yaml && swift build -c release --product pron-eval)
#   Benchmarks/.build/release/pron-eval --jobs 2 --text-free --features-csv /tmp/pf_free.csv
#   python3 Tools/research/text-free/free_eval.py      # numpy only; reads /tmp/pf_free.csv
#   git apply -R Tools/research/text-free/listen.patch
import csv, numpy as np
F=list(csv.DictReader(open('/tmp/pf_free.csv'))); S={r['utt']:r for r in csv.DictReader(open('../shared/data/speechocean762/scores.csv'))}
audio=['duration_s','snr_db','speech_ratio','speech_s','pause_count','pause_longest_s','pause_total_s','leading_silence_s','trailing_silence_s','syllable_count','speech_rate_syl_s','articulation_rate_syl_s','mean_length_of_run_syl','f0_iqr_st','f0_range_st','voiced_fraction','voiced_speech_fraction']
free=['pron_free_speech_share','pron_free_lpp_mean','pron_free_lpp_p10','pron_free_phone_rate']
def M(keys):
    X=np.array([[float(r[k]) if r[k] not in ('',) else np.nan for k in keys] for r in F]); cm=np.nanmean(X,0); return np.where(np.isnan(X),cm,X)
ids=[r['id'] for r in F]
A=M(audio); A[:,[0,3,5,6,7,8]]=np.log(A[:,[0,3,5,6,7,8]]+0.05); A[:,9]=np.log(A[:,9]+1)
Fr=M(free)
print('missing free', sum(1 for r in F if r['pron_free_lpp_mean']==''))
spk=np.array([S[i]['speaker'] for i in ids]); age=np.array([int(S[i]['age']) for i in ids])
sp=sorted(set(spk)); fold={s:i%5 for i,s in enumerate(sp)}; fid=np.array([fold[s] for s in spk])
def cv(XX,y,lam):
    pred=np.zeros(len(y))
    for f in range(5):
        tr=fid!=f; te=fid==f
        mu=XX[tr].mean(0); sd=XX[tr].std(0)+1e-9
        A_=(XX[tr]-mu)/sd; B=(XX[te]-mu)/sd
        w=np.linalg.solve(A_.T@A_+lam*np.eye(A_.shape[1]), A_.T@(y[tr]-y[tr].mean())); pred[te]=B@w+y[tr].mean()
    return pred
for asp in ['accuracy','fluency','prosodic','total','completeness']:
    y=np.array([float(S[i][asp+'_mean']) for i in ids])
    for k,f in enumerate(free): 
        if asp=='accuracy': print('single', f, round(np.corrcoef(Fr[:,k],y)[0,1],3), '<13', round(np.corrcoef(Fr[age<13,k],y[age<13])[0,1],3))
    for name,XX in [('audio',A),('audio+free',np.column_stack([A,Fr]))]:
        p=cv(XX,y,10)
        r=lambda m: round(np.corrcoef(p[m],y[m])[0,1],3)
        print(asp,name,'all',r(age>0),'<13',r(age<13),'adult',r(age>=18))
