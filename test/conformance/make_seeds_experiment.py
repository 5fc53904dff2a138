"""Writes fixtures/qwen2chat-optimum/: the seeds' experiment (issue 12 item 5) as a conformance case.

    test/conformance/.venv/bin/python test/conformance/make_seeds_experiment.py [--out DIR]

A Qwen2-architecture model (Qwen2's ChatML template, generation_config eos [<|im_end|>,
<|endoftext|>], max_position_embeddings 2048), exported by optimum (fp32 only), run by
transformers' generate() from the two chat prompts of the original experiment under each of its
settings, up to 1000 new tokens or EOS. What is stored and how the test compares it:
test/conformance/README.md, "The seeds' experiment".

Reuses make_fixtures.py / families.py / goldens.py by import; writes nothing they write.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import struct
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_fixtures  # noqa: E402  (sets the offline environment before transformers loads)
import tokenizers  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402

from families import FAMILIES  # noqa: E402
from goldens import CHAT_CASES, eos_ids, f32, generated  # noqa: E402
from tiny_tokenizer import build_tokenizer  # noqa: E402

NAME = "qwen2chat-optimum"
MAX_NEW_TOKENS = 1000
# The two conversations of the experiment (system + user), as goldens.CHAT_CASES holds them.
CONVERSATIONS = [CHAT_CASES[1], CHAT_CASES[2]]

# The qwen2 family with its own seed (another random model than qwen2-optimum's), room for the
# longest prompt (115 tokens) + 1000 new ones, and EOS's output row left as drawn: qwen2's 2.2x
# boost ended every run within 71 tokens; unboosted, the runs end after 27 to 562 tokens or
# reach 1000.
FAMILY = dataclasses.replace(
    next(f for f in FAMILIES if f.name == "qwen2"), name="qwen2chat", seed=1212, max_positions=2048, eos_boost=1.0
)

# The experiment's settings. The fixture's generation_config.json sets no sampling fields, so HF's
# defaults apply on top of these (temperature 1, top_k 50, top_p 1): plain sampling is top-50.
SEARCH_SETTINGS = {
    "greedy": {"do_sample": False},
    "beam-4-early-stopping": {"do_sample": False, "num_beams": 4, "early_stopping": True},
}
SAMPLING_SETTINGS = {
    "sampling": {"do_sample": True},
    "temperature-0.001": {"do_sample": True, "temperature": 0.001},
    "temperature-0.1": {"do_sample": True, "temperature": 0.1},
    "temperature-0.5": {"do_sample": True, "temperature": 0.5},
    "temperature-1.0": {"do_sample": True, "temperature": 1.0},
    "temperature-10.0": {"do_sample": True, "temperature": 10.0},
    "top-p-0.9": {"do_sample": True, "top_p": 0.9},
}

# Full processed rows (finite entries) are kept for these steps only; every step keeps the
# number of finite entries and the sampled token's score and log-probability.
FULL_ROWS_FIRST = 32
FULL_ROWS_EVERY = 32


def stored_step(step: int, steps: int) -> bool:
    return step < FULL_ROWS_FIRST or step % FULL_ROWS_EVERY == 0 or step == steps - 1


class Floats:
    """seeds-scores.f32: every stored float, little-endian float32; JSON holds offsets into it."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def add(self, values: list[float]) -> int:
        at = len(self.values)
        self.values.extend(values)
        return at

    def write(self, path: Path) -> None:
        path.write_bytes(struct.pack(f"<{len(self.values)}f", *self.values))


def export_optimum(model_dir: Path, out_dir: Path) -> None:
    """As make_fixtures.py exports: optimum's text-generation-with-past, one model.onnx."""
    from optimum.exporters.onnx import main_export

    os.environ["FORCE_ONNX_EXTERNAL_DATA"] = "0"
    main_export(str(model_dir), output=str(out_dir), task="text-generation-with-past", device="cpu", do_validation=True, local_files_only=True)
    if sorted(p.name for p in out_dir.glob("*.onnx*")) != ["model.onnx"]:
        raise SystemExit(f"optimum wrote {sorted(p.name for p in out_dir.glob('*.onnx*'))}, expected model.onnx alone")


