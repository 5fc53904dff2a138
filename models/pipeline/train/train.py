"""Trains the bundled default model (or its assistant) on the pipeline's token files.

  python3 models/pipeline/train/train.py --preset main --minutes 9 --out CKPT [--data DIR]

Data: DIR/train.u16 and DIR/heldout.u16 (raw little-endian uint16 ids, every document ending
with EOS, fill-in-the-middle documents already rearranged by the encoder) and DIR/meta.json
({vocabSize, eosId, ...}). Each batch is `--batch` random windows of `--seq` + 1 ids cut from the
concatenated stream; attention crosses document boundaries inside a window (the EOS between them
tells the model a new file started), as GPT-style packing does: no per-document mask, so the
fused causal attention kernel applies. Every position is a training target (FIM documents
included: the loss on prefix and suffix ids teaches plain next-token prediction too).

The learning rate warms up linearly and then follows a cosine to `--min-lr-frac` of its peak over
the schedule's horizon: `--max-steps` when given (deterministic runs), else the training seconds of
`--minutes` (a time-budgeted run ends at the cosine's bottom). The checkpoint folder gets
model.safetensors (HF LlamaForCausalLM names; `--shard-mb` splits it), config.json (LlamaConfig
fields), train_log.json, and resume/state.pt (optimizer, step, clock) unless `--no-state`.
"""
import argparse
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama import LlamaForCausalLM, LlamaShape, parameter_count, q4_bytes_estimate  # noqa: E402
from safetensors_io import read_checkpoint, write_checkpoint  # noqa: E402

# Sizes. At these widths the q4 file is dominated by the float32 embedding Gather (4 · vocab ·
# hidden bytes), so the right shape depends on the vocabulary part 1 picks: each shipped preset
# lists widths from the widest down, and takes the widest at which at least `min_layers` layers
# fit the ship limit, with as many layers (up to `max_layers`) as fit. Vocabulary 8192 gives the
# main model 12 × 384 (22.0 M parameters, q4 ≈ 26.7 MB) and the assistant 4 × 160 (2.4 M, 6.8 MB);
# see the table in models/pipeline/README.md for 12k and 16k.
WIDTHS = {
    "main": [dict(hidden_size=384, num_attention_heads=6, num_key_value_heads=2, intermediate_size=1024),
             dict(hidden_size=320, num_attention_heads=5, num_key_value_heads=1, intermediate_size=864),
             dict(hidden_size=256, num_attention_heads=4, num_key_value_heads=2, intermediate_size=704)],
    "assistant": [dict(hidden_size=160, num_attention_heads=5, num_key_value_heads=1, intermediate_size=448),
                  dict(hidden_size=128, num_attention_heads=4, num_key_value_heads=2, intermediate_size=352),
                  dict(hidden_size=96, num_attention_heads=3, num_key_value_heads=1, intermediate_size=256)],
}
LAYERS = {"main": (6, 12), "assistant": (2, 4)}
FIXED = {
    "toy": dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, intermediate_size=176),
    "toy-assistant": dict(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1, intermediate_size=96),
}
PRESETS = sorted([*WIDTHS, *FIXED])
# The ship limits (30 MB, 8 MB) less 2 % for what the estimate leaves out (graph, names, norms).
SHIP_LIMIT_BYTES = {"main": 29_400_000, "assistant": 7_840_000}


