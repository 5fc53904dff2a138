"""A Llama decoder in plain PyTorch whose state dict is transformers' LlamaForCausalLM's.

Parameter names and layouts are the ones sidecar/builder/weights/WeightSource.ts lists (Linear
weights [out, in], no biases, rotate-half RoPE, query head h reads key/value head h // (heads /
kv_heads)), so the checkpoint goes through the builder's SafetensorsWeightSource unchanged.
Runs on torch 1.13 (CPU, Debian) and torch 2.x: scaled_dot_product_attention when torch has it.
"""
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LlamaShape:
    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    intermediate_size: int
    max_position_embeddings: int = 1024
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-6
    tie_word_embeddings: bool = True

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    def hf_config(self, eos_token_id, bos_token_id=None, pad_token_id=None) -> dict:
        """config.json with transformers' LlamaConfig field names (what decoderSpecFromHfConfig reads)."""
        return {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            **asdict(self),
            "head_dim": self.head_dim,
            "hidden_act": "silu",
            "attention_bias": False,
            "mlp_bias": False,
            "attention_dropout": 0.0,
            # transformers 5 reads the rotary settings from rope_parameters (older versions and our
            # builder from rope_theta): both are written, with the same θ.
            "rope_parameters": {"rope_type": "default", "rope_theta": self.rope_theta},
            "initializer_range": 0.02,
            "use_cache": True,
            "bos_token_id": bos_token_id,
            "eos_token_id": eos_token_id,
            "pad_token_id": pad_token_id,
            "torch_dtype": "float32",
        }

    @staticmethod
    def from_hf_config(config: dict) -> "LlamaShape":
        fields = LlamaShape.__dataclass_fields__
        return LlamaShape(**{k: config[k] for k in fields if k in config})  # rope_parameters is ignored: rope_theta is authoritative


class RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        # In float32 whatever the autocast dtype, as transformers does: bf16 mean-squares are too coarse.
        x32 = x.float()
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x32.to(x.dtype)


def rotary_tables(shape: LlamaShape, length: int, device):
    inv_freq = 1.0 / (shape.rope_theta ** (torch.arange(0, shape.head_dim, 2, dtype=torch.float32, device=device) / shape.head_dim))
    angles = torch.outer(torch.arange(length, dtype=torch.float32, device=device), inv_freq)
    angles = torch.cat([angles, angles], dim=-1)  # rotate-half layout: [cos(θ0..θd/2), cos(θ0..θd/2)]
    return angles.cos(), angles.sin()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def causal_attention(q, k, v):
    """q [B, H, T, D], k/v [B, H, T, D] → [B, H, T, D], causal."""
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    t = q.shape[-2]
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    mask = torch.ones(t, t, dtype=torch.bool, device=q.device).triu(1)
    scores = scores.masked_fill(mask, float("-inf"))
    return torch.softmax(scores.float(), dim=-1).to(v.dtype) @ v


class Attention(nn.Module):
    def __init__(self, s: LlamaShape):
        super().__init__()
        self.s = s
        d = s.head_dim
        self.q_proj = nn.Linear(s.hidden_size, s.num_attention_heads * d, bias=False)
        self.k_proj = nn.Linear(s.hidden_size, s.num_key_value_heads * d, bias=False)
        self.v_proj = nn.Linear(s.hidden_size, s.num_key_value_heads * d, bias=False)
        self.o_proj = nn.Linear(s.num_attention_heads * d, s.hidden_size, bias=False)

    def forward(self, x, cos, sin):
        b, t, _ = x.shape
        s, d = self.s, self.s.head_dim
        q = self.q_proj(x).view(b, t, s.num_attention_heads, d).transpose(1, 2)
        k = self.k_proj(x).view(b, t, s.num_key_value_heads, d).transpose(1, 2)
        v = self.v_proj(x).view(b, t, s.num_key_value_heads, d).transpose(1, 2)
        q = q * cos.to(q.dtype) + rotate_half(q) * sin.to(q.dtype)
        k = k * cos.to(k.dtype) + rotate_half(k) * sin.to(k.dtype)
        group = s.num_attention_heads // s.num_key_value_heads
        if group > 1:  # query head h reads key/value head h // group (transformers' repeat_kv)
            k = k.repeat_interleave(group, dim=1)
            v = v.repeat_interleave(group, dim=1)
        out = causal_attention(q, k, v)
        return self.o_proj(out.transpose(1, 2).reshape(b, t, s.num_attention_heads * d))


