"""The model families the fixtures cover: a tiny config, special tokens, chat template, and
how the random weights are sharpened so that greedy decoding has clear winners."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch
from transformers import (
    Gemma3ForCausalLM,
    Gemma3TextConfig,
    GenerationConfig,
    GPT2Config,
    GPT2LMHeadModel,
    GraniteConfig,
    GraniteForCausalLM,
    LlamaConfig,
    LlamaForCausalLM,
    MistralConfig,
    MistralForCausalLM,
    Phi3Config,
    Phi3ForCausalLM,
    Qwen2Config,
    Qwen2ForCausalLM,
    Qwen3Config,
    Qwen3ForCausalLM,
    Starcoder2Config,
    Starcoder2ForCausalLM,
)

# The families' own chat templates, copied from their instruct models' tokenizer files (see
# chat_templates/README.md for where each comes from).
TEMPLATES = Path(__file__).resolve().parent / "chat_templates"


def template(name: str) -> str:
    return (TEMPLATES / f"{name}.jinja").read_text(encoding="utf-8")


# Qwen2-Instruct's own ChatML template (as in its tokenizer_config.json).
QWEN2_CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# Wider than transformers' 0.02 so attention and MLPs shape the output (at 0.02 a 64-wide,
# 2-layer model is nearly a bigram table and greedy falls into a 2-cycle at once).
INIT_RANGE = 0.12
# Target standard deviation of the logits over the vocabulary: the top-2 gap of 512 draws is
# then ~0.3-1 on average, far above the 1e-4 at which fp32 kernels could flip a greedy choice.
LOGIT_STD = 3.0


@dataclass(frozen=True)
class Family:
    name: str
    model_class: type
    config_class: type
    seed: int
    vocab_size: int
    special_tokens: tuple[str, ...]
    bos_token: str | None
    eos_token: str
    pad_token: str | None
    add_bos: bool
    tokenizer_style: str
    chat_template: str | None
    tie_word_embeddings: bool
    num_kv_heads: int
    # generation_config.json's eos ids, as token strings (Qwen2-Instruct lists two).
    generation_eos: tuple[str, ...]
    # How far EOS's output row is scaled: enough that beam search sees finished hypotheses.
    eos_boost: float = 1.0
    # Prompts chosen (once, by looking) so that greedy runs >= 48 tokens before EOS and beam
    # search finishes hypotheses at different lengths: early_stopping then matters.
    greedy_prompts: tuple[str, ...] = ()
    beam_prompt: str = ""
    max_positions: int = 512
    extra: dict = field(default_factory=dict)
    # The onnx variants committed (fp32 always first). The first three families carry these five (llama bnb4 too);
    # later ones carry fewer to keep the fixtures small, each dtype file kind in some family.
    variants: tuple[str, ...] = ("fp32", "fp16", "q4", "q4f16", "quantized")
    # How the logits are sharpened: "head" scales the untied output projection by the hidden
    # states' product (the first families); "logits" scales it by the model's own logits (right
    # for heads with a logits_scaling or softcap after them); "norm" scales the final norm's gain
    # (tied heads: the head is the input embedding too).
    sharpen_mode: str = "head"
    # optimum writes onnx/model.onnx + model.onnx_data (as for exports over 2 GB) when forced.
    external_data: bool = False
    # Scales the random input embedding before sharpening. Families that multiply the embedding
    # (Gemma by sqrt(hidden), Granite by embedding_multiplier) and tie the head: at init range
    # 0.12 the token's own embedding then dominates the residual stream, and the tied head makes
    # every step predict the same token. Trained models have small embeddings for this reason.
    embedding_scale: float = 1.0

    def config(self, tokenizer):
        ids = lambda t: tokenizer.convert_tokens_to_ids(t) if t is not None else None  # noqa: E731
        if self.config_class is GPT2Config:
            return GPT2Config(
                vocab_size=len(tokenizer),
                n_embd=64,
                n_inner=128,
                n_layer=2,
                n_head=4,
                n_positions=self.max_positions,
                initializer_range=INIT_RANGE,
                bos_token_id=ids(self.bos_token),
                eos_token_id=ids(self.eos_token),
                torch_dtype="float32",
            )
        return self.config_class(
            vocab_size=len(tokenizer),
            hidden_size=64,
            intermediate_size=128,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=self.num_kv_heads,
            max_position_embeddings=self.max_positions,
            initializer_range=INIT_RANGE,
            tie_word_embeddings=self.tie_word_embeddings,
            bos_token_id=ids(self.bos_token),
            eos_token_id=ids(self.eos_token),
            pad_token_id=ids(self.pad_token),
            torch_dtype="float32",
            **self.extra,
        )

    def generation_config(self, tokenizer) -> GenerationConfig:
        eos = [tokenizer.convert_tokens_to_ids(t) for t in self.generation_eos]
        pad = tokenizer.convert_tokens_to_ids(self.pad_token) if self.pad_token else eos[0]
        bos = tokenizer.convert_tokens_to_ids(self.bos_token) if self.bos_token else None
        return GenerationConfig(bos_token_id=bos, eos_token_id=eos if len(eos) > 1 else eos[0], pad_token_id=pad)

    @torch.no_grad()
    def sharpen(self, model, tokenizer) -> None:
        """Scales the output projection so that logits have std LOGIT_STD on a probe text."""
        probe = tokenizer("def fibonacci(n): return the quick brown fox", return_tensors="pt")
        head = model.get_output_embeddings().weight
        eos = tokenizer.convert_tokens_to_ids(self.eos_token)
        if self.embedding_scale != 1.0:
            model.get_input_embeddings().weight.mul_(self.embedding_scale)
        head[eos] *= self.eos_boost
        # A tied head (GPT-2) is also the input embedding: scaling it would make each token's own
        # embedding dominate the residual stream, and the model would predict its input token
        # forever. Scale the final norm's gain instead, which only the head sees.
        if self.tie_word_embeddings and self.sharpen_mode == "head":
            gain = model.transformer.ln_f.weight
            for _ in range(4):
                gain.mul_(LOGIT_STD / model(**probe).logits.std().item())
            return
        if self.sharpen_mode == "logits":
            for _ in range(3):
                head.mul_(LOGIT_STD / model(**probe).logits.std().item())
            return
        if self.sharpen_mode == "norm":
            gain = model.model.norm.weight
            # Gemma's RMSNorm multiplies by (1 + weight).
            offset = 1.0 if self.config_class is Gemma3TextConfig else 0.0
            for _ in range(4):
                k = LOGIT_STD / model(**probe).logits.std().item()
                gain.copy_((gain + offset) * k - offset)
            return
        hidden = model.model(**probe).last_hidden_state
        std = (hidden @ head.T).std().item()
        head.mul_(LOGIT_STD / std)


FAMILIES: list[Family] = [
    Family(
        name="llama",
        model_class=LlamaForCausalLM,
        config_class=LlamaConfig,
        seed=1201,
        vocab_size=640,
        special_tokens=("<s>", "</s>"),
        bos_token="<s>",
        eos_token="</s>",
        pad_token=None,
        add_bos=True,
        tokenizer_style="gpt2",
        chat_template=None,
        tie_word_embeddings=False,
        num_kv_heads=2,
        generation_eos=("</s>",),
        eos_boost=1.6,
        greedy_prompts=("Pack my box with five dozen", "Once upon a time a tiny hedgehog", "import numpy as np\n"),
        beam_prompt="const values = [1, 2, 3].map((v) =>",
        # The five of every early family, and onnx-community's bnb4 (MatMulBnb4, NF4) here only.
        variants=("fp32", "fp16", "q4", "q4f16", "quantized", "bnb4"),
    ),
    Family(
        name="qwen2",
        model_class=Qwen2ForCausalLM,
        config_class=Qwen2Config,
        seed=1202,
        vocab_size=640,
        special_tokens=("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"),
        bos_token=None,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        add_bos=False,
        tokenizer_style="qwen2",
        chat_template=QWEN2_CHAT_TEMPLATE,
        tie_word_embeddings=False,
        num_kv_heads=1,
        generation_eos=("<|im_end|>", "<|endoftext|>"),
        eos_boost=2.2,
        greedy_prompts=("Pack my box with five dozen", "The quick brown fox", "const values = [1, 2, 3].map((v) =>"),
        beam_prompt="Send 25.50 euros to Anna.",
    ),
    Family(
        name="gpt2",
        model_class=GPT2LMHeadModel,
        config_class=GPT2Config,
        seed=1203,
        vocab_size=640,
        special_tokens=("<|endoftext|>",),
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        pad_token=None,
        add_bos=False,
        tokenizer_style="gpt2",
        chat_template=None,
        tie_word_embeddings=True,
        num_kv_heads=4,
        generation_eos=("<|endoftext|>",),
        eos_boost=3.0,
        greedy_prompts=("Once upon a time a tiny hedgehog", "import numpy as np\n", "const values = [1, 2, 3].map((v) =>"),
        beam_prompt="Send 25.50 euros to Anna.",
    ),
]

# Later families: vocabularies of 384 (byte-level) or 448 (SentencePiece-style: 256 of them are
# byte tokens) instead of 640, and fewer dtype variants, to keep all fixtures near 15 MB.
FAMILIES += [
    Family(
        name="qwen3",
        model_class=Qwen3ForCausalLM,
        config_class=Qwen3Config,
        seed=1204,
        vocab_size=384,
        special_tokens=("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"),
        bos_token=None,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        add_bos=False,
        tokenizer_style="qwen2",
        chat_template=template("qwen3"),
        # Qwen3-0.6B / 1.7B tie the head to the embedding; q_norm / k_norm per head.
        tie_word_embeddings=True,
        num_kv_heads=2,
        generation_eos=("<|im_end|>", "<|endoftext|>"),
        eos_boost=2.2,
        greedy_prompts=("Once upon a time a tiny hedgehog", "const values = [1, 2, 3].map((v) =>", "Send 25.50 euros to Anna."),
        beam_prompt="def fibonacci(n):",
        extra={"head_dim": 16},
        variants=("fp32", "q4"),
        sharpen_mode="norm",
    ),
    Family(
        name="mistral",
        model_class=MistralForCausalLM,
        config_class=MistralConfig,
        seed=1205,
        vocab_size=448,
        special_tokens=("<unk>", "<s>", "</s>", "[INST]", "[/INST]"),
        bos_token="<s>",
        eos_token="</s>",
        pad_token=None,
        add_bos=True,
        tokenizer_style="sentencepiece",
        chat_template=template("mistral"),
        tie_word_embeddings=False,
        num_kv_heads=2,
        generation_eos=("</s>",),
        eos_boost=1.2,
        greedy_prompts=("Pack my box with five dozen", "The quick brown fox", "Transfer 100 rubles to Mike"),
        beam_prompt="Pack my box with five dozen",
        variants=("fp32", "q4", "int8"),
        sharpen_mode="logits",
        external_data=True,
    ),
    Family(
        name="phi3",
        model_class=Phi3ForCausalLM,
        config_class=Phi3Config,
        seed=1206,
        vocab_size=448,
        special_tokens=("<unk>", "<s>", "</s>", "<|endoftext|>", "<|assistant|>", "<|system|>", "<|end|>", "<|user|>"),
        bos_token="<s>",
        eos_token="<|endoftext|>",
        pad_token="<|endoftext|>",
        # Phi-3.5-mini-instruct adds no BOS (add_bos_token false; its template writes none).
        add_bos=False,
        tokenizer_style="sentencepiece",
        chat_template=template("phi3"),
        tie_word_embeddings=False,
        num_kv_heads=2,
        # Phi-3's generation_config.json: <|endoftext|>, <|assistant|>, <|end|>.
        generation_eos=("<|endoftext|>", "<|assistant|>", "<|end|>"),
        eos_boost=2.2,
        greedy_prompts=("Pack my box with five dozen", "Once upon a time a tiny hedgehog", "def fibonacci(n):"),
        beam_prompt="The quick brown fox",
        # Fused qkv_proj / gate_up_proj; a partial rotary embedding as Phi-4-mini's.
        extra={"partial_rotary_factor": 0.75},
        variants=("fp32", "q4", "uint8"),
        sharpen_mode="logits",
    ),
    Family(
        name="gemma3_text",
        model_class=Gemma3ForCausalLM,
        config_class=Gemma3TextConfig,
        seed=1207,
        vocab_size=448,
        special_tokens=("<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>"),
        bos_token="<bos>",
        eos_token="<eos>",
        pad_token="<pad>",
        add_bos=True,
        tokenizer_style="sentencepiece",
        chat_template=template("gemma3"),
        tie_word_embeddings=True,
        # Gemma 3 1B: one KV head; embeddings scaled by sqrt(hidden); q/k norms; a sliding-window
        # layer and a global one (the window, 512, is never reached by the goldens).
        num_kv_heads=1,
        generation_eos=("<eos>", "<end_of_turn>"),
        eos_boost=2.2,
        greedy_prompts=("Pack my box with five dozen", "The quick brown fox", "Send 25.50 euros to Anna."),
        beam_prompt="The quick brown fox",
        extra={
            "head_dim": 16,
            "query_pre_attn_scalar": 16,
            "sliding_window": 512,
            "layer_types": ["sliding_attention", "full_attention"],
        },
        variants=("fp32", "fp16", "q4"),
        sharpen_mode="norm",
        embedding_scale=1 / 8,
    ),
    Family(
        name="granite",
        model_class=GraniteForCausalLM,
        config_class=GraniteConfig,
        seed=1208,
        vocab_size=384,
        special_tokens=("<|end_of_text|>", "<|start_of_role|>", "<|end_of_role|>", "<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<|pad|>"),
        bos_token="<|end_of_text|>",
        eos_token="<|end_of_text|>",
        pad_token="<|pad|>",
        add_bos=False,
        tokenizer_style="gpt2",
        chat_template=template("granite"),
        tie_word_embeddings=True,
        num_kv_heads=2,
        generation_eos=("<|end_of_text|>",),
        eos_boost=1.6,
        greedy_prompts=("Transfer 100 rubles to Mike", "Pack my box with five dozen", "def fibonacci(n):"),
        beam_prompt="Transfer 100 rubles to Mike",
        # Granite's multipliers (values as in granite-3.x configs, scaled to this width).
        extra={"embedding_multiplier": 12.0, "logits_scaling": 8.0, "residual_multiplier": 0.22, "attention_multiplier": 0.0625},
        variants=("fp32", "q4"),
        sharpen_mode="norm",
        embedding_scale=1 / 48,
    ),
    Family(
        name="starcoder2",
        model_class=Starcoder2ForCausalLM,
        config_class=Starcoder2Config,
        seed=1209,
        vocab_size=384,
        special_tokens=("<|endoftext|>", "<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<file_sep>"),
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        pad_token=None,
        add_bos=False,
        tokenizer_style="gpt2",
        chat_template=None,
        tie_word_embeddings=True,
        num_kv_heads=2,
        generation_eos=("<|endoftext|>",),
        eos_boost=1.6,
        greedy_prompts=("Transfer 100 rubles to Mike", "import numpy as np\n", "The quick brown fox"),
        beam_prompt="Pack my box with five dozen",
        variants=("fp32", "q4"),
        sharpen_mode="norm",
    ),
]
