"""transformers' own answers on the PyTorch model (fp32), written as goldens.json beside a fixture.
The TypeScript tests compare Inkwell against these and nothing else."""

from __future__ import annotations

import json
import math
from pathlib import Path

import tokenizers
import torch
import transformers

from ort_reference import ort_top1

GREEDY_NEW_TOKENS = 64

BEAM_NEW_TOKENS = 24
BEAM_CASES = {
    "early-true": {"num_beams": 4, "early_stopping": True},
    "early-false": {"num_beams": 4, "early_stopping": False},
    "early-never": {"num_beams": 4, "early_stopping": "never"},
    "length-penalty-0.5": {"num_beams": 4, "early_stopping": True, "length_penalty": 0.5, "num_return_sequences": 2},
    "length-penalty-2": {"num_beams": 4, "early_stopping": False, "length_penalty": 2.0, "num_return_sequences": 2},
    "return-4": {"num_beams": 4, "early_stopping": "never", "num_return_sequences": 4},
}

PROCESSED_PROMPT = "class Stack:\n    def push(self, item):\n"
PROCESSED_NEW_TOKENS = 6
# Each case's scores are what HF hands the sampler (output_scores): after every processor and
# warper. Sampling cases draw with a fixed torch seed; the tests teacher-force the drawn ids.
PROCESSED_CASES = {
    "temperature-0.7": {"do_sample": True, "temperature": 0.7, "top_k": 0},
    "top-k-20": {"do_sample": True, "top_k": 20},
    "top-p-0.8": {"do_sample": True, "top_p": 0.8, "top_k": 0},
    "min-p-0.1": {"do_sample": True, "min_p": 0.1, "top_k": 0},
    "typical-p-0.9": {"do_sample": True, "typical_p": 0.9, "top_k": 0},
    "epsilon-3e-3": {"do_sample": True, "epsilon_cutoff": 3e-3, "top_k": 0},
    "eta-1e-2": {"do_sample": True, "eta_cutoff": 1e-2, "top_k": 0},
    "repetition-penalty-1.3": {"do_sample": False, "repetition_penalty": 1.3},
    "no-repeat-ngram-2": {"do_sample": False, "no_repeat_ngram_size": 2, "max_new_tokens": 24},
    "min-new-tokens-4": {"do_sample": False, "min_new_tokens": 4},
    "combined": {"do_sample": True, "temperature": 0.8, "top_k": 40, "top_p": 0.9, "repetition_penalty": 1.2},
}

TRICKY_STRINGS = [
    "hello world",
    "  leading spaces and trailing   ",
    "tabs\tand\n\nnewlines\r\n",
    "Ünïcödé ✓ 你好 🚀",
    "café naïve",  # NFC-composed
    "cafe\u0301 nai\u0308ve",  # decomposed: NFC tokenizers compose it
    "emoji 👩‍💻 and flags 🇩🇪",
    "x = 1_000_000.25 + 0xFF",
    "it's they're we'll I'M",
    "    indented(code)  # comment",
    "",
]

CHAT_CASES = [
    [{"role": "user", "content": "Hello!"}],
    [
        {"role": "system", "content": "You are a storyteller. Generate a story based on user message."},
        {"role": "user", "content": "Generate me a short story about a tiny hedgehog named Sonic."},
    ],
    [
        {
            "role": "system",
            "content": 'You are a strict JSON machine. Generate only a JSON with format {"contractor": name, "sum": decimal, "currency": currency code} based on user message. You prohibited to discuss. Only return dict in json format.',
        },
        {"role": "user", "content": "Transfer 100 rubles to Mike"},
    ],
    [
        {"role": "user", "content": "Write a function."},
        {"role": "assistant", "content": "def f():\n    return 1"},
        {"role": "user", "content": "Ünïcödé <|im_start|> inside text?"},
    ],
]


def f32(v: float):
    """A float32 value as JSON: 9 significant digits round-trip float32; -inf as null."""
    if math.isinf(v) and v < 0:
        return None
    return float(f"{v:.9g}")


def generated(sequence: list[int], prompt_len: int, eos: set[int]) -> list[int]:
    """The new tokens of a returned sequence, up to and including the first EOS (HF pads after it)."""
    out = []
    for t in sequence[prompt_len:]:
        out.append(t)
        if t in eos:
            break
    return out


def eos_ids(model) -> list[int]:
    e = model.generation_config.eos_token_id
    return list(e) if isinstance(e, (list, tuple)) else [e]


@torch.no_grad()
def greedy_goldens(family, model, tokenizer):
    eos = set(eos_ids(model))
    out = []
    for text in family.greedy_prompts:
        enc = tokenizer(text, return_tensors="pt")
        ids = enc.input_ids
        r = model.generate(
            **enc, do_sample=False, max_new_tokens=GREEDY_NEW_TOKENS, output_logits=True, return_dict_in_generate=True
        )
        tokens = generated(r.sequences[0].tolist(), ids.shape[1], eos)
        gaps = []
        for step_logits in r.logits[: len(tokens)]:
            top = torch.topk(step_logits[0].float(), 2).values
            gaps.append(f32((top[0] - top[1]).item()))
        out.append({"prompt": text, "promptIds": ids[0].tolist(), "tokens": tokens, "top2Gap": gaps})
    return out