def shape_for(layers: int, hidden: int, vocab: int, seq: int) -> LlamaShape:
    """A shape chosen by depth and width alone: heads of 64 (32 below 128 wide), half as many
    key/value heads (grouped-query attention, at least one), SwiGLU width ≈ 8/3 · hidden rounded
    up to a multiple of 32 (Llama's rule)."""
    head_dim = 64 if hidden >= 128 else 32
    if hidden % head_dim:
        raise SystemExit(f"--hidden {hidden} must be a multiple of {head_dim}")
    heads = hidden // head_dim
    kv = max(1, heads // 2)
    while heads % kv:
        kv -= 1
    ffn = 32 * math.ceil(8 * hidden / 3 / 32)
    return LlamaShape(vocab_size=vocab, max_position_embeddings=seq, hidden_size=hidden, num_hidden_layers=layers,
                      num_attention_heads=heads, num_key_value_heads=kv, intermediate_size=ffn)


def preset_shape(preset: str, vocab: int, seq: int) -> LlamaShape:
    if preset in FIXED:
        return LlamaShape(vocab_size=vocab, max_position_embeddings=seq, **FIXED[preset])
    low, high = LAYERS[preset]
    for width in WIDTHS[preset]:
        for layers in range(high, low - 1, -1):
            shape = LlamaShape(vocab_size=vocab, max_position_embeddings=seq, num_hidden_layers=layers, **width)
            if q4_bytes_estimate(shape) <= SHIP_LIMIT_BYTES[preset]:
                return shape
    raise SystemExit(f"--preset {preset}: no listed width fits {SHIP_LIMIT_BYTES[preset] / 1e6:.0f} MB of q4 with vocabulary {vocab}; the float32 embedding alone is {4 * vocab * WIDTHS[preset][-1]['hidden_size'] / 1e6:.1f} MB at the narrowest width")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default="models/.work/data")
    p.add_argument("--out", required=True, help="checkpoint folder")
    p.add_argument("--preset", choices=PRESETS, default="toy")
    p.add_argument("--layers", type=int, default=0, help="with --hidden: a shape by depth and width (shape_for) instead of --preset")
    p.add_argument("--hidden", type=int, default=0)
    p.add_argument("--minutes", type=float, default=1.0, help="training time of this invocation")
    p.add_argument("--horizon-minutes", type=float, default=0, help="the schedule's horizon in training minutes (default --minutes): a run split over several invocations keeps one cosine")
    p.add_argument("--save-every-min", type=float, default=5.0, help="write the checkpoint (and resume state) every this many minutes")
    p.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    p.add_argument("--max-steps", type=int, default=0, help="schedule horizon and stop in steps (0: by time)")
    p.add_argument("--seq", type=int, default=1024, help="context length trained (max_position_embeddings)")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--min-lr-frac", type=float, default=0.1)
    p.add_argument("--warmup-frac", type=float, default=0.03)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--eval-every", type=int, default=200)
    p.add_argument("--eval-windows", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resume", action="store_true", help="continue from OUT/resume/state.pt")
    p.add_argument("--init-from", default="", help="start from this checkpoint's weights (same shape) with a fresh optimizer and schedule: a second phase on new data")
    p.add_argument("--align-frac", type=float, default=0.0,
                   help="share of windows that start at an example's first id (right after an EOS) instead of anywhere: a FIM example's markers are then in view")
    p.add_argument("--no-state", action="store_true", help="do not write resume/state.pt (e.g. into a small $OUT)")
    p.add_argument("--save-dtype", choices=["fp32", "fp16", "bf16"], default="fp32")
    p.add_argument("--shard-mb", type=float, default=0, help="split model.safetensors into shards of at most this size")
    p.add_argument("--compile", action="store_true", help="torch.compile (falls back to eager if it fails)")
    p.add_argument("--dry-run", action="store_true", help="print the shape the preset takes at this vocabulary and exit")
    return p.parse_args(argv)


class Stream:
    """Random windows of a uint16 token file, read through a memory map."""

    def __init__(self, path: str, seq: int, eos: int = -1, align_frac: float = 0.0):
        self.ids = np.memmap(path, dtype="<u2", mode="r")
        if len(self.ids) < seq + 2:
            raise SystemExit(f"{path}: {len(self.ids)} tokens, fewer than one window of --seq {seq} + 1")
        if not 0.0 <= align_frac <= 1.0:
            raise SystemExit(f"--align-frac must be in [0, 1], got {align_frac}")
        self.seq = seq
        self.align_frac = align_frac
        if align_frac > 0:
            # Example starts: 0 and every position after an EOS that leaves room for a window.
            starts = np.concatenate([[0], np.flatnonzero(np.asarray(self.ids) == eos) + 1])
            self.example_starts = starts[starts <= len(self.ids) - seq - 1]

    def batch(self, rng: np.random.Generator, size: int):
        starts = rng.integers(0, len(self.ids) - self.seq - 1, size=size)
        if self.align_frac > 0:
            aligned = rng.random(size) < self.align_frac
            starts[aligned] = self.example_starts[rng.integers(0, len(self.example_starts), size=int(aligned.sum()))]
        return torch.from_numpy(np.stack([self.ids[s:s + self.seq + 1].astype(np.int64) for s in starts]))

    def fixed(self, count: int):
        """The first `count` non-overlapping windows (held-out loss)."""
        n = min(count, (len(self.ids) - 1) // self.seq)
        return torch.from_numpy(np.stack([self.ids[i * self.seq:i * self.seq + self.seq + 1].astype(np.int64) for i in range(n)]))


def lr_at(progress: float, args) -> float:
    if progress < args.warmup_frac:
        return args.lr * progress / args.warmup_frac
    p = min(1.0, (progress - args.warmup_frac) / max(1e-9, 1 - args.warmup_frac))
    return args.lr * (args.min_lr_frac + (1 - args.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * p)))


def make_optimizer(model, args):
    # No decay on norms (1-D) — standard for Llama-style training.
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": args.weight_decay}, {"params": rest, "weight_decay": 0.0}]
    # Fused AdamW: CUDA, and CPU since torch 2.4 (one kernel over all parameters instead of a loop).
    fused_ok = "fused" in torch.optim.AdamW.__init__.__code__.co_varnames and (torch.cuda.is_available() or tuple(int(x) for x in torch.__version__.split(".")[:2]) >= (2, 4))
    extra = {"fused": True} if fused_ok and getattr(args, "fused_cpu", True) else {}
    return torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.95), eps=1e-8, **extra)


