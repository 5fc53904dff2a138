"""Writes the onnxruntime-genai conformance fixtures: the SAME tiny seeded transformers models as
make_fixtures.py's optimum fixtures, run through onnxruntime-genai's model builder (fp32 and int4,
CPU), each output folder kept as the builder wrote it, with a goldens.json beside it.

    test/conformance/.venv-genai/bin/python test/conformance/make_genai_fixtures.py [family ...] [--out DIR]

Its own environment (requirements-genai.txt): onnxruntime-genai pins its own onnxruntime. The
goldens are transformers' answers on the PyTorch model, regenerated here and checked equal to the
optimum fixture's goldens.json, and the model's weights are checked to be exactly the tensors in
the optimum fixture's onnx/model.onnx: the two exporters start from one model.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tokenizers  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from onnx import numpy_helper  # noqa: E402

from families import FAMILIES  # noqa: E402
from goldens import beam_goldens, chat_goldens, eos_ids, greedy_goldens, processed_goldens, tokenization_goldens  # noqa: E402
from make_fixtures import build_model  # noqa: E402
from tiny_tokenizer import build_tokenizer  # noqa: E402

FIXTURES = HERE / "fixtures"
# The builder's precision → Inkwell's dtype name for what the graph holds.
PRECISIONS = {"fp32": "fp32", "int4": "q4"}
# Architectures onnxruntime-genai 0.15.2's builder.py dispatches on (create_model); GPT-2 and
# StarCoder2 are not among them.
BUILDER_ARCHITECTURES = {
    "LlamaForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM", "MistralForCausalLM", "Phi3ForCausalLM",
    "GemmaForCausalLM", "Gemma2ForCausalLM", "Gemma3ForCausalLM", "GraniteForCausalLM", "OlmoForCausalLM",
}
# goldens.json parts that transformers computes from the PyTorch model and tokenizer alone.
SHARED_GOLDENS = ("eosTokenIds", "greedy", "beam", "processed", "tokenization", "chat")


def state_dict_sha256(model) -> str:
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


def weights_in_optimum_graph(model, optimum_onnx: Path) -> dict:
    """Every PyTorch tensor must be, bit for bit, an initializer (or its transpose) of the optimum
    fixture's fp32 graph, which make_fixtures.py exported from its own build of this model."""
    graph = onnx.load(str(optimum_onnx))
    arrays = [numpy_helper.to_array(t) for t in graph.graph.initializer]
    by_bytes = {a.astype(np.float32).tobytes() for a in arrays if a.dtype == np.float32}
    by_bytes |= {np.ascontiguousarray(a.T).tobytes() for a in arrays if a.dtype == np.float32 and a.ndim == 2}
    # Tied weights appear twice in a state dict; each name is checked.
    missing = [name for name, t in model.state_dict().items() if t.detach().cpu().contiguous().numpy().tobytes() not in by_bytes]
    tensors = len(model.state_dict())
    if missing:
        raise SystemExit(f"{optimum_onnx}: {len(missing)} of {tensors} PyTorch tensors are not in the optimum graph: {missing[:5]}")
    return {"tensors": tensors, "foundInOptimumGraph": tensors}


def run_builder(hf_dir: Path, out_dir: Path, precision: str) -> None:
    cmd = [sys.executable, "-m", "onnxruntime_genai.models.builder", "-i", str(hf_dir), "-o", str(out_dir), "-p", precision, "-e", "cpu"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"builder failed ({' '.join(cmd)}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def teacher_forced_top1(folder: Path, sequences: list[tuple[list[int], list[int]]]) -> list[list[int]]:
    """onnxruntime-Python's top-1 at every generated position of each PyTorch greedy sequence, fed
    the way genai_config.json describes the graph."""
    decoder = json.loads((folder / "genai_config.json").read_text())["model"]["decoder"]
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(folder / decoder["filename"]), options, providers=["CPUExecutionProvider"])
    metas = {i.name: i for i in session.get_inputs()}
    names = decoder["inputs"]
    ints = {"tensor(int64)": np.int64, "tensor(int32)": np.int32}
    floats = {"tensor(float)": np.float32, "tensor(float16)": np.float16}
    out = []
    for prompt, tokens in sequences:
        n = len(prompt) + len(tokens)
        feeds = {names["input_ids"]: np.array([prompt + tokens], dtype=ints[metas[names["input_ids"]].type])}
        if "attention_mask" in names:
            feeds[names["attention_mask"]] = np.ones((1, n), dtype=ints[metas[names["attention_mask"]].type])
        if "position_ids" in names:
            feeds[names["position_ids"]] = np.arange(n, dtype=ints[metas[names["position_ids"]].type])[None, :]
        for layer in range(decoder["num_hidden_layers"]):
            for template in (names["past_key_names"], names["past_value_names"]):
                meta = metas[template % layer]
                feeds[meta.name] = np.zeros((1, decoder["num_key_value_heads"], 0, decoder["head_size"]), dtype=floats[meta.type])
        logits = session.run([decoder["outputs"]["logits"]], feeds)[0][0].astype(np.float32)
        start = len(prompt) - 1
        out.append([int(np.argmax(logits[start + s])) for s in range(len(tokens))])
    return out


