"""A small BPE trained with the `tokenizers` library on corpus.CORPUS (byte-level as GPT-2 / Qwen2
/ Granite, or SentencePiece-style with byte fallback as Llama 2 / Mistral / Phi-3 / Gemma), wrapped
as a transformers fast tokenizer with the family's special tokens and chat template."""

from __future__ import annotations

import json

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

from corpus import CORPUS

# Qwen2's and Llama 3's pre-tokenizer split (contractions, letters, single digits, punctuation
# runs, newlines, whitespace), so the JS tokenizer meets the same regex as on the real models.
SPLIT_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def sentencepiece_style(family) -> Tokenizer:
    """A SentencePiece-style BPE as transformers converts Llama 2 / Mistral / Gemma tokenizers:
    "▁" for spaces (Metaspace, prefixed to the first word), 256 <0xNN> byte tokens after the
    specials, and byte fallback for any character the vocabulary lacks."""
    trainer_tok = Tokenizer(models.BPE(unk_token="<unk>"))
    trainer_tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    trainer = trainers.BpeTrainer(
        vocab_size=family.vocab_size - 256,
        min_frequency=2,
        special_tokens=list(family.special_tokens),
        show_progress=False,
    )
    trainer_tok.train_from_iterator([CORPUS] * 4, trainer=trainer)
    trained = json.loads(trainer_tok.to_str())["model"]
    specials = list(family.special_tokens)
    pieces = sorted(trained["vocab"].items(), key=lambda kv: kv[1])
    order = specials + [f"<0x{b:02X}>" for b in range(256)] + [p for p, _ in pieces if p not in specials]
    vocab = {piece: i for i, piece in enumerate(order)}
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in trained["merges"]]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.add_special_tokens(specials)
    # As transformers' Llama converter writes it (legacy=False): the whole text is one piece.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=False)
    tok.decoder = decoders.Sequence(
        [decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
    )
    return tok


def build_tokenizer(family) -> PreTrainedTokenizerFast:
    if family.tokenizer_style == "sentencepiece":
        tok = sentencepiece_style(family)
    else:
        tok = byte_level_style(family)
    return wrap(family, tok)


def byte_level_style(family) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    if family.tokenizer_style == "qwen2":
        tok.normalizer = normalizers.NFC()
        tok.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(SPLIT_PATTERN), behavior="isolated", invert=False),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    else:
        # GPT-2 style: ByteLevel's own regex.
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=family.vocab_size,
        min_frequency=2,
        special_tokens=list(family.special_tokens),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator([CORPUS] * 4, trainer=trainer)
    return tok


def wrap(family, tok: Tokenizer) -> PreTrainedTokenizerFast:
    if family.bos_token is not None and family.add_bos:
        bos = family.bos_token
        tok.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, tok.token_to_id(bos))]
        )
    elif family.tokenizer_style != "sentencepiece":
        tok.post_processor = processors.ByteLevel(trim_offsets=False)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=family.bos_token,
        eos_token=family.eos_token,
        pad_token=family.pad_token,
        unk_token="<unk>" if family.tokenizer_style == "sentencepiece" else None,
        additional_special_tokens=[t for t in family.special_tokens if t not in {family.bos_token, family.eos_token, family.pad_token}],
        clean_up_tokenization_spaces=False,
        model_max_length=family.max_positions,
        model_input_names=["input_ids", "attention_mask"],
    )
    if family.chat_template is not None:
        fast.chat_template = family.chat_template
    return fast