def export(model, tokenizer, dest: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "hf"
        model.save_pretrained(model_dir, safe_serialization=True)
        tokenizer.save_pretrained(model_dir)
        FAMILY.generation_config(tokenizer).save_pretrained(model_dir)
        export_dir = Path(tmp) / "export"
        export_optimum(model_dir, export_dir)
        if dest.exists():
            shutil.rmtree(dest)
        (dest / "onnx").mkdir(parents=True)
        for f in make_fixtures.KEEP:
            if (export_dir / f).exists():
                shutil.copy(export_dir / f, dest / f)
        shutil.copy(export_dir / "model.onnx", dest / "onnx" / "model.onnx")


@torch.no_grad()
def search_goldens(model, prompts, eos):
    out = []
    for p, ids in enumerate(prompts):
        input_ids = torch.tensor([ids])
        for name, setting in SEARCH_SETTINGS.items():
            config = {**setting, "max_new_tokens": MAX_NEW_TOKENS}
            beam = setting.get("num_beams", 1) > 1
            r = model.generate(
                input_ids=input_ids,
                attention_mask=torch.ones_like(input_ids),
                **config,
                output_logits=not beam,
                output_scores=beam,
                return_dict_in_generate=True,
            )
            seqs = [generated(s.tolist(), len(ids), eos) for s in r.sequences]
            golden = {"name": name, "prompt": p, "config": config, "sequences": seqs}
            if beam:
                golden["sequencesScores"] = [f32(v) for v in r.sequences_scores.tolist()]
            else:
                gaps = []
                for step_logits in r.logits[: len(seqs[0])]:
                    top = torch.topk(step_logits[0].float(), 2).values
                    gaps.append(float(f"{(top[0] - top[1]).item():.4g}"))
                golden["top2Gap"] = gaps
            print(f"   prompt {p} {name}: {len(seqs[0])} tokens", flush=True)
            out.append(golden)
    return out


@torch.no_grad()
def sampled_goldens(model, prompts, eos, floats: Floats):
    out = []
    for p, ids in enumerate(prompts):
        input_ids = torch.tensor([ids])
        for i, (name, setting) in enumerate(SAMPLING_SETTINGS.items()):
            config = {**setting, "max_new_tokens": MAX_NEW_TOKENS}
            seed = 5000 + 100 * p + i
            torch.manual_seed(seed)
            r = model.generate(
                input_ids=input_ids, attention_mask=torch.ones_like(input_ids), **config, output_scores=True, return_dict_in_generate=True
            )
            tokens = generated(r.sequences[0].tolist(), len(ids), eos)
            chosen_scores, chosen_logprobs, finite_counts, rows = [], [], [], []
            for step, token in enumerate(tokens):
                row = r.scores[step][0].float()
                finite = torch.isfinite(row)
                finite_counts.append(int(finite.sum().item()))
                chosen_scores.append(row[token].item())
                chosen_logprobs.append(torch.log_softmax(row, -1)[token].item())
                if stored_step(step, len(tokens)):
                    kept = finite.nonzero()[:, 0].tolist()
                    rows.append({"step": step, "ids": kept, "at": floats.add(row[kept].tolist())})
            out.append(
                {
                    "name": name,
                    "prompt": p,
                    "config": config,
                    "seed": seed,
                    "tokens": tokens,
                    "finiteCounts": finite_counts,
                    "chosenScoresAt": floats.add(chosen_scores),
                    "chosenLogProbsAt": floats.add(chosen_logprobs),
                    "rows": rows,
                }
            )
            print(f"   prompt {p} {name}: {len(tokens)} tokens, {len(rows)} full rows", flush=True)
    return out


def main(argv: list[str]) -> None:
    out = make_fixtures.FIXTURES
    if "--out" in argv:
        out = Path(argv[argv.index("--out") + 1]).resolve()
    logging.getLogger().setLevel(logging.WARNING)
    torch.set_num_threads(1)
    dest = out / NAME
    print(f"== {NAME}", flush=True)
    tokenizer = build_tokenizer(FAMILY)
    model = make_fixtures.build_model(FAMILY, tokenizer)
    export(model, tokenizer, dest)
    model.eval()
    eos = set(eos_ids(model))
    prompts, prompt_ids = [], []
    for messages in CONVERSATIONS:
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        ids = list(tokenizer.apply_chat_template(messages, tokenize=True, add_generation_prompt=True))
        prompts.append({"messages": messages, "addGenerationPrompt": True, "text": text, "ids": ids})
        prompt_ids.append(ids)
    floats = Floats()
    goldens = {
        "about": "the seeds' experiment: transformers generate() on the PyTorch fp32 model; written by test/conformance/make_seeds_experiment.py",
        "versions": {"transformers": transformers.__version__, "torch": torch.__version__, "tokenizers": tokenizers.__version__},
        "eosTokenIds": eos_ids(model),
        "maxNewTokens": MAX_NEW_TOKENS,
        "fullRows": {"first": FULL_ROWS_FIRST, "every": FULL_ROWS_EVERY, "last": True},
        "scoresFile": "seeds-scores.f32",
        "prompts": prompts,
        "search": search_goldens(model, prompt_ids, eos),
        "sampled": sampled_goldens(model, prompt_ids, eos, floats),
    }
    floats.write(dest / "seeds-scores.f32")
    (dest / "seeds.json").write_text(json.dumps(goldens, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    print(f"   {NAME}: {size / 1e6:.2f} MB ({len(floats.values)} stored floats)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
