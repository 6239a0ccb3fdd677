#!/usr/bin/env python3
# The peer of `pron-eval`'s "speech encoder alone" line: onnxruntime (one intra-op thread) running the original
# Moonshine base encoder (moonshine_cpp 0.1.4's encoder_model.ort) on the same answers — every 5th of
# speechocean762's 1,000 (pron-eval takes every 5th with --limit 200 too) — timed by process CPU.
#
#     python3 -m venv /tmp/enc-venv && /tmp/enc-venv/bin/pip install onnxruntime numpy soundfile
#     pip download --no-deps moonshine-cpp==0.1.4 -d /tmp/enc-wheel
#     /tmp/enc-venv/bin/python Tools/research/speech-encoder/ort_speed.py /tmp/enc-wheel/moonshine_cpp-0.1.4-*.whl
import csv
import sys
import time
import zipfile

import onnxruntime
import soundfile

MEMBER = "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/encoder_model.ort"
root = sys.argv[2] if len(sys.argv) > 2 else "../shared/data/speechocean762/"
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
session = onnxruntime.InferenceSession(
    zipfile.ZipFile(sys.argv[1]).read(MEMBER), options, providers=["CPUExecutionProvider"])
rows = list(csv.DictReader(open(root + "scores.csv")))[::5]
audio_seconds, cpu_seconds, frames = 0.0, 0.0, 0
for row in rows:
    samples, rate = soundfile.read(root + row["audio"], dtype="float32")
    start = time.process_time()
    frames += session.run(None, {"input_values": samples[None, :]})[0].shape[1]
    cpu_seconds += time.process_time() - start
    audio_seconds += len(samples) / rate
print(f"onnxruntime {onnxruntime.__version__}: {audio_seconds:.0f} s of audio ({frames} frames) in {cpu_seconds:.2f} s"
      f" CPU on one thread => {audio_seconds / cpu_seconds:.1f} x real time per core")
