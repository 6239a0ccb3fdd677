#!/usr/bin/env python3
# Usage: Tools/speaker-encoder-reference.py [--data ../shared/data/speechocean762] [--speakers 12] [-o FILE.json]
#
# resemblyzer 0.1.4's own embeddings (the reference implementation) of speechocean762 recordings, for the check of
# ExamKit's Swift encoder (Tests/SpeakerEmbeddingTests/ReferenceEmbeddingTests.swift; the committed fixture
# Tests/SpeakerEmbeddingTests/Fixtures/resemblyzer-reference.json was made with the defaults). Per file, two:
#   "network": the recording at its level raised to -30 dBFS (normalize_volume), no silence trimming, through
#              embed_utterance: checks the mel front end, the partials and the network;
#   "full":    preprocess_wav (also webrtcvad's trimming of long silences) then embed_utterance: resemblyzer end to
#              end, where ExamKit trims with SpeechDSP's voice activity instead.
# Runs in the venv of Tools/convert-speaker-encoder.py.
import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
import scipy.ndimage

try:  # resemblyzer 0.1.4 imports a module scipy >= 1.15 no longer has
    import scipy.ndimage.morphology  # noqa: F401
except ImportError:
    sys.modules["scipy.ndimage.morphology"] = scipy.ndimage
import soundfile
from resemblyzer import VoiceEncoder, preprocess_wav
from resemblyzer.audio import normalize_volume


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="../shared/data/speechocean762")
    p.add_argument("--speakers", type=int, default=12, help="first recording of this many speakers (sorted ids)")
    p.add_argument("-o", "--output", default="Tests/SpeakerEmbeddingTests/Fixtures/resemblyzer-reference.json")
    a = p.parse_args()
    rows = list(csv.DictReader(open(Path(a.data) / "scores.csv", encoding="utf-8")))
    first = {}
    for r in sorted(rows, key=lambda r: (r["speaker"], r["audio"])):
        first.setdefault(r["speaker"], r["audio"])
    files = [first[s] for s in sorted(first)][: a.speakers]
    encoder = VoiceEncoder(device="cpu", verbose=False)
    out = []
    for f in files:
        wav, rate = soundfile.read(Path(a.data) / f, dtype="float32")
        assert rate == 16000
        network = encoder.embed_utterance(normalize_volume(wav, -30, increase_only=True).astype(np.float32))
        full = encoder.embed_utterance(preprocess_wav(wav, source_sr=None))
        out.append({"audio": f, "network": [float("%.6g" % v) for v in network], "full": [float("%.6g" % v) for v in full]})
        print(f, "cosine network/full %.4f" % float(np.dot(network, full)), file=sys.stderr)
    Path(a.output).write_text(json.dumps({"resemblyzer": "0.1.4", "files": out}) + "\n")


if __name__ == "__main__":
    main()
