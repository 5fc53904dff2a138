"""onnxruntime's own Python run of each variant file, teacher-forced on the PyTorch greedy
sequences: the top-1 token at every generated position. It separates what a quantizer costs
(PyTorch vs onnxruntime-Python) from what Inkwell's runtime could get wrong (Python vs Node)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort

FILES = {
    "fp32": "model.onnx",
    "fp16": "model_fp16.onnx",
    "q4": "model_q4.onnx",
    "q4f16": "model_q4f16.onnx",
    "quantized": "model_quantized.onnx",
    "int8": "model_int8.onnx",
    "uint8": "model_uint8.onnx",
    "bnb4": "model_bnb4.onnx",
}
ELEM = {"tensor(float)": np.float32, "tensor(float16)": np.float16}


def teacher_forced_top1(path: Path, sequences: list[tuple[list[int], list[int]]]) -> list[list[int]]:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    inputs = {i.name: i for i in session.get_inputs()}
    out = []
    for prompt, tokens in sequences:
        ids = np.array([prompt + tokens], dtype=np.int64)
        n = ids.shape[1]
        feeds = {"input_ids": ids}
        if "attention_mask" in inputs:
            feeds["attention_mask"] = np.ones((1, n), dtype=np.int64)
        if "position_ids" in inputs:
            feeds["position_ids"] = np.arange(n, dtype=np.int64)[None, :]
        for name, meta in inputs.items():
            if name.startswith("past_key_values."):
                heads, head_dim = meta.shape[1], meta.shape[3]
                feeds[name] = np.zeros((1, heads, 0, head_dim), dtype=ELEM[meta.type])
        logits = session.run(["logits"], feeds)[0][0].astype(np.float32)
        start = len(prompt) - 1
        out.append([int(np.argmax(logits[start + s])) for s in range(len(tokens))])
    return out


def ort_top1(onnx_dir: Path, variants: list[str], greedy: list[dict]) -> dict[str, list[list[int]]]:
    sequences = [(g["promptIds"], g["tokens"]) for g in greedy]
    return {v: teacher_forced_top1(onnx_dir / FILES[v], sequences) for v in variants}
