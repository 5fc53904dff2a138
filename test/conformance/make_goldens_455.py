"""Diverse (group) beam search and contrastive search goldens, from transformers 4.55.4: the last
release with both in its core library (4.56+ fetch them from the Hub; see README.md).

    test/conformance/.venv-455/bin/python test/conformance/make_goldens_455.py [family ...]

Writes fixtures/<family>-optimum/goldens-455.json beside the committed fixture, touching nothing
else. The PyTorch weights are not committed, so the model is rebuilt from families.py with the
family's seed on the committed tokenizer; before writing, the rebuilt model must reproduce the
committed fixture: its logits against the committed fp32 onnx (onnxruntime) and transformers
4.57.6's greedy and beam goldens (goldens.json). The numbers go into the file.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402

from families import FAMILIES  # noqa: E402
from goldens import eos_ids, f32, generated  # noqa: E402

FIXTURES = HERE / "fixtures"
FAMILY_NAMES = ["llama", "qwen2", "gpt2"]
NEW_TOKENS = 24

# Group beam search: HF's _group_beam_search (num_beam_groups > 1, diversity_penalty > 0).
DIVERSE_CASES = {
    "groups-2-penalty-1": {"num_beams": 4, "num_beam_groups": 2, "diversity_penalty": 1.0, "early_stopping": True, "num_return_sequences": 4},
    "groups-4-penalty-0.5": {"num_beams": 4, "num_beam_groups": 4, "diversity_penalty": 0.5, "early_stopping": True, "num_return_sequences": 2},
    "groups-2-penalty-2-early-false-lp-2": {
        "num_beams": 4,
        "num_beam_groups": 2,
        "diversity_penalty": 2.0,
        "early_stopping": False,
        "length_penalty": 2.0,
        "num_return_sequences": 2,
    },
    "groups-3-of-6-penalty-1-never": {"num_beams": 6, "num_beam_groups": 3, "diversity_penalty": 1.0, "early_stopping": "never", "num_return_sequences": 3},
}
# Contrastive search: compared on the export with its final norm declared as last_hidden_state (README.md).
CONTRASTIVE_CASES = {
    "alpha-0.6-k-4": {"penalty_alpha": 0.6, "top_k": 4},
    "alpha-0.3-k-8": {"penalty_alpha": 0.3, "top_k": 8},
}
# The rebuilt model must match the committed fixture this closely. PyTorch against onnxruntime:
# fp32 kernels, logits of std 3 reaching ~±12, so 5e-5 is ~4e-6 relative (llama measured 1.0e-5);
# PyTorch 2.13 against itself (the 4.57.6 goldens): the same weights give the same sums. Another
# seed or config is off by whole units in both.
IDENTITY_LOGITS = 5e-5
IDENTITY_SCORES = 1e-6


def rebuild(family, folder: Path):
    """make_fixtures.build_model on the committed tokenizer (retraining it could differ across
    `tokenizers` releases; the weights only depend on the seed and the config)."""
    tokenizer = PreTrainedTokenizerFast.from_pretrained(folder)
    torch.manual_seed(family.seed)
    model = family.model_class(family.config(tokenizer)).eval()
    family.sharpen(model, tokenizer)
    model.generation_config = family.generation_config(tokenizer)
    return model, tokenizer


def onnx_logits(path: Path, ids: list[int]) -> np.ndarray:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    inputs = {i.name: i for i in session.get_inputs()}
    n = len(ids)
    feeds = {"input_ids": np.array([ids], dtype=np.int64), "attention_mask": np.ones((1, n), dtype=np.int64)}
    if "position_ids" in inputs:
        feeds["position_ids"] = np.arange(n, dtype=np.int64)[None, :]
    for name, meta in inputs.items():
        if name.startswith("past_key_values."):
            feeds[name] = np.zeros((1, meta.shape[1], 0, meta.shape[3]), dtype=np.float32)
    return session.run(["logits"], feeds)[0][0]


@torch.no_grad()
def check_identity(model, folder: Path, committed: dict) -> dict:
    """The rebuilt model against the committed fixture; raises if it is another model."""
    worst_logits = 0.0
    greedy_equal = 0
    for g in committed["greedy"]:
        ids = g["promptIds"] + g["tokens"]
        ours = model(input_ids=torch.tensor([ids])).logits[0].numpy()
        worst_logits = max(worst_logits, float(np.abs(ours - onnx_logits(folder / "onnx" / "model.onnx", ids)).max()))
        enc = torch.tensor([g["promptIds"]])
        r = model.generate(input_ids=enc, attention_mask=torch.ones_like(enc), do_sample=False, max_new_tokens=len(g["tokens"]))
        greedy_equal += generated(r[0].tolist(), enc.shape[1], set(eos_ids(model))) == g["tokens"]
    worst_beam = 0.0
    beams_equal = 0
    for b in committed["beam"]:
        enc = torch.tensor([b["promptIds"]])
        r = model.generate(input_ids=enc, attention_mask=torch.ones_like(enc), **b["config"], output_scores=True, return_dict_in_generate=True)
        seqs = [generated(s.tolist(), enc.shape[1], set(eos_ids(model))) for s in r.sequences]
        beams_equal += seqs == b["sequences"]
        worst_beam = max(worst_beam, max(abs(x - y) for x, y in zip(r.sequences_scores.tolist(), b["sequencesScores"])))
    identity = {
        "maxAbsLogitsVsCommittedOnnx": f32(worst_logits),
        "greedyEqualToGoldens": f"{greedy_equal}/{len(committed['greedy'])}",
        "beamEqualToGoldens": f"{beams_equal}/{len(committed['beam'])}",
        "maxAbsBeamScoreVsGoldens": f32(worst_beam),
    }
    ok = (
        worst_logits <= IDENTITY_LOGITS
        and greedy_equal == len(committed["greedy"])
        and beams_equal == len(committed["beam"])
        and worst_beam <= IDENTITY_SCORES
    )
    if not ok:
        raise SystemExit(f"{folder.name}: the rebuilt model is not the committed one: {identity}")
    return identity


@torch.no_grad()
def run_cases(model, prompt_ids: list[int], prompt: str, cases: dict, beam: bool) -> list[dict]:
    eos = set(eos_ids(model))
    enc = torch.tensor([prompt_ids])
    out = []
    for name, case in cases.items():
        config = {"do_sample": False, "max_new_tokens": NEW_TOKENS, **case}
        r = model.generate(input_ids=enc, attention_mask=torch.ones_like(enc), **config, output_scores=beam, return_dict_in_generate=True)
        golden = {"name": name, "prompt": prompt, "config": config, "promptIds": prompt_ids, "sequences": [generated(s.tolist(), len(prompt_ids), eos) for s in r.sequences]}
        if beam:
            golden["sequencesScores"] = [f32(v) for v in r.sequences_scores.tolist()]
        out.append(golden)
    return out


def main(argv: list[str]) -> None:
    torch.set_num_threads(1)
    wanted = argv or FAMILY_NAMES
    for family in FAMILIES:
        if family.name not in wanted:
            continue
        folder = FIXTURES / f"{family.name}-optimum"
        committed = json.loads((folder / "goldens.json").read_text(encoding="utf-8"))
        model, tokenizer = rebuild(family, folder)
        identity = check_identity(model, folder, committed)
        print(f"== {folder.name}: rebuilt model is the committed one: {identity}", flush=True)
        # The beam goldens' prompt and the first greedy prompt (GPT-2's beam prompt ends most
        # hypotheses within 2 tokens; its greedy prompts run on).
        beam_prompt = committed["beam"][0]["promptIds"]
        greedy_prompt = committed["greedy"][0]["promptIds"]
        goldens = {
            "about": "transformers 4.55.4 generate() on the PyTorch fp32 model rebuilt from families.py; written by test/conformance/make_goldens_455.py",
            "versions": {"transformers": transformers.__version__, "torch": torch.__version__, "onnxruntime": ort.__version__},
            "identity": identity,
            "diverseBeam": run_cases(model, beam_prompt, "the beam goldens' prompt", DIVERSE_CASES, beam=True)
            + run_cases(model, greedy_prompt, "greedy prompt 0", DIVERSE_CASES, beam=True),
            "contrastive": run_cases(model, greedy_prompt, "greedy prompt 0", CONTRASTIVE_CASES, beam=False),
        }
        (folder / "goldens-455.json").write_text(json.dumps(goldens, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        for g in goldens["diverseBeam"] + goldens["contrastive"]:
            print(f"   {g['name']}: {[len(s) for s in g['sequences']]} tokens", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
