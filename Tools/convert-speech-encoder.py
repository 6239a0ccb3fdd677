#!/usr/bin/env python3
# Usage: Tools/convert-speech-encoder.py WHEEL [-o ExamPacks/models/moonshine-base-encoder.bin]
#        Tools/convert-speech-encoder.py WHEEL --fixture Tests/SpeechEncoderTests/Fixtures/encoder-reference.json
#
# Converts the English speech encoder of Moonshine base (moonshine_cpp 0.1.4 on PyPI, MIT licence,
# models/base-en/encoder_model.ort: 8 transformer layers of 416 over a 3-layer convolutional front end on 16 kHz
# samples, weights stored as int8 with one scale and offset per tensor) into ExamKit's plain model file, read by
# Sources/SpeechEncoder/SpeechEncoderModel.swift (layout in ExamPacks/models/README.md). The int8 weights are copied
# unchanged, with their scale and offset: the file holds exactly the numbers of the original.
#
# Set-up (once; nothing of it is committed):
#     python3 -m venv /tmp/enc-venv && /tmp/enc-venv/bin/pip install onnxruntime numpy soundfile
#     pip download --no-deps moonshine-cpp==0.1.4 -d /tmp/enc-wheel
#     /tmp/enc-venv/bin/python Tools/convert-speech-encoder.py /tmp/enc-wheel/moonshine_cpp-0.1.4-*.whl
#
# onnxruntime is used for two things only: its reader of the .ort (flatbuffer) format, and with --fixture to run
# the original model on a fixed test signal, so the Swift forward pass can be held to it.
import argparse
import hashlib
import json
import math
import struct
import sys
import zipfile

import numpy as np
from onnxruntime.tools.ort_format_model.ort_flatbuffers_py.fbs import InferenceSession

MEMBER = "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/encoder_model.ort"
DIM, LAYERS, HEADS, FF, ROTARY = 416, 8, 8, 1664, 32
CONVS = [(127, 64), (7, 3), (3, 2)]  # (kernel, stride) of conv1, conv2, conv3


def read_graph(ort_bytes):
    graph = InferenceSession.InferenceSession.GetRootAsInferenceSession(ort_bytes, 0).Model().Graph()
    tensors = {}
    for i in range(graph.InitializersLength()):
        t = graph.Initializers(i)
        dims = [t.Dims(j) for j in range(t.DimsLength())]
        dtype = {1: "<f4", 3: "i1", 7: "<i8"}[t.DataType()]
        tensors[t.Name().decode()] = np.frombuffer(t.RawDataAsNumpy().tobytes(), dtype).reshape(dims)
    # The MatMul weights have export names (onnx::MatMul_1947); the graph's node outputs name their role.
    roles = {}
    for i in range(graph.NodesLength()):
        node = graph.Nodes(i)
        if node.OpType().decode() != "MatMul":
            continue
        weight, output = node.Inputs(1).decode(), node.Outputs(0).decode()
        if weight.endswith("_add_tensor"):
            roles[output.split("/MatMul")[0].strip("/")] = weight[: -len("_add_tensor")]
    return tensors, roles


def quantized(tensors, base):
    """(scale, offset, int8 values): the weight is int8 × scale + offset (the export's Cast, Mul, Add)."""
    values = tensors[base + "_quantized"]
    return float(tensors[base + "_scale"][0]), float(tensors[base + "_zero_point"][0]), values


def ordered(tensors, roles):
    """Every tensor in file order: ("q", scale, offset, int8 array) or ("f", float32 array)."""
    out = [("q",) + quantized(tensors, "conv1.weight")]
    out.append(("f", tensors["onnx::Mul_1942"].reshape(-1)))  # group norm weight (416)
    out.append(("f", tensors["onnx::Add_1943"].reshape(-1)))  # group norm bias (416)
    out += [("q",) + quantized(tensors, "conv2.weight"), ("f", tensors["conv2.bias"])]
    out += [("q",) + quantized(tensors, "conv3.weight"), ("f", tensors["conv3.bias"])]
    for layer in range(LAYERS):
        p = f"layers.{layer}"
        out.append(("f", tensors[f"{p}.input_layernorm.weight"]))
        for role in ("q_proj", "k_proj", "v_proj", "dense"):
            out.append(("q",) + quantized(tensors, roles[f"{p}/self_attn/{role}"]))
        out.append(("f", tensors[f"{p}.post_attention_layernorm.weight"]))
        out += [("q",) + quantized(tensors, roles[f"{p}/mlp/fc1"]), ("f", tensors[f"{p}.mlp.fc1.bias"])]
        out += [("q",) + quantized(tensors, roles[f"{p}/mlp/fc2"]), ("f", tensors[f"{p}.mlp.fc2.bias"])]
    out.append(("f", tensors["layer_norm.weight"]))
    return out


def write_model(path, items):
    out = bytearray(b"EXSPENC1")
    out += struct.pack("<5I", DIM, LAYERS, HEADS, FF, ROTARY)
    out += struct.pack("<6I", *[v for conv in CONVS for v in conv])
    for item in items:
        if item[0] == "q":
            _, scale, offset, values = item
            out += struct.pack("<ff", scale, offset) + values.astype("i1").tobytes(order="C")
        else:
            out += item[1].astype("<f4").tobytes(order="C")
    with open(path, "wb") as f:
        f.write(out)
    print(f"{path}: {len(out):,} bytes, SHA-256 {hashlib.sha256(out).hexdigest()}")


def test_signal():
    """One second of a fixed, speech-like signal: two gliding harmonics series and a little noise (LCG)."""
    n = np.arange(16000)
    pitch = 120 + 60 * n / 16000
    phase = 2 * math.pi * np.cumsum(pitch) / 16000
    x = sum(0.3 / k * np.sin(k * phase) for k in range(1, 12))
    x *= 0.5 + 0.5 * np.sin(2 * math.pi * 3 * n / 16000) ** 2
    state, noise = 12345, np.empty(16000)
    for i in range(16000):
        state = (1103515245 * state + 12345) % 2**31
        noise[i] = state / 2**31 - 0.5
    return (x + 0.02 * noise).astype(np.float32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wheel")
    parser.add_argument("-o", default="ExamPacks/models/moonshine-base-encoder.bin")
    parser.add_argument("--fixture")
    args = parser.parse_args()
    ort_bytes = zipfile.ZipFile(args.wheel).read(MEMBER)
    print(f"{MEMBER}: SHA-256 {hashlib.sha256(ort_bytes).hexdigest()}", file=sys.stderr)
    if args.fixture:
        import onnxruntime

        session = onnxruntime.InferenceSession(ort_bytes, providers=["CPUExecutionProvider"])
        x = test_signal()
        h = session.run(None, {"input_values": x[None]})[0][0]
        with open(args.fixture, "w") as f:
            json.dump({"frames": int(h.shape[0]), "width": int(h.shape[1]), "columnStep": 4,
                       "values": [round(float(v), 5) for v in h[:, ::4].reshape(-1)]}, f)
        print(f"{args.fixture}: {h.shape[0]} frames of {h.shape[1]}")
        return
    tensors, roles = read_graph(ort_bytes)
    write_model(args.o, ordered(tensors, roles))


if __name__ == "__main__":
    main()
