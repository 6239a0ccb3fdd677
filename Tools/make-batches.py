#!/usr/bin/env python3
"""Usage: Tools/make-batches.py EXAM OUT [--exam ID] [--per-centre N] [--seed S] — simulates a sitting's uploads.

Reads what each centre's batch should hold from the store (`EXAM audio expected --json`: the allocation × the
exam's items, with each spoken item's text and answer window), then writes one batch per centre in OUT:
  OUT/<centre>/manifest.csv, answers.csv and <candidate>/<item>.wav  (every second centre as OUT/<centre>.zip)
Answers are synthesised with espeak-ng (several voices and rates), then made to sound like a seat machine's
microphone with sox: leading/trailing pauses, room noise at a random level, a random gain, 16 or 48 kHz.
A few flagged answers (one silent, one clipped) and, in the first centre's batch, broken files: truncated,
checksum mismatch, not audio, a candidate of another centre, a file without a manifest row.
Writes OUT/batches.tsv: centre, path of the batch. Needs espeak-ng and sox (Tools/bootstrap).
"""
import argparse, re, csv, hashlib, json, os, random, shutil, subprocess, sys, tempfile, zipfile
from concurrent.futures import ThreadPoolExecutor

VOICES = ["en-us", "en-gb", "en-gb-x-rp", "en-029", "en-gb-scotland", "en-us+f3", "en-gb+f2", "en-us+m3"]
RATES = [120, 140, 160, 180]


def run(*cmd):
    if cmd[0] == "sox":
        cmd = ("sox", "-R") + cmd[1:]  # repeatable noise and dither: the same seed gives the same batches
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def answer_text(line):
    if line.get("referenceText"):
        return line["referenceText"]
    prompt = (line.get("promptText") or "the question").rstrip("?.!")
    return f"Well, about {prompt.lower()}. I think it is important, because it helps people every day. That is my answer."


def read_keys(pack):
    """Item id -> answer key from a pack source's pack.yaml (block `- id: X` … `answer: Y`, or a flow mapping
    `- {id: X, …, answer: Y, …}` on one line; no YAML library needed)."""
    keys, current = {}, None
    for line in open(os.path.join(pack, "pack.yaml"), encoding="utf-8"):
        m = re.match(r"\s*- \{id:\s*([^,\s]+),.*\banswer:\s*([A-Z])\b", line)
        if m:
            keys[m.group(1)] = m.group(2)
            continue
        m = re.match(r"\s*- id:\s*(\S+)", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"\s*answer:\s*([A-Z])\s*$", line)
        if m and current:
            keys[current] = m.group(1)
    return keys


