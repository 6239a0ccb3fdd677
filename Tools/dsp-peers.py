#!/usr/bin/env python3
"""Usage: $HOME/.peers-venv/bin/python Tools/dsp-peers.py [--out .build/dsp-eval] — caches the peers' answers
for the SpeechDSP evaluation (Tools/dsp-eval.py): ../shared/peers/peer_features.py on every speechocean762 and
formats file (peers.jsonl), and Praat's per-frame pitch (To Pitch (ac), 10 ms, 75-500 and 75-600 Hz;
praat_frames.jsonl). Resumable: files already in the cache are skipped."""
import argparse, glob, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
sys.path.insert(0, os.path.join(SHARED, "peers"))


def corpus_files():
    so = sorted(glob.glob(os.path.join(SHARED, "data/speechocean762/audio/*/*.flac")))
    fm = sorted(p for p in glob.glob(os.path.join(SHARED, "data/formats/*"))
                if p.rsplit(".", 1)[-1].lower() in ("wav", "flac", "ogg", "aiff", "mp3") and "licenses" not in p)
    return so, fm


def done(path):
    if not os.path.exists(path):
        return set()
    return {json.loads(l)["file"] for l in open(path) if l.strip()}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=os.path.join(ROOT, ".build/dsp-eval"))
    ap.add_argument("files", nargs="*", help="only these files (default: the whole corpus)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    import numpy as np
    import parselmouth
    from peerlib import features, load
    so, fm = corpus_files()
    files = a.files or (so + fm)
    pf = os.path.join(a.out, "peers.jsonl")
    fr = os.path.join(a.out, "praat_frames.jsonl")
    have_p, have_f = done(pf), done(fr)
    with open(pf, "a") as out_p, open(fr, "a") as out_f:
        for i, p in enumerate(files):
            p = os.path.abspath(p)
            try:
                if p not in have_p:
                    r = features(p)
                    out_p.write(json.dumps({k: (round(v, 5) if isinstance(v, float) else v) for k, v in r.items()}) + "\n")
                if p not in have_f:
                    x, sr = load(p)
                    snd = parselmouth.Sound(x, sampling_frequency=sr)
                    row = {"file": p}
                    for ceil in (500, 600):
                        pt = snd.to_pitch_ac(time_step=0.01, pitch_floor=75, pitch_ceiling=ceil)
                        row[f"t{ceil}"] = [round(t, 4) for t in pt.xs()]
                        row[f"f{ceil}"] = [round(float(v), 2) for v in pt.selected_array["frequency"]]
                    out_f.write(json.dumps(row) + "\n")
            except Exception as e:  # a file a peer cannot read: note and go on
                print(f"{p}: {e}", file=sys.stderr)
            if i % 50 == 0:
                out_p.flush(); out_f.flush()
                print(f"{i}/{len(files)}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