def loss_of(model, windows, device, autocast):
    windows = windows.to(device, non_blocking=True)
    with autocast():
        logits = model(windows[:, :-1])
    return F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), windows[:, 1:].reshape(-1))


@torch.no_grad()
def heldout_loss(model, windows, device, autocast, batch):
    model.eval()
    total = 0.0
    for i in range(0, len(windows), batch):
        chunk = windows[i:i + batch]
        total += loss_of(model, chunk, device, autocast).item() * len(chunk)
    model.train()
    return total / max(1, len(windows))


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.data, "meta.json")) as f:
        meta = json.load(f)
    vocab = math.ceil(meta["vocabSize"] / 64) * 64  # tensor-core friendly; padding rows are never targets
    shape = shape_for(args.layers, args.hidden, vocab, args.seq) if args.layers and args.hidden else preset_shape(args.preset, vocab, args.seq)
    if args.threads:
        torch.set_num_threads(args.threads)
    q4 = q4_bytes_estimate(shape)
    print(f"[train] {('shape' if args.layers and args.hidden else 'preset ' + args.preset)}: {shape.num_hidden_layers} × {shape.hidden_size}, vocab {vocab}, {parameter_count(shape) / 1e6:.2f}M parameters, q4 ≈ {q4 / 1e6:.1f} MB", file=sys.stderr)
    if args.dry_run:
        return

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(args.seed)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    autocast = (lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if device.type == "cuda" else _NoAutocast
    model = LlamaForCausalLM(shape).to(device)
    optimizer = make_optimizer(model, args)
    train = Stream(os.path.join(args.data, "train.u16"), args.seq, meta["eosId"], args.align_frac)
    heldout = Stream(os.path.join(args.data, "heldout.u16"), args.seq).fixed(args.eval_windows)

    state_file = os.path.join(args.out, "resume", "state.pt")
    step, trained_s, tokens, log = 0, 0.0, 0, []
    horizon_s = (args.horizon_minutes or args.minutes) * 60
    if args.resume:
        state = torch.load(state_file, map_location=device)
        model.load_hf_state_dict({k: v.to(device) for k, v in read_checkpoint(args.out).items()})
        optimizer.load_state_dict(state["optimizer"])
        step, trained_s, tokens, log, horizon_s = state["step"], state["trained_s"], state["tokens"], state["log"], state["horizon_s"]
        print(f"[train] resumed at step {step} ({trained_s:.0f} s trained)", file=sys.stderr)
    elif args.init_from:
        model.load_hf_state_dict({k: v.to(device) for k, v in read_checkpoint(args.init_from).items()})
        print(f"[train] weights from {args.init_from}; fresh optimizer and schedule", file=sys.stderr)
    rng = np.random.default_rng([args.seed, step])  # a resumed run draws new windows, not the first run's again

    forward = model
    if args.compile and hasattr(torch, "compile"):
        forward = torch.compile(model)
    stop = {"signal": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(signal=True))

    budget_s = args.minutes * 60
    started = time.time()
    trained_before, eval_s = trained_s, 0.0

    def clock():  # training seconds: wall time of this session minus held-out evaluations
        return trained_before + time.time() - started - eval_s

    last_save = time.time()
    while not stop["signal"]:
        trained_s = clock()
        if time.time() - last_save >= args.save_every_min * 60:  # a checkpoint to resume from if the machine stops
            t0 = time.time()
            save(model, shape, meta, args, log, step, tokens, trained_s, horizon_s, optimizer, state_file, q4)
            eval_s += time.time() - t0
            last_save = time.time()
            print(f"[train] checkpoint at step {step}", file=sys.stderr)
        if args.max_steps and step >= args.max_steps:
            break
        if not args.max_steps and trained_s - trained_before >= budget_s:
            break
        progress = step / args.max_steps if args.max_steps else trained_s / horizon_s
        lr = lr_at(progress, args)
        for group in optimizer.param_groups:
            group["lr"] = lr
        windows = train.batch(rng, args.batch)
        try:
            loss = loss_of(forward, windows, device, autocast)
        except Exception as error:  # torch.compile failing on this machine must not cost the run
            if forward is model:
                raise
            print(f"[train] torch.compile failed ({type(error).__name__}: {error}); continuing eager", file=sys.stderr)
            forward = model
            loss = loss_of(forward, windows, device, autocast)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        optimizer.step()
        step += 1
        tokens += windows.shape[0] * args.seq
        if step % 10 == 0 or step == 1 or step % args.eval_every == 0:
            loss_value = loss.item()  # syncs the GPU, so only every 10 steps
            trained_s = clock()
            print(f"[train] step {step} loss {loss_value:.4f} lr {lr:.2e} tokens {tokens} ({tokens / max(trained_s, 1e-9):.0f}/s)", file=sys.stderr)
            entry = {"step": step, "tokens": tokens, "trained_s": round(trained_s, 2), "lr": lr, "loss": loss_value}
            if step % args.eval_every == 0:
                t0 = time.time()
                entry["heldout_loss"] = heldout_loss(model, heldout, device, autocast, args.batch)
                eval_s += time.time() - t0
                print(f"[train] step {step} held-out loss {entry['heldout_loss']:.4f}", file=sys.stderr)
            log.append(entry)
    trained_s = clock()

    final = heldout_loss(model, heldout, device, autocast, args.batch)
    log.append({"step": step, "tokens": tokens, "trained_s": round(trained_s, 2), "heldout_loss": final})
    print(f"[train] done: step {step}, {tokens} tokens, held-out loss {final:.4f}, wall {time.time() - started:.0f} s", file=sys.stderr)
    save(model, shape, meta, args, log, step, tokens, trained_s, horizon_s, optimizer, state_file, q4)


class _NoAutocast:
    """CPU runs in float32: bf16 autocast on CPU is slow on these cores and not what the GPU does."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def save(model, shape, meta, args, log, step, tokens, trained_s, horizon_s, optimizer, state_file, q4):
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[args.save_dtype]
    files = write_checkpoint(args.out, model.hf_state_dict(), dtype, int(args.shard_mb * 2**20))
    config = shape.hf_config(eos_token_id=meta["eosId"], pad_token_id=meta["eosId"])
    config["torch_dtype"] = {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}[args.save_dtype]
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    summary = {
        "preset": args.preset, "parameters": parameter_count(shape), "q4_bytes_estimate": q4,
        "steps": step, "tokens": tokens, "trained_s": round(trained_s, 1),
        "tokens_per_s": round(tokens / max(trained_s, 1e-9)), "device": torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu",
        "torch": torch.__version__, "args": vars(args), "weights": files, "log": log,
    }
    with open(os.path.join(args.out, "train_log.json"), "w") as f:
        json.dump(summary, f, indent=1)
    if not args.no_state:
        os.makedirs(os.path.dirname(state_file), exist_ok=True)
        torch.save({"optimizer": optimizer.state_dict(), "step": step, "trained_s": trained_s, "tokens": tokens, "log": log, "horizon_s": horizon_s}, state_file + ".tmp")
        os.replace(state_file + ".tmp", state_file)  # a stop mid-write leaves the previous state whole


if __name__ == "__main__":
    main()
