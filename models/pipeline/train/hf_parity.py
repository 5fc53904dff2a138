"""Logits of a checkpoint on fixed held-out prompts, for the export's parity checks.

  python3 hf_parity.py --ckpt CKPT --data DIR --out PREFIX [--impl hf|ours] [--onnx model.onnx]

--impl hf (the GPU machine, which has transformers): the checkpoint loaded into transformers'
LlamaForCausalLM in float32 with eager attention; it is also compared there with this folder's
own PyTorch model (llama.py), which trained it. --impl ours: llama.py alone (Debian's torch, toy
runs). Writes PREFIX.json ({impl, vocab, prompts}) and PREFIX.f32 (float32 little-endian logits,
prompt by prompt, [length, vocab] each); `npm run models -- export --parity PREFIX` compares them
with our ONNX graph. --onnx also compares with python onnxruntime right here.

Tolerance: max |Δlogit| ≤ 1e-3 · max(1, max |logit|). Both sides run float32 on the same
(possibly bf16-rounded) weights; they differ only in summation order, ~1e-6 relative per op.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama import LlamaForCausalLM, LlamaShape  # noqa: E402
from safetensors_io import read_checkpoint  # noqa: E402

RELATIVE_TOLERANCE = 1e-3


def parity_prompts(heldout_file: str, count: int, length: int) -> list:
    """`count` windows of `length` ids, evenly spaced over the held-out stream (same rule in TS)."""
    ids = np.memmap(heldout_file, dtype="<u2", mode="r")
    span = max(1, len(ids) - length)
    return [ids[(i * span) // count:(i * span) // count + length].astype(np.int64).tolist() for i in range(count)]


def ours(ckpt: str):
    with open(os.path.join(ckpt, "config.json")) as f:
        model = LlamaForCausalLM(LlamaShape.from_hf_config(json.load(f)))
    model.load_hf_state_dict(read_checkpoint(ckpt))
    return model.eval()


def hf(ckpt: str):
    from transformers import LlamaForCausalLM as HfLlama
    try:
        return HfLlama.from_pretrained(ckpt, dtype=torch.float32, attn_implementation="eager").eval()
    except TypeError:  # transformers before `dtype` was the argument's name
        return HfLlama.from_pretrained(ckpt, torch_dtype=torch.float32, attn_implementation="eager").eval()


def logits_of(model, prompt, impl):
    ids = torch.tensor([prompt])
    with torch.no_grad():
        out = model(ids)
    return (out.logits if impl == "hf" else out)[0].float().numpy()


def within(a, b):
    diff = float(np.abs(a - b).max())
    return diff, diff <= RELATIVE_TOLERANCE * max(1.0, float(np.abs(b).max()))


def onnx_logits(onnx_file, prompt, config):
    import onnxruntime as ort
    session = ort.InferenceSession(onnx_file, providers=["CPUExecutionProvider"])
    n = len(prompt)
    kv, d = config["num_key_value_heads"], config["hidden_size"] // config["num_attention_heads"]
    feeds = {"input_ids": np.array([prompt], dtype=np.int64), "attention_mask": np.ones((1, n), dtype=np.int64), "position_ids": np.arange(n, dtype=np.int64)[None]}
    for i in range(config["num_hidden_layers"]):
        for kind in ("key", "value"):
            feeds[f"past_key_values.{i}.{kind}"] = np.zeros((1, kv, 0, d), dtype=np.float32)
    return session.run(["logits"], feeds)[0][0]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ckpt", required=True)
    p.add_argument("--data", default="models/.work/data")
    p.add_argument("--out", required=True, help="PREFIX of PREFIX.json and PREFIX.f32")
    p.add_argument("--impl", choices=["hf", "ours"], default="hf")
    p.add_argument("--prompts", type=int, default=3)
    p.add_argument("--length", type=int, default=48)
    p.add_argument("--onnx", help="an exported onnx/model.onnx to compare with onnxruntime here")
    args = p.parse_args()

    prompts = parity_prompts(os.path.join(args.data, "heldout.u16"), args.prompts, args.length)
    model = hf(args.ckpt) if args.impl == "hf" else ours(args.ckpt)
    logits = [logits_of(model, prompt, args.impl) for prompt in prompts]
    failed = False
    if args.impl == "hf":
        mine = ours(args.ckpt)
        for i, prompt in enumerate(prompts):
            diff, ok = within(logits_of(mine, prompt, "ours"), logits[i])
            failed |= not ok
            print(f"[parity] prompt {i}: transformers vs llama.py max |Δ| {diff:.2e} {'ok' if ok else 'FAIL'}", file=sys.stderr)
    if args.onnx:
        with open(os.path.join(args.ckpt, "config.json")) as f:
            config = json.load(f)
        for i, prompt in enumerate(prompts):
            diff, ok = within(onnx_logits(args.onnx, prompt, config), logits[i])
            failed |= not ok
            print(f"[parity] prompt {i}: onnxruntime vs {args.impl} max |Δ| {diff:.2e} {'ok' if ok else 'FAIL'}", file=sys.stderr)
    with open(args.out + ".json", "w") as f:
        json.dump({"impl": args.impl, "vocab": int(logits[0].shape[-1]), "tolerance": RELATIVE_TOLERANCE, "prompts": prompts}, f)
    np.concatenate([l.reshape(-1) for l in logits]).astype("<f4").tofile(args.out + ".f32")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
