import soundfile as sf, numpy as np, json, sys, csv, os
from pocketsphinx import Decoder
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
from lib import rows
k,K=int(sys.argv[1]),int(sys.argv[2])
d=Decoder(samprate=16000, bestpath=False, loglevel="ERROR")
out=open(f"align{k}.jsonl","w")
for i,r in enumerate(rows):
    if i%K!=k: continue
    x,sr=sf.read(r["path"],dtype="int16")
    try:
        d.set_align_text(r["text"].lower())
        d.start_utt(); d.process_raw(x.tobytes(),full_utt=True); d.end_utt()
        d.set_alignment()
        d.start_utt(); d.process_raw(x.tobytes(),full_utt=True); d.end_utt()
        ph=[(p.name,p.start,p.duration) for w in d.get_alignment() for p in w]
        out.write(json.dumps(dict(file=r["path"],phones=ph))+"\n")
    except Exception as e:
        out.write(json.dumps(dict(file=r["path"],error=str(e)))+"\n")
    out.flush()
