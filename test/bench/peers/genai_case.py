"""One onnxruntime-genai decode benchmark case, in a fresh process (driven by test/bench/peers*.ts).

    python genai_case.py '{"dir": "<genai builder output>", "threads": 2, "promptIds": [...],
                           "newTokens": 128, "repeats": 2}'

Prints one JSON line: ttftMs, prefillTokPerS, decodeTokPerS (medians over the repeats), peakRssMb,
loadMs, and tokens (the first run's new token ids). Errors go to stderr with a nonzero exit.
"""

import json
import resource
import statistics
import sys
import time
from dataclasses import dataclass

import onnxruntime_genai as og

WARMUP_PROMPT_TOKENS = 32
WARMUP_NEW_TOKENS = 4


def load_model(folder: str, threads: int) -> og.Model:
    """CPU only, with exactly `threads` intra-op threads.

    genai reads session options from genai_config.json; Config.overlay amends them in memory, so
    the model folder is neither copied nor rewritten.
    """
    config = og.Config(folder)
    config.clear_providers()
    config.overlay(json.dumps({"model": {"decoder": {"session_options": {"intra_op_num_threads": threads}}}}))
    return og.Model(config)


@dataclass(frozen=True)
class Run:
    ttft_s: float
    decode_s: float
    tokens: list[int]


def greedy_run(model: og.Model, prompt: list[int], new_tokens: int) -> Run:
    length = len(prompt) + new_tokens
    params = og.GeneratorParams(model)
    # min_length = max_length masks EOS, so every run decodes exactly new_tokens.
    params.set_search_options(do_sample=False, max_length=length, min_length=length)
    generator = og.Generator(model, params)
    start = time.perf_counter()
    generator.append_tokens(prompt)  # runs the prefill
    generator.generate_next_token()  # picks from the prefill's logits: no model run
    tokens = [int(generator.get_next_tokens()[0])]
    first = time.perf_counter()
    while not generator.is_done():
        generator.generate_next_token()
        tokens.append(int(generator.get_next_tokens()[0]))
    return Run(ttft_s=first - start, decode_s=time.perf_counter() - first, tokens=tokens)


def parse_case(text: str) -> dict:
    case = json.loads(text)
    prompt = case.get("promptIds")
    if not isinstance(prompt, list) or not prompt or not all(isinstance(t, int) for t in prompt):
        raise ValueError("promptIds must be a non-empty list of token ids")
    for key, least in (("threads", 1), ("newTokens", 2), ("repeats", 1)):
        if not isinstance(case.get(key), int) or case[key] < least:
            raise ValueError(f"{key} must be an integer >= {least}, got {case.get(key)!r}")
    if not isinstance(case.get("dir"), str):
        raise ValueError("dir must be the model folder (with genai_config.json)")
    return case


def main() -> None:
    if len(sys.argv) != 2:
        raise ValueError("usage: genai_case.py '<case json>'")
    case = parse_case(sys.argv[1])
    prompt: list[int] = case["promptIds"]

    started = time.perf_counter()
    model = load_model(case["dir"], case["threads"])
    load_ms = (time.perf_counter() - started) * 1000

    greedy_run(model, prompt[:WARMUP_PROMPT_TOKENS], WARMUP_NEW_TOKENS)
    runs = [greedy_run(model, prompt, case["newTokens"]) for _ in range(case["repeats"])]

    ttft_s = statistics.median(r.ttft_s for r in runs)
    print(
        json.dumps(
            {
                "ttftMs": round(ttft_s * 1000, 3),
                "prefillTokPerS": round(len(prompt) / ttft_s, 3),
                "decodeTokPerS": round(statistics.median((len(r.tokens) - 1) / r.decode_s for r in runs), 3),
                "peakRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "loadMs": round(load_ms, 3),
                "tokens": runs[0].tokens,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - the harness reads stderr and the exit status
        print(f"genai_case: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