def seconds(path):
    return float(subprocess.run(["soxi", "-D", path], check=True, capture_output=True, text=True).stdout.strip() or 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("exam", help="path of the exam binary")
    ap.add_argument("out", help="folder for the batches (replaced)")
    ap.add_argument("--exam", dest="exam_id", help="exam id (default: the only one in the store)")
    ap.add_argument("--per-centre", type=int, default=12, help="candidates per centre to record (default 12; 0 = all)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--pack", help="pack source folder: listening answers follow its keys, each candidate right with"
                    " a probability of their own (default: choices at random)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    keys = read_keys(args.pack) if args.pack else {}

    cmd = [args.exam, "audio", "expected", "--json"] + (["--exam", args.exam_id] if args.exam_id else [])
    lines = [json.loads(l) for l in subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines() if l.strip()]
    if not lines:
        sys.exit("make-batches: the store has no allocation yet (run the allocation step first)")
    centres = {}
    for l in lines:
        centres.setdefault(l["centre"], {}).setdefault(l["candidate"], []).append(l)

    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    tts = tempfile.mkdtemp(prefix="make-batches-")
    cache = {}

    def speech(text, voice, rate, pitch, gap):
        key = (text, voice, rate, pitch, gap)
        if key not in cache:
            path = os.path.join(tts, f"tts{len(cache)}.wav")
            # pitch (-p) and word gap (-g, 10 ms units) make each candidate a different synthetic speaker, so two
            # candidates reading the same sentence do not produce the same audio (which proctoring would flag)
            run("espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-g", str(gap), "-w", path, text)
            cache[key] = path
        return cache[key]

    jobs = []  # (source speech, target, window, rate, effects)
    batches = []
    all_candidates = [(c, cand) for c in centres for cand in centres[c]]
    for n, (centre, candidates) in enumerate(sorted(centres.items())):
        folder = os.path.join(args.out, centre)
        os.makedirs(folder)
        chosen = sorted(candidates)[: args.per_centre] if args.per_centre else sorted(candidates)
        manifest, answers = [], []
        for cand in chosen:
            ability = rng.uniform(0.45, 0.95)  # chance of choosing the key on a listening item
            voice, rate = rng.choice(VOICES), rng.choice(RATES) + rng.randint(-8, 8)
            pitch, gap = rng.randint(25, 75), rng.randint(0, 12)
            # one seat machine per candidate: the same microphone rate and room noise for all their answers
            seat_rate, room = rng.choice([16000, 48000]), rng.random()
            for item in candidates[cand]:
                if not item["spoken"]:
                    key = keys.get(item["item"])
                    choice = key if key and rng.random() < ability else rng.choice("ABCD")
                    answers.append([cand, item["item"], choice, f"{2026}-06-14T08:{rng.randint(30, 59):02d}:00+08:00"])
                    continue
                rel = f"{cand}/{item['item']}.wav"
                src = speech(answer_text(item), voice, rate, pitch, gap)
                jobs.append((src, os.path.join(folder, rel), item.get("minSeconds"), item.get("maxSeconds"), rng.random(), room, seat_rate))
                manifest.append([cand, item["item"], rel, item["seat"], f"2026-06-14T09:{rng.randint(0, 59):02d}:00+08:00", None])
        batches.append((centre, folder, manifest, answers, n))

    def render(job):
        src, target, low, high, r, room, rate = job
        os.makedirs(os.path.dirname(target), exist_ok=True)
        lead, tail = 0.3 + r * 1.2, 0.5 + (1 - r) * 1.5
        speech_s = seconds(src)
        if low and speech_s + lead + tail < low:
            tail = low - speech_s - lead + 0.5
        noise_db = -50 + room * 20   # the seat's room noise, between -50 and -30 dBFS
        gain = -6 + room * 4 + r * 2  # the seat's microphone gain, give or take a little per answer
        tmp = target + ".speech.wav"
        run("sox", src, "-r", str(rate), "-c", "1", tmp, "pad", f"{lead:.2f}", f"{tail:.2f}", "gain", f"{gain:.1f}")
        dur = seconds(tmp)
        if high and dur > high:
            run("sox", tmp, tmp + ".t.wav", "trim", "0", str(high - 0.5)); os.replace(tmp + ".t.wav", tmp); dur = high - 0.5
        noise = target + ".noise.wav"
        run("sox", "-n", "-r", str(rate), "-c", "1", noise, "synth", f"{dur:.3f}", "pinknoise", "vol", f"{noise_db:.1f}dB")
        run("sox", "-m", tmp, noise, "-b", "16", target)
        os.remove(tmp); os.remove(noise)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(render, jobs))

    for centre, folder, manifest, answers, n in batches:
        for row in manifest:
            row[5] = sha256(os.path.join(folder, row[2]))
        if manifest and n == 0:
            # accepted but flagged: a silent answer and an over-driven microphone
            silent, loud = manifest[0], manifest[min(1, len(manifest) - 1)]
            p = os.path.join(folder, silent[2]); d = max(seconds(p), 2)
            run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", p, "synth", f"{d:.2f}", "whitenoise", "vol", "-70dB")
            silent[5] = sha256(p)
            p = os.path.join(folder, loud[2])
            run("sox", p, p + ".loud.wav", "gain", "30"); os.replace(p + ".loud.wav", p); loud[5] = sha256(p)
            # broken files, one of each kind
            if len(manifest) >= 6:
                p = os.path.join(folder, manifest[2][2]); data = open(p, "rb").read()
                open(p, "wb").write(data[: len(data) * 6 // 10]); manifest[2][5] = sha256(p)   # truncated copy
                p = os.path.join(folder, manifest[3][2]); data = bytearray(open(p, "rb").read())
                data[len(data) // 2] ^= 0xFF; open(p, "wb").write(bytes(data))                  # bit flip after hashing
                p = os.path.join(folder, manifest[4][2])
                open(p, "w").write("Seat machine log: recording failed, microphone not found.\n")  # not audio
                manifest[4][5] = sha256(p)
                others = [cand for c, cand in all_candidates if c != centre]
                if others:                                                                         # another centre's candidate
                    stranger = sorted(others)[0]
                    src = os.path.join(folder, manifest[5][2]); rel = f"{stranger}/{manifest[5][1]}.wav"
                    os.makedirs(os.path.dirname(os.path.join(folder, rel)), exist_ok=True)
                    shutil.copy(src, os.path.join(folder, rel))
                    manifest.append([stranger, manifest[5][1], rel, "1-1", manifest[5][4], sha256(os.path.join(folder, rel))])
                open(os.path.join(folder, "left-over.wav"), "wb").write(open(os.path.join(folder, manifest[0][2]), "rb").read())
        with open(os.path.join(folder, "manifest.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n"); w.writerow(["candidate", "item", "file", "seat", "recorded_at", "sha256"]); w.writerows(manifest)
        if answers:
            with open(os.path.join(folder, "answers.csv"), "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n"); w.writerow(["candidate", "item", "choice", "answered_at"]); w.writerows(answers)
        path = folder
        if n % 2 == 1:  # every second centre uploads a zip, wrapped in a folder as zip tools do
            path = folder + ".zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for dirpath, _, names in os.walk(folder):
                    for name in names:
                        full = os.path.join(dirpath, name)
                        z.write(full, os.path.join(centre, os.path.relpath(full, folder)))
            shutil.rmtree(folder)
        batches_tsv = os.path.join(args.out, "batches.tsv")
        with open(batches_tsv, "a") as f:
            f.write(f"{centre}\t{path}\n")
        print(f"{centre}: {len(manifest)} recordings, {len(answers)} listening answers -> {path}")
    shutil.rmtree(tts, ignore_errors=True)


if __name__ == "__main__":
    main()
