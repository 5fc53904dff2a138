"""A long-lived onnxruntime-genai completion engine for the typing benchmark (test/bench/peers*.ts).

    python genai_complete.py DIR THREADS [MAX_LENGTH]

CPU, THREADS intra-op threads. JSON lines on stdin:
    {"id": 7, "prompt": [ids], "maxNewTokens": 64, "stopIds": [ids]}   greedy completion
    {"cancel": 7}                                                       stop 7 after its current step
and on stdout: {"ready": true, "loadMs": ..., "warmupMs": ...} once the model is loaded and has run a
short warm-up generation (not counted in loadMs), then per request
{"id": 7, "token": t} for every generated token (a stop token included, last), and one
{"id": 7, "end": "stop"|"length"|"cancelled"|"error", "prefilled": n, "reused": n, "ms": ...}
("error" adds "error": message). Requests run one at a time in order; a new request cancels every
earlier one still queued or running. At stdin EOF the queued requests are served, then the process exits 0.

Prefix reuse is genai's continuous decoding: one generator lives across requests, is rewound to the
longest prefix it shares with the new prompt, and only the rest is appended. MAX_LENGTH (default:
the model's context length, at most 4096) sizes that generator's KV buffer, which genai allocates
whole up front.
"""

import json
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import onnxruntime_genai as og

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in the working tree
from genai_case import load_model  # noqa: E402

DEFAULT_MAX_LENGTH = 4096
WARMUP_PROMPT = list(range(1, 17))  # any ids below the vocabulary size do
WARMUP_NEW_TOKENS = 4


class ContinuousGenerator:
    """One genai generator reused across prompts, with the tokens it holds tracked here."""

    def __init__(self, model: og.Model, max_length: int) -> None:
        self._model = model
        self._max_length = max_length
        self._generator: og.Generator | None = None
        self._tokens: list[int] = []
        # Whether the last token in _tokens was generated: its KV is not computed until the next
        # step, and genai 0.15.2's append_tokens right after generate_next_token gives wrong logits.
        self._pending_last = False

    def prefill(self, prompt: list[int]) -> tuple[int, int]:
        """Makes the generator hold `prompt` with logits ready; returns (reused, prefilled)."""
        if len(prompt) >= self._max_length:
            raise ValueError(f"prompt of {len(prompt)} tokens leaves no room under max length {self._max_length}")
        cached = len(self._tokens) - 1 if self._pending_last else len(self._tokens)
        # At least the last prompt token is appended, so that its logits exist.
        reused = min(common_prefix(self._tokens, prompt), cached, len(prompt) - 1)
        if self._generator is not None:
            try:
                self._generator.rewind_to(reused)  # rewind_to(0) also saves reallocating the KV buffer
            except Exception as error:  # noqa: BLE001 - e.g. a model type genai cannot rewind
                print(f"genai_complete: rewind_to({reused}) failed, new generator: {error}", file=sys.stderr)
                self._generator = None
        if self._generator is None:
            reused = 0
            self._generator = self._new_generator()
        self._tokens = prompt[:reused]
        self._pending_last = False
        try:
            self._generator.append_tokens(prompt[reused:])
        except Exception:
            self.reset()
            raise
        self._tokens = list(prompt)
        return reused, len(prompt) - reused

    def warm_up(self) -> None:
        """The first model runs pay one-off costs (about 1.2 s on the tiny test fixtures), which
        belong to loading, not to the first request. Also allocates the generator's KV buffer."""
        self.prefill(WARMUP_PROMPT)
        for _ in range(WARMUP_NEW_TOKENS):
            if self.done() or self.step()[1]:
                break

    def step(self) -> tuple[int, bool]:
        """One greedy token, and whether it was an EOS that genai stopped on; call after prefill
        and while not done."""
        assert self._generator is not None
        self._generator.generate_next_token()
        token = int(self._generator.get_next_tokens()[0])
        # genai leaves the EOS it stops on out of the sequence.
        eos = self._generator.token_count() == len(self._tokens)
        if not eos:
            self._tokens.append(token)
            self._pending_last = True
        return token, eos

    def done(self) -> bool:
        """True at EOS or at max length."""
        return self._generator is None or self._generator.is_done()

    def reset(self) -> None:
        self._generator = None
        self._tokens = []
        self._pending_last = False

    def _new_generator(self) -> og.Generator:
        params = og.GeneratorParams(self._model)
        params.set_search_options(do_sample=False, max_length=self._max_length)
        return og.Generator(self._model, params)


def common_prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


@dataclass(eq=False)
class Request:
    id: object
    prompt: list[int]
    max_new_tokens: int
    stop_ids: frozenset[int]
    cancelled: threading.Event = field(default_factory=threading.Event)


