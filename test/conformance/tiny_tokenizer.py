"""A small byte-level BPE trained with the `tokenizers` library on corpus.CORPUS, wrapped as a
transformers fast tokenizer with the family's special tokens and chat template."""

from __future__ import annotations

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

from corpus import CORPUS

# Qwen2's and Llama 3's pre-tokenizer split (contractions, letters, single digits, punctuation
# runs, newlines, whitespace), so the JS tokenizer meets the same regex as on the real models.
SPLIT_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def build_tokenizer(family) -> PreTrainedTokenizerFast:
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
    if family.bos_token is not None and family.add_bos:
        bos = family.bos_token
        tok.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, tok.token_to_id(bos))]
        )
    else:
        tok.post_processor = processors.ByteLevel(trim_offsets=False)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=family.bos_token,
        eos_token=family.eos_token,
        pad_token=family.pad_token,
        unk_token=None,
        additional_special_tokens=[t for t in family.special_tokens if t not in {family.bos_token, family.eos_token, family.pad_token}],
        clean_up_tokenization_spaces=False,
        model_max_length=family.max_positions,
        model_input_names=["input_ids", "attention_mask"],
    )
    if family.chat_template is not None:
        fast.chat_template = family.chat_template
    return fast
