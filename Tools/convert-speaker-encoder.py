#!/usr/bin/env python3
# Usage: Tools/convert-speaker-encoder.py [--weights pretrained.pt] [-o ExamPacks/models/ge2e-speaker-encoder.bin]
#        Tools/convert-speaker-encoder.py --fixtures Tests/SpeakerEmbeddingTests/Fixtures
#
# Converts resemblyzer 0.1.4's GE2E speaker encoder (`pretrained.pt`, Apache-2.0,
# https://github.com/resemble-ai/Resemblyzer) into ExamKit's plain model file, read by
# Sources/SpeakerEmbedding/SpeakerEncoderModel.swift (layout in ExamPacks/models/README.md):
#
#     8 bytes "EXVOICE1"; 5 x uint32 LE: mel bands, hidden size, layers, embedding size, partial frames;
#     float32 LE: per layer W_ih (4H x in), W_hh (4H x H), b_ih (4H), b_hh (4H) (PyTorch gate order i, f, g, o);
#     then the linear layer W (E x H), b (E).
#
# Set-up (once; nothing of it is committed):
#     python3 -m venv /tmp/voice-venv/env
#     /tmp/voice-venv/env/bin/pip install torch==2.13.0+cpu      # the CPU wheel (here from /opt/wheels)
#     echo "torch==2.13.0+cpu" > /tmp/c.txt && /tmp/voice-venv/env/bin/pip install -c /tmp/c.txt resemblyzer==0.1.4
#     /tmp/voice-venv/env/bin/python Tools/convert-speaker-encoder.py
#
# --fixtures DIR writes the LSTM-math fixture of the always-run test: a tiny random network in the same layout
# (tiny-encoder.bin), an input batch and PyTorch's output (tiny-encoder.json), and librosa's mel frames of a
# two-tone signal (mel-two-tones.json).
import argparse
import hashlib
import json
import math
import struct
from pathlib import Path

import numpy as np
import torch


def write_model(path, state, bands, hidden, layers, embedding, partial_frames):
    out = bytearray(b"EXVOICE1")
    out += struct.pack("<5I", bands, hidden, layers, embedding, partial_frames)
    for l in range(layers):
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            t = state[f"lstm.{name}_l{l}"].detach().cpu().numpy().astype("<f4")
            out += t.tobytes(order="C")
    out += state["linear.weight"].detach().cpu().numpy().astype("<f4").tobytes(order="C")
    out += state["linear.bias"].detach().cpu().numpy().astype("<f4").tobytes(order="C")
    Path(path).write_bytes(bytes(out))
    return hashlib.sha256(out).hexdigest(), len(out)


def encoder_forward(lstm, linear, mels):
    _, (hidden, _) = lstm(mels)
    raw = torch.relu(linear(hidden[-1]))
    return raw / torch.norm(raw, dim=1, keepdim=True)


def fixtures(folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(16)
    bands, hidden, layers, embedding, frames, batch = 5, 6, 2, 4, 7, 3
    lstm = torch.nn.LSTM(bands, hidden, layers, batch_first=True)
    linear = torch.nn.Linear(hidden, embedding)
    with torch.no_grad():
        linear.bias.add_(0.5)  # keep the ReLU mostly open so the output says something about the LSTM
    state = {f"lstm.{k}": v for k, v in lstm.state_dict().items()}
    state.update({f"linear.{k}": v for k, v in linear.state_dict().items()})
    write_model(folder / "tiny-encoder.bin", state, bands, hidden, layers, embedding, frames)
    mels = torch.rand(batch, frames, bands) * 2
    with torch.no_grad():
        expected = encoder_forward(lstm, linear, mels)
    (folder / "tiny-encoder.json").write_text(json.dumps({
        "batch": batch, "mels": [round(float(x), 7) for x in mels.reshape(-1)],
        "embeddings": [round(float(x), 7) for x in expected.reshape(-1)]}, indent=0) + "\n")
    # librosa's mel power frames of 0.25 s of two tones, as resemblyzer computes them.
    import librosa
    n = np.arange(4000)
    x = (0.3 * np.sin(2 * math.pi * 440 * n / 16000) + 0.2 * np.sin(2 * math.pi * 1250 * n / 16000 + 0.5)).astype(np.float32)
    mel = librosa.feature.melspectrogram(y=x, sr=16000, n_fft=400, hop_length=160, n_mels=40).astype(np.float32).T
    (folder / "mel-two-tones.json").write_text(json.dumps({
        "librosa": librosa.__version__, "frames": mel.shape[0], "bands": mel.shape[1],
        "mel": [float("%.6g" % v) for v in mel.reshape(-1)]}) + "\n")
    print(f"fixtures written to {folder}")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--weights", help="pretrained.pt (default: the one inside the installed resemblyzer)")
    p.add_argument("-o", "--output", default="ExamPacks/models/ge2e-speaker-encoder.bin")
    p.add_argument("--fixtures", help="write the test fixtures to this folder instead")
    a = p.parse_args()
    if a.fixtures:
        fixtures(a.fixtures)
        return
    weights = a.weights
    if weights is None:
        import importlib.util
        weights = Path(importlib.util.find_spec("resemblyzer").origin).parent / "pretrained.pt"
    state = torch.load(weights, map_location="cpu")["model_state"]
    layers = sum(1 for k in state if k.startswith("lstm.weight_ih_l"))
    hidden = state["lstm.weight_hh_l0"].shape[1]
    bands = state["lstm.weight_ih_l0"].shape[1]
    embedding = state["linear.weight"].shape[0]
    digest, size = write_model(a.output, state, bands, hidden, layers, embedding, 160)
    source = hashlib.sha256(Path(weights).read_bytes()).hexdigest()
    print(f"{a.output}: {size} bytes, sha256 {digest} ({bands} bands, {layers} x LSTM {hidden}, {embedding}-d) "
          f"from {weights} (sha256 {source})")


if __name__ == "__main__":
    main()