def parse_request(message: dict) -> Request:
    prompt = message.get("prompt")
    if not isinstance(prompt, list) or not prompt or not all(isinstance(t, int) for t in prompt):
        raise ValueError("prompt must be a non-empty list of token ids")
    max_new = message.get("maxNewTokens")
    if not isinstance(max_new, int) or max_new < 1:
        raise ValueError(f"maxNewTokens must be an integer >= 1, got {max_new!r}")
    stop_ids = message.get("stopIds", [])
    if not isinstance(stop_ids, list) or not all(isinstance(t, int) for t in stop_ids):
        raise ValueError("stopIds must be a list of token ids")
    return Request(message["id"], prompt, max_new, frozenset(stop_ids))


class Inbox:
    """Reads stdin on a thread so a cancel lands while the main thread generates."""

    _EOF = object()

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._unfinished: list[Request] = []
        threading.Thread(target=self._read, name="stdin", daemon=True).start()

    def next(self) -> Request | None:
        """The next request in order, or None at EOF once all are served."""
        item = self._queue.get()
        return None if item is self._EOF else item

    def finished(self, request: Request) -> None:
        with self._lock:
            self._unfinished.remove(request)

    def _read(self) -> None:
        for line in sys.stdin:
            if line.strip():
                try:
                    self._handle(json.loads(line))
                except Exception as error:  # noqa: BLE001 - a bad line must not stop the reader
                    print(f"genai_complete: bad input line {line.strip()[:200]!r}: {error}", file=sys.stderr)
        self._queue.put(self._EOF)

    def _handle(self, message: dict) -> None:
        if "cancel" in message:
            with self._lock:
                for request in self._unfinished:
                    if request.id == message["cancel"]:
                        request.cancelled.set()
            return
        if "id" not in message:
            raise ValueError("a request needs an id")
        try:
            request = parse_request(message)
        except ValueError as error:
            write({"id": message["id"], "end": "error", "error": str(error), "prefilled": 0, "reused": 0, "ms": 0})
            return
        with self._lock:
            for earlier in self._unfinished:
                earlier.cancelled.set()
            self._unfinished.append(request)
        self._queue.put(request)


_write_lock = threading.Lock()


def write(message: dict) -> None:
    with _write_lock:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()


def serve(engine: ContinuousGenerator, request: Request) -> None:
    started = time.perf_counter()
    reused = prefilled = 0
    end: dict = {"end": "cancelled"}
    try:
        if not request.cancelled.is_set():
            reused, prefilled = engine.prefill(request.prompt)
            end = generate(engine, request)
    except Exception as error:  # noqa: BLE001 - reported on the request; the engine starts afresh
        print(f"genai_complete: request {request.id!r}: {type(error).__name__}: {error}", file=sys.stderr)
        engine.reset()
        end = {"end": "error", "error": f"{type(error).__name__}: {error}"}
    ms = (time.perf_counter() - started) * 1000
    write({"id": request.id, **end, "prefilled": prefilled, "reused": reused, "ms": round(ms, 3)})


def generate(engine: ContinuousGenerator, request: Request) -> dict:
    for _ in range(request.max_new_tokens):
        if request.cancelled.is_set():
            return {"end": "cancelled"}
        if engine.done():  # the generator's max length
            return {"end": "length"}
        token, eos = engine.step()
        write({"id": request.id, "token": token})
        if eos or token in request.stop_ids:
            return {"end": "stop"}
    return {"end": "length"}


def max_length_of(folder: str, asked: str | None) -> int:
    if asked is not None:
        return int(asked)
    config = json.loads((Path(folder) / "genai_config.json").read_text(encoding="utf-8"))
    return min(int(config["model"]["context_length"]), DEFAULT_MAX_LENGTH)


def main() -> None:
    if len(sys.argv) not in (3, 4):
        raise ValueError("usage: genai_complete.py DIR THREADS [MAX_LENGTH]")
    folder, threads = sys.argv[1], int(sys.argv[2])
    max_length = max_length_of(folder, sys.argv[3] if len(sys.argv) == 4 else None)
    started = time.perf_counter()
    engine = ContinuousGenerator(load_model(folder, threads), max_length)
    loaded = time.perf_counter()
    engine.warm_up()
    warm = time.perf_counter()
    write({"ready": True, "loadMs": round((loaded - started) * 1000, 3), "warmupMs": round((warm - loaded) * 1000, 3)})
    inbox = Inbox()
    while (request := inbox.next()) is not None:
        serve(engine, request)
        inbox.finished(request)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - the harness reads stderr and the exit status
        print(f"genai_complete: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
