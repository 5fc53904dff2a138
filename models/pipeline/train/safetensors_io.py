"""Reads and writes .safetensors files (u64 little-endian header length, JSON header, raw bytes)
without the `safetensors` package, which Debian does not ship. Sharded checkpoints follow
transformers' convention: model-0000i-of-0000n.safetensors + model.safetensors.index.json."""
import json
import os

import numpy as np
import torch

_CODES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


def _raw(t: torch.Tensor) -> bytes:
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: move the bits as int16
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_file(path: str, tensors: dict, metadata: dict = None):
    header, offset = {}, 0
    raws = []
    for name, t in tensors.items():
        raw = _raw(t)
        header[name] = {"dtype": _CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        raws.append(raw)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header)
    text += " " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(len(text.encode()).to_bytes(8, "little"))
        f.write(text.encode())
        for raw in raws:
            f.write(raw)
    os.replace(tmp, path)


def write_checkpoint(folder: str, state: dict, dtype=torch.float32, shard_bytes: int = 0) -> list:
    """model.safetensors, or shards of at most shard_bytes each plus the index. Returns file names."""
    state = {k: v.to(dtype) for k, v in state.items()}
    if shard_bytes <= 0:
        write_file(os.path.join(folder, "model.safetensors"), state, {"format": "pt"})
        return ["model.safetensors"]
    shards, current, size = [], {}, 0
    for name, t in state.items():
        n = t.numel() * t.element_size()
        if current and size + n > shard_bytes:
            shards.append(current)
            current, size = {}, 0
        current[name] = t
        size += n
    shards.append(current)
    names, weight_map = [], {}
    for i, shard in enumerate(shards):
        file = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        write_file(os.path.join(folder, file), shard, {"format": "pt"})
        names.append(file)
        weight_map.update({k: file for k in shard})
    total = sum(t.numel() * t.element_size() for t in state.values())
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=1)
    return names + ["model.safetensors.index.json"]


def read_file(path: str) -> dict:
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        raw = data[8 + n + begin:8 + n + end]
        if e["dtype"] == "F32":
            arr = np.frombuffer(raw, dtype="<f4")
        elif e["dtype"] == "F16":
            arr = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif e["dtype"] == "BF16":
            arr = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{path}: {name} has unsupported dtype {e['dtype']}")
        out[name] = torch.from_numpy(arr.copy()).reshape(e["shape"])
    return out


def read_checkpoint(folder: str) -> dict:
    """Float32 tensors from model.safetensors or from the shards an index names."""
    index = os.path.join(folder, "model.safetensors.index.json")
    if not os.path.exists(index):
        return read_file(os.path.join(folder, "model.safetensors"))
    with open(index) as f:
        files = sorted(set(json.load(f)["weight_map"].values()))
    state = {}
    for file in files:
        state.update(read_file(os.path.join(folder, file)))
    return state