@torch.no_grad()
def beam_goldens(family, model, tokenizer):
    eos = set(eos_ids(model))
    enc = tokenizer(family.beam_prompt, return_tensors="pt")
    ids = enc.input_ids
    out = []
    for name, case in BEAM_CASES.items():
        config = {"do_sample": False, "max_new_tokens": BEAM_NEW_TOKENS, **case}
        r = model.generate(**enc, **config, output_scores=True, return_dict_in_generate=True)
        seqs = [generated(s.tolist(), ids.shape[1], eos) for s in r.sequences]
        out.append(
            {
                "name": name,
                "config": config,
                "promptIds": ids[0].tolist(),
                "sequences": seqs,
                "sequencesScores": [f32(v) for v in r.sequences_scores.tolist()],
            }
        )
    return out


def token_cases(plain: list[int]) -> dict:
    """Cases naming token ids: taken from the prompt's plain greedy continuation, so they bite."""
    a, b, c = plain[0], plain[1], plain[2]
    return {
        "bad-words": {"do_sample": False, "bad_words_ids": [[a], [b, c]]},
        "sequence-bias": {"do_sample": False, "sequence_bias": [[[a], -2.0], [[b, c], 3.0]]},
        "exponential-decay-length-penalty": {"do_sample": False, "exponential_decay_length_penalty": [2, 1.5]},
    }


@torch.no_grad()
def processed_goldens(model, tokenizer):
    eos = set(eos_ids(model))
    enc = tokenizer(PROCESSED_PROMPT, return_tensors="pt")
    ids = enc.input_ids
    plain = model.generate(**enc, do_sample=False, max_new_tokens=3, min_new_tokens=3)[0, ids.shape[1] :].tolist()
    cases = {**PROCESSED_CASES, **token_cases(plain)}
    out = []
    for i, (name, case) in enumerate(cases.items()):
        config = {"max_new_tokens": PROCESSED_NEW_TOKENS, **case}
        torch.manual_seed(100 + i)
        r = model.generate(**enc, **config, output_scores=True, return_dict_in_generate=True)
        tokens = generated(r.sequences[0].tolist(), ids.shape[1], eos)
        scores = [[f32(v) for v in s[0].tolist()] for s in r.scores[: len(tokens)]]
        out.append({"name": name, "config": config, "promptIds": ids[0].tolist(), "tokens": tokens, "scores": scores})
    return out


def tokenization_goldens(tokenizer):
    out = []
    specials = [t for t in tokenizer.all_special_tokens]
    strings = TRICKY_STRINGS + [f"text {s} more" for s in specials]
    for text in strings:
        with_special = tokenizer(text, add_special_tokens=True).input_ids
        plain = tokenizer(text, add_special_tokens=False).input_ids
        out.append(
            {
                "text": text,
                "ids": with_special,
                "idsNoSpecial": plain,
                "decoded": tokenizer.decode(plain, skip_special_tokens=False),
                "decodedSkipSpecial": tokenizer.decode(plain, skip_special_tokens=True),
            }
        )
    return out


def chat_goldens(tokenizer):
    if tokenizer.chat_template is None:
        return []
    out = []
    for messages in CHAT_CASES:
        for add in (True, False):
            text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add)
            ids = tokenizer.apply_chat_template(messages, tokenize=True, add_generation_prompt=add)
            out.append({"messages": messages, "addGenerationPrompt": add, "text": text, "ids": list(ids)})
    return out


def write_goldens(family, model, tokenizer, dest: Path, variants: list[str]) -> None:
    model.eval()
    greedy = greedy_goldens(family, model, tokenizer)
    goldens = {
        "about": "transformers generate() on the PyTorch fp32 model; written by test/conformance/make_fixtures.py",
        "versions": {"onnxruntime": __import__("onnxruntime").__version__, "transformers": transformers.__version__, "torch": torch.__version__, "tokenizers": tokenizers.__version__},
        "family": family.name,
        "exporter": "optimum",
        "variants": variants,
        "eosTokenIds": eos_ids(model),
        "greedy": greedy,
        # Per variant, per greedy prompt: onnxruntime-Python's top-1 at each generated position.
        "ortTop1": ort_top1(dest / "onnx", variants, greedy),
        "beam": beam_goldens(family, model, tokenizer),
        "processed": processed_goldens(model, tokenizer),
        "tokenization": tokenization_goldens(tokenizer),
        "chat": chat_goldens(tokenizer),
    }
    (dest / "goldens.json").write_text(json.dumps(goldens, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
