"""Writes the conformance fixtures: tiny seeded random transformers models, exported by real
exporters into onnx-community folders, with transformers' own generate() answers beside them.

    test/conformance/.venv/bin/python test/conformance/make_fixtures.py [family ...] [--out DIR]

Python is a development tool: the product and `npm test` only read what this writes
(test/conformance/fixtures/<family>-<exporter>/). See test/conformance/README.md.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from families import FAMILIES  # noqa: E402
from goldens import write_goldens  # noqa: E402
from quantize import write_quantized_variants  # noqa: E402
from tiny_tokenizer import build_tokenizer  # noqa: E402

FIXTURES = HERE / "fixtures"
# Files of an exported folder that the fixture keeps (optimum also writes tokenizer copies,
# special_tokens_map.json and so on; the loader reads these).
KEEP = [
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "chat_template.jinja",
]


def build_model(family, tokenizer):
    torch.manual_seed(family.seed)
    config = family.config(tokenizer)
    model = family.model_class(config).eval()
    family.sharpen(model, tokenizer)
    model.generation_config = family.generation_config(tokenizer)
    return model


def custom_onnx_configs(family, model_dir: Path):
    """optimum-onnx 0.1.0 registers no ONNX config for starcoder2 and refuses it ("a custom or
    unsupported architecture"); its documented way out is a custom config. StarCoder2's decoder
    has Mistral's interface (GQA KV cache, position_ids, rotary), so Mistral's config describes
    its inputs and outputs; optimum then traces and validates the model as for any family."""
    if family.name != "starcoder2":
        return None
    from optimum.exporters.onnx.model_configs import MistralOnnxConfig
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(model_dir, local_files_only=True)
    return {"model": MistralOnnxConfig(config, task="text-generation", use_past=True, use_past_in_inputs=True)}


def export_optimum(family, model_dir: Path, out_dir: Path) -> None:
    from optimum.exporters.onnx import main_export

    external_data = family.external_data

    # optimum's own switch for what it does with a model over 2 GB: every initializer in
    # onnx/model.onnx_data beside model.onnx (onnx.save(..., location="model.onnx_data")).
    os.environ["FORCE_ONNX_EXTERNAL_DATA"] = "1" if external_data else "0"
    main_export(
        str(model_dir),
        output=str(out_dir),
        task="text-generation-with-past",
        device="cpu",
        do_validation=True,
        local_files_only=True,
        custom_onnx_configs=custom_onnx_configs(family, model_dir),
    )


def make_family(family, out: Path) -> None:
    torch.set_num_threads(1)
    name = f"{family.name}-optimum"
    dest = out / name
    print(f"== {name}", flush=True)
    tokenizer = build_tokenizer(family)
    model = build_model(family, tokenizer)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "hf"
        model.save_pretrained(model_dir, safe_serialization=True)
        tokenizer.save_pretrained(model_dir)
        family.generation_config(tokenizer).save_pretrained(model_dir)
        export_dir = Path(tmp) / "export"
        export_optimum(family, model_dir, export_dir)
        if dest.exists():
            shutil.rmtree(dest)
        (dest / "onnx").mkdir(parents=True)
        for f in KEEP:
            if (export_dir / f).exists():
                shutil.copy(export_dir / f, dest / f)
        onnx_files = sorted(p.name for p in export_dir.glob("*.onnx*"))
        expected = ["model.onnx", "model.onnx_data"] if family.external_data else ["model.onnx"]
        if onnx_files != expected:
            raise SystemExit(f"{name}: optimum wrote {onnx_files}, expected {expected}")
        for f in onnx_files:
            shutil.copy(export_dir / f, dest / "onnx" / f)
    variants = write_quantized_variants(dest / "onnx", family.variants)
    write_goldens(family, model, tokenizer, dest, variants)
    sizes = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    print(f"   {name}: {sizes / 1e6:.2f} MB", flush=True)


def main(argv: list[str]) -> None:
    # --out DIR writes elsewhere (e.g. to compare a regeneration with the committed fixtures).
    out = FIXTURES
    if "--out" in argv:
        i = argv.index("--out")
        out = Path(argv[i + 1]).resolve()
        argv = argv[:i] + argv[i + 2 :]
    wanted = argv or [f.name for f in FAMILIES]
    unknown = set(wanted) - {f.name for f in FAMILIES}
    if unknown:
        raise SystemExit(f"unknown families {sorted(unknown)}; known: {[f.name for f in FAMILIES]}")
    # onnxruntime's quantizers log every tensor they skip at INFO.
    logging.getLogger().setLevel(logging.WARNING)
    np.random.seed(0)
    for family in FAMILIES:
        if family.name in wanted:
            make_family(family, out)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"fixtures total: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
