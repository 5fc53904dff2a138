"""Copies a train.py checkpoint into the folder that is committed beside a shipped model.

  models/.work/venv/bin/python models/pipeline/train/release_checkpoint.py CKPT OUT [--dtype bf16]

Writes OUT/model.safetensors in the given dtype (bf16 halves the fp32 file; the shipped q4 graph
is exported from this copy, so what ships is exactly what it gives), OUT/config.json with
torch_dtype updated, and OUT/train_log.json (the run's record; for a run started from another
checkpoint's weights, `phases` lists every run back to the first, and `total_tokens` sums them).
No optimizer state.
"""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import read_checkpoint, write_checkpoint  # noqa: E402

DTYPES = {"fp32": (torch.float32, "float32"), "fp16": (torch.float16, "float16"), "bf16": (torch.bfloat16, "bfloat16")}


def training_phases(checkpoint):
    """The runs behind a checkpoint, oldest first, following each train_log's args.init_from."""
    phases, seen = [], set()
    while checkpoint and os.path.exists(os.path.join(checkpoint, "train_log.json")) and checkpoint not in seen:
        seen.add(checkpoint)
        with open(os.path.join(checkpoint, "train_log.json")) as f:
            log = json.load(f)
        args = log.get("args", {})
        phases.append({"checkpoint": checkpoint, "tokens": log["tokens"], "steps": log["steps"], "trained_s": log.get("trained_s"), "data": args.get("data"), "lr": args.get("lr")})
        checkpoint = args.get("init_from") or None
    return phases[::-1]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("checkpoint")
    p.add_argument("out")
    p.add_argument("--dtype", choices=sorted(DTYPES), default="bf16")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    dtype, name = DTYPES[a.dtype]
    write_checkpoint(a.out, read_checkpoint(a.checkpoint), dtype)
    with open(os.path.join(a.checkpoint, "config.json")) as f:
        config = json.load(f)
    config["torch_dtype"] = name
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(a.checkpoint, "train_log.json")) as f:
        log = json.load(f)
    phases = training_phases(a.checkpoint)
    if len(phases) > 1:
        # A run that started from another checkpoint's weights (--init-from): record every phase.
        log["phases"] = phases
        log["total_tokens"] = sum(ph["tokens"] for ph in phases)
    with open(os.path.join(a.out, "train_log.json"), "w") as f:
        json.dump(log, f, indent=1)
    print(f"wrote {a.out}: model.safetensors ({a.dtype}), config.json, train_log.json")


if __name__ == "__main__":
    main()
