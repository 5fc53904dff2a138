"""Greedy decoding with onnxruntime-genai from given prompt token ids (no tokenizer involved):

    .work/venv/bin/python test/bench/peers/genai_greedy.py <genai model dir> <new tokens> <threads> < ids.json

Reads a JSON array of prompt ids on stdin; prints one JSON object: the generated ids (ending at the
first EOS, as genai stops there) and the timings of the prefill and of the decode steps.
"""

from __future__ import annotations

import json
import sys
import time

import onnxruntime_genai as og


def main(folder: str, new_tokens: int, threads: int) -> None:
    prompt = json.loads(sys.stdin.read())
    config = og.Config(folder)
    config.clear_providers()  # CPU
    config.overlay(json.dumps({"model": {"decoder": {"session_options": {"intra_op_num_threads": threads, "inter_op_num_threads": 1}}}}))
    model = og.Model(config)
    params = og.GeneratorParams(model)
    # max_length bounds the KV buffer genai allocates up front (past_present_share_buffer): the
    # builder's default is the model's whole context (32,768 positions for the Qwen2 shape).
    params.set_search_options(do_sample=False, max_length=len(prompt) + new_tokens, batch_size=1)
    generator = og.Generator(model, params)
    started = time.perf_counter()
    generator.append_tokens([prompt])  # the prefill runs here
    tokens: list[int] = []
    steps: list[float] = []
    while not generator.is_done() and len(tokens) < new_tokens:
        t0 = time.perf_counter()
        generator.generate_next_token()
        tokens.append(int(generator.get_next_tokens()[0]))
        steps.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    print(json.dumps({"tokens": tokens, "totalMs": total * 1000, "stepMs": [s * 1000 for s in steps], "version": og.__version__}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