class Mlp(nn.Module):
    def __init__(self, s: LlamaShape):
        super().__init__()
        self.gate_proj = nn.Linear(s.hidden_size, s.intermediate_size, bias=False)
        self.up_proj = nn.Linear(s.hidden_size, s.intermediate_size, bias=False)
        self.down_proj = nn.Linear(s.intermediate_size, s.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, s: LlamaShape):
        super().__init__()
        self.input_layernorm = RMSNorm(s.hidden_size, s.rms_norm_eps)
        self.self_attn = Attention(s)
        self.post_attention_layernorm = RMSNorm(s.hidden_size, s.rms_norm_eps)
        self.mlp = Mlp(s)

    def forward(self, x, cos, sin):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class Backbone(nn.Module):
    def __init__(self, s: LlamaShape):
        super().__init__()
        self.embed_tokens = nn.Embedding(s.vocab_size, s.hidden_size)
        self.layers = nn.ModuleList(Layer(s) for _ in range(s.num_hidden_layers))
        self.norm = RMSNorm(s.hidden_size, s.rms_norm_eps)


class LlamaForCausalLM(nn.Module):
    """`model.*` and `lm_head.weight`, as transformers names them."""

    def __init__(self, s: LlamaShape):
        super().__init__()
        self.shape = s
        self.model = Backbone(s)
        self.lm_head = nn.Linear(s.hidden_size, s.vocab_size, bias=False)
        if s.tie_word_embeddings:
            self.lm_head.weight = self.model.embed_tokens.weight
        self.reset_parameters()

    def reset_parameters(self):
        # GPT-2's recipe: N(0, 0.02), the residual-stream outputs scaled by 1/sqrt(2 · layers) so the
        # residual's variance does not grow with depth.
        residual_std = 0.02 / math.sqrt(2 * self.shape.num_hidden_layers)
        for name, p in self.named_parameters():
            if name.endswith("layernorm.weight") or name == "model.norm.weight":
                nn.init.ones_(p)
            elif name.endswith("o_proj.weight") or name.endswith("down_proj.weight"):
                nn.init.normal_(p, std=residual_std)
            else:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        t = ids.shape[1]
        cos, sin = rotary_tables(self.shape, t, ids.device)
        x = self.model.embed_tokens(ids)
        for layer in self.model.layers:
            x = layer(x, cos, sin)
        return self.lm_head(self.model.norm(x))

    def hf_state_dict(self) -> dict:
        """Tensors under transformers' names; a tied head is not listed (the embedding serves)."""
        state = {k: v for k, v in self.state_dict().items()}
        if self.shape.tie_word_embeddings:
            state.pop("lm_head.weight", None)
        return state

    def load_hf_state_dict(self, state: dict):
        missing, unexpected = self.load_state_dict(state, strict=False)
        missing = [m for m in missing if not (self.shape.tie_word_embeddings and m == "lm_head.weight")]
        if missing or unexpected:
            raise ValueError(f"checkpoint does not fit this shape: missing {missing}, unexpected {unexpected}")


def parameter_count(s: LlamaShape) -> int:
    d = s.head_dim
    per_layer = s.hidden_size * d * (2 * s.num_attention_heads + 2 * s.num_key_value_heads) + 3 * s.hidden_size * s.intermediate_size + 2 * s.hidden_size
    head = 0 if s.tie_word_embeddings else s.vocab_size * s.hidden_size
    return s.vocab_size * s.hidden_size + s.num_hidden_layers * per_layer + s.hidden_size + head


def q4_bytes_estimate(s: LlamaShape) -> int:
    """Size of the builder's model_q4.onnx: every projection (lm_head too) as MatMulNBits with
    block 32 (16 bytes of nibbles + a float32 scale + half a byte of zero point per block), while the
    embedding Gather and the norms stay float32."""
    def q4(n_in, n_out):
        blocks = n_out * math.ceil(n_in / 32)
        return blocks * 16 + blocks * 4 + n_out * math.ceil(math.ceil(n_in / 32) / 2)
    d = s.head_dim
    per_layer = (
        q4(s.hidden_size, s.num_attention_heads * d) + 2 * q4(s.hidden_size, s.num_key_value_heads * d)
        + q4(s.num_attention_heads * d, s.hidden_size) + 2 * q4(s.hidden_size, s.intermediate_size)
        + q4(s.intermediate_size, s.hidden_size) + 2 * 4 * s.hidden_size
    )
    return 4 * s.vocab_size * s.hidden_size + s.num_hidden_layers * per_layer + q4(s.hidden_size, s.vocab_size) + 4 * s.hidden_size