def make_family(family, out: Path) -> None:
    torch.set_num_threads(1)
    optimum = FIXTURES / f"{family.name}-optimum"
    print(f"== {family.name}-genai", flush=True)
    tokenizer = build_tokenizer(family)
    model = build_model(family, tokenizer)
    weights = {"sha256": state_dict_sha256(model), **weights_in_optimum_graph(model, optimum / "onnx" / "model.onnx")}

    shared = {
        "eosTokenIds": eos_ids(model),
        "greedy": greedy_goldens(family, model, tokenizer),
        "beam": beam_goldens(family, model, tokenizer),
        "processed": processed_goldens(model, tokenizer),
        "tokenization": tokenization_goldens(tokenizer),
        "chat": chat_goldens(tokenizer),
    }
    # The same model must give the same answers: anything else means the two fixtures differ.
    optimum_goldens = json.loads((optimum / "goldens.json").read_text(encoding="utf-8"))
    for key in SHARED_GOLDENS:
        if json.loads(json.dumps(shared[key])) != optimum_goldens[key]:
            raise SystemExit(f"{family.name}: transformers' {key} here differ from {optimum.name}/goldens.json")
    sequences = [(g["promptIds"], g["tokens"]) for g in shared["greedy"]]

    with tempfile.TemporaryDirectory() as tmp:
        hf_dir = Path(tmp) / "hf"
        model.save_pretrained(hf_dir, safe_serialization=True)
        tokenizer.save_pretrained(hf_dir)
        family.generation_config(tokenizer).save_pretrained(hf_dir)
        for precision, dtype in PRECISIONS.items():
            name = f"{family.name}-genai-{precision}"
            dest = out / name
            built = Path(tmp) / name
            run_builder(hf_dir, built, precision)
            if dest.exists():
                shutil.rmtree(dest)
            # The builder's folder as it wrote it, nothing renamed or left out.
            shutil.copytree(built, dest)
            goldens = {
                "about": (
                    f"transformers generate() on the PyTorch fp32 model (equal to {optimum.name}/goldens.json, checked when written); "
                    "written by test/conformance/make_genai_fixtures.py"
                ),
                "versions": {
                    "onnxruntime-genai": __import__("onnxruntime_genai").__version__,
                    "onnxruntime": ort.__version__,
                    "transformers": transformers.__version__,
                    "torch": torch.__version__,
                    "tokenizers": tokenizers.__version__,
                },
                "family": family.name,
                "exporter": "onnxruntime-genai",
                "builderPrecision": precision,
                "variants": [dtype],
                "sameModelAs": optimum.name,
                "weights": weights,
                "eosTokenIds": shared["eosTokenIds"],
                "greedy": shared["greedy"],
                "ortTop1": {dtype: teacher_forced_top1(dest, sequences)},
                "beam": shared["beam"],
                # Checked equal above but not kept (~0.45 MB a family, the bulk of the file): the
                # optimum fixture holds them, and beam scores within 1e-4 already test the
                # genai graph's log-probabilities.
                "processed": [],
                "tokenization": shared["tokenization"],
                "chat": shared["chat"],
            }
            (dest / "goldens.json").write_text(json.dumps(goldens, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
            size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
            print(f"   {name}: {size / 1e6:.2f} MB", flush=True)


def main(argv: list[str]) -> None:
    out = FIXTURES
    if "--out" in argv:
        i = argv.index("--out")
        out = Path(argv[i + 1]).resolve()
        argv = argv[:i] + argv[i + 2 :]
    supported = [f for f in FAMILIES if f.model_class.__name__ in BUILDER_ARCHITECTURES and (FIXTURES / f"{f.name}-optimum").is_dir()]
    for f in FAMILIES:
        if f not in supported:
            print(f"-- {f.name}: skipped ({f.model_class.__name__} not in the builder, or no {f.name}-optimum fixture)")
    wanted = argv or [f.name for f in supported]
    unknown = set(wanted) - {f.name for f in supported}
    if unknown:
        raise SystemExit(f"cannot build {sorted(unknown)}; buildable: {[f.name for f in supported]}")
    np.random.seed(0)
    out.mkdir(parents=True, exist_ok=True)
    for family in supported:
        if family.name in wanted:
            make_family(family, out)
    total = sum(p.stat().st_size for d in out.glob("*-genai-*") for p in d.rglob("*") if p.is_file())
    print(f"genai fixtures total: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
