"""llama.cpp's convert_hf_to_gguf.py (the copy vendored in .work/llama.cpp-src), imported as a
module, with one addition: it recognises Inkwell's byte-level BPE pre-tokenizer.

The converter identifies a BPE tokenizer's pre-tokenizer by hashing the ids it gives for a fixed
text, and refuses any hash it does not list. Ours (sidecar/builder/tokenizer/codePreTokenizer.ts,
written into tokenizer.json as a Split + ByteLevel sequence) is Qwen2's pattern without the English
contraction group, which is exactly llama.cpp's "ufakzeka" pre-tokenizer:

    [^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+

So when the hash is unknown and tokenizer.json's pre-tokenizer is that Split (Isolated) followed by
a ByteLevel without its own regex, the GGUF gets tokenizer.ggml.pre = "ufakzeka". Any other unknown
tokenizer still fails as before. (The benchmark feeds token ids, so the pre-tokenizer cannot
affect its timings either way; it matters only for text prompts through llama.cpp.)

    .work/venv/bin/python test/bench/peers/convert_gguf.py <hf dir> --outtype f16 --outfile x.gguf
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LLAMA_SRC = HERE / ".work" / "llama.cpp-src"

CODE_PRE_TOKENIZER = "[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
LLAMA_CPP_PRE = "ufakzeka"


def is_code_pre_tokenizer(tokenizer_json: Path) -> bool:
    if not tokenizer_json.is_file():
        return False
    pre = json.loads(tokenizer_json.read_text(encoding="utf-8")).get("pre_tokenizer") or {}
    steps = pre.get("pretokenizers", []) if pre.get("type") == "Sequence" else [pre]
    if len(steps) != 2:
        return False
    split, byte_level = steps
    return (
        split.get("type") == "Split"
        and split.get("pattern", {}).get("Regex") == CODE_PRE_TOKENIZER
        and split.get("behavior") == "Isolated"
        and not split.get("invert", False)
        and byte_level.get("type") == "ByteLevel"
        and byte_level.get("use_regex") is False
        and byte_level.get("add_prefix_space") is False
    )


def main() -> None:
    sys.path.insert(0, str(LLAMA_SRC))
    import convert_hf_to_gguf  # puts the vendored gguf-py first on sys.path
    from conversion.base import TextModel, logger

    recognised = TextModel.get_vocab_base_pre

    def get_vocab_base_pre(self, tokenizer) -> str:
        try:
            return recognised(self, tokenizer)
        except NotImplementedError:
            if not is_code_pre_tokenizer(Path(self.dir_model) / "tokenizer.json"):
                raise
            logger.warning(f"unknown BPE hash, but tokenizer.json's pre-tokenizer is Inkwell's code pattern: using llama.cpp's {LLAMA_CPP_PRE!r}")
            return LLAMA_CPP_PRE

    TextModel.get_vocab_base_pre = get_vocab_base_pre
    convert_hf_to_gguf.main()


if __name__ == "__main__":
    main()
