"""Measures training throughput (tokens/s) of train.py's model and step on this machine.

  models/.work/venv/bin/python models/pipeline/train/throughput.py [--threads 2] [--seconds 25]
      [--case LAYERSxHIDDEN:VOCAB:SEQ[:compile|:unfused]]...

Each case trains on random ids (speed does not depend on the data) with the optimizer, clipping
and loss train.py uses, discards the first steps (allocation, warm caches) and reports tokens/s
over the rest, with the parameter count. Print as a Markdown table for models/README.md.
"""
import argparse
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama import LlamaForCausalLM, LlamaShape, parameter_count  # noqa: E402
from train import make_optimizer, shape_for  # noqa: E402

DEFAULT_CASES = [
    "4x192:8192:256", "4x256:8192:256", "6x256:8192:256", "6x320:8192:256",
    "4x256:12288:256", "4x256:8192:512", "4x256:8192:256:compile", "4x256:8192:256:unfused",
]


def run_case(spec: str, seconds: float, batch_tokens: int):
    parts = spec.split(":")
    layers, hidden = (int(x) for x in parts[0].split("x"))
    vocab, seq = int(parts[1]), int(parts[2])
    flag = parts[3] if len(parts) > 3 else ""
    shape = shape_for(layers, hidden, vocab, seq)
    torch.manual_seed(0)
    model = LlamaForCausalLM(shape)
    args = argparse.Namespace(weight_decay=0.1, lr=1e-3, fused_cpu=flag != "unfused")
    optimizer = make_optimizer(model, args)
    forward = torch.compile(model) if flag == "compile" else model
    batch = max(1, batch_tokens // seq)
    steps, tokens, started, measured_from = 0, 0, None, 3
    t0 = time.time()
    while True:
        ids = torch.randint(0, vocab, (batch, seq + 1))
        logits = forward(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, vocab), ids[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        steps += 1
        if steps == measured_from:
            started = time.time()
        elif steps > measured_from:
            tokens += batch * seq
            if time.time() - started >= seconds or time.time() - t0 > seconds * 4:
                break
    rate = tokens / (time.time() - started)
    return shape, batch, rate


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=25)
    p.add_argument("--batch-tokens", type=int, default=4096)
    p.add_argument("--case", action="append")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__}, {a.threads} threads, batches of {a.batch_tokens} tokens")
    print("| layers × hidden | vocab | seq | variant | parameters | tokens/s | tokens in 120 min |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for spec in a.case or DEFAULT_CASES:
        shape, batch, rate = run_case(spec, a.seconds, a.batch_tokens)
        variant = spec.split(":")[3] if spec.count(":") == 3 else "eager, fused AdamW"
        print(f"| {shape.num_hidden_layers} × {shape.hidden_size} | {shape.vocab_size} | {shape.max_position_embeddings} | {variant} | "
              f"{parameter_count(shape) / 1e6:.2f} M | {rate:,.0f} | {rate * 7200 / 1e6:.1f} M |", flush=True)


if __name__ == "__main__":
    main()
