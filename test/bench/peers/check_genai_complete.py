"""Checks genai_complete.py against a fresh genai generator per prompt.

    python check_genai_complete.py test/conformance/fixtures/qwen2-genai-fp32 [THREADS]

DIR is one of the genai fixtures (its goldens.json gives the first prompt; context length 512).

Greedy tokens after each kind of prefix reuse (extension, divergence, an equal prompt, a shorter
prompt, after an EOS, after a cancel) must equal a fresh generator's; cancel and a superseding
request must stop a running generation. Exits nonzero on the first mismatch.
"""

import json
import subprocess
import sys
from pathlib import Path

import onnxruntime_genai as og

HERE = Path(__file__).resolve().parent


def fresh_greedy(model: og.Model, prompt: list[int], max_new: int, stop_ids: set[int]) -> list[int]:
    params = og.GeneratorParams(model)
    params.set_search_options(do_sample=False, max_length=512)
    generator = og.Generator(model, params)
    generator.append_tokens(prompt)
    tokens: list[int] = []
    while len(tokens) < max_new and not generator.is_done():
        generator.generate_next_token()
        tokens.append(int(generator.get_next_tokens()[0]))
        if tokens[-1] in stop_ids:
            break
    return tokens


class Engine:
    def __init__(self, folder: str, threads: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "genai_complete.py"), folder, threads],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        ready = self.read()
        assert ready.get("ready") is True, ready

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"genai_complete.py exited ({self.process.wait()})")
        return json.loads(line)

    def collect(self, request_id: int, cancel_after: int | None = None, then: dict | None = None) -> tuple[list[int], dict]:
        """Tokens and end line of one request; after `cancel_after` tokens, sends `then`."""
        tokens: list[int] = []
        while True:
            message = self.read()
            assert message["id"] == request_id, message
            if "end" in message:
                return tokens, message
            tokens.append(message["token"])
            if cancel_after is not None and len(tokens) == cancel_after:
                self.send(then)

    def close(self) -> None:
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0


def main() -> None:
    folder = sys.argv[1]
    threads = sys.argv[2] if len(sys.argv) > 2 else "2"
    model = og.Model(folder)
    prompt = json.loads((Path(folder) / "goldens.json").read_text(encoding="utf-8"))["greedy"][0]["promptIds"]
    engine = Engine(folder, threads)
    next_id = 0
    failures = 0

    def check(name: str, prompt: list[int], max_new: int = 16, stop_ids=(), reused_at_least: int = 0):
        nonlocal next_id, failures
        next_id += 1
        engine.send({"id": next_id, "prompt": prompt, "maxNewTokens": max_new, "stopIds": list(stop_ids)})
        tokens, end = engine.collect(next_id)
        want = fresh_greedy(model, prompt, max_new, set(stop_ids))
        ok = tokens == want and end["reused"] >= reused_at_least and end["reused"] + end["prefilled"] == len(prompt)
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {end}, {len(tokens)} tokens" + ("" if ok else f"\n  got  {tokens}\n  want {want}"))
        return tokens, end

    first, _ = check("first prompt", prompt)
    extended = prompt + first[:5] + [7, 8]
    check("extends prompt + generated", extended, reused_at_least=len(prompt) + 4)
    diverged = extended[:6] + [9, 10, 11]
    check("diverges after 6", diverged, reused_at_least=6)
    check("equal prompt", diverged, reused_at_least=len(diverged) - 1)
    check("shorter prompt (a prefix)", diverged[:4], reused_at_least=3)
    unrelated = [1, 5, 6, 7, 8, 9, 10, 11, 12, 13]  # reaches EOS within 40 tokens on qwen2-genai-fp32
    tokens, end = check("unrelated prompt", unrelated, max_new=40)
    kept = tokens[:-1] if end["end"] == "stop" else tokens
    check(f"extends it (after end {end['end']})", unrelated + kept + [4], reused_at_least=len(unrelated) + len(kept) - 1)
    check("stop id", prompt, stop_ids=first[2:3])
    check("after a stop", prompt + first[:3] + [4], reused_at_least=len(prompt))

    next_id += 1
    engine.send({"id": next_id, "prompt": prompt, "maxNewTokens": 400, "stopIds": []})
    tokens, end = engine.collect(next_id, cancel_after=5, then={"cancel": next_id})
    ok = end["end"] == "cancelled" and 5 <= len(tokens) < 400
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} cancel after 5 tokens: {end}, {len(tokens)} tokens")
    check("after a cancel", prompt + tokens + [3], reused_at_least=len(prompt) + len(tokens) - 1)

    next_id += 1
    engine.send({"id": next_id, "prompt": prompt, "maxNewTokens": 400, "stopIds": []})
    superseding = {"id": next_id + 1, "prompt": prompt + [5], "maxNewTokens": 4, "stopIds": []}
    tokens, end = engine.collect(next_id, cancel_after=5, then=superseding)
    ok = end["end"] == "cancelled" and 5 <= len(tokens) < 400
    next_id += 1
    later, later_end = engine.collect(next_id)
    ok = ok and later == fresh_greedy(model, superseding["prompt"], 4, set()) and later_end["reused"] == len(prompt)
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} a new request cancels the running one: {end}, then {later_end}")

    engine.close()
    if failures:
        raise SystemExit(f"{failures} check(s) failed")


if __name__ == "__main__":
    main()
