"""onnxruntime's own quantizers, writing onnx-community's file names next to onnx/model.onnx
(the way transformers.js's conversion script makes its variants)."""

from __future__ import annotations

from pathlib import Path

import onnx


def write_fp16(onnx_dir: Path) -> str:
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = onnx.load(str(onnx_dir / "model.onnx"))
    # keep_io_types=False: inputs and outputs become float16 too (fp16 KV cache and logits), as
    # in onnx-community's model_fp16.onnx files.
    half = convert_float_to_float16(model, keep_io_types=False, disable_shape_infer=True)
    onnx.save(half, str(onnx_dir / "model_fp16.onnx"))
    return "fp16"


def write_q4(onnx_dir: Path, source: str = "model.onnx", target: str = "model_q4.onnx", name: str = "q4") -> str:
    from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer

    model = onnx.load(str(onnx_dir / source))
    config = DefaultWeightOnlyQuantConfig(block_size=32, is_symmetric=True, accuracy_level=None)
    quantizer = MatMulNBitsQuantizer(model, block_size=32, is_symmetric=True, algo_config=config)
    quantizer.process()
    quantizer.model.save_model_to_file(str(onnx_dir / target), use_external_data_format=False)
    return name


def write_q4f16(onnx_dir: Path) -> str:
    # onnx-community's model_q4f16.onnx: the fp16 graph with its MatMuls in 4 bits.
    return write_q4(onnx_dir, source="model_fp16.onnx", target="model_q4f16.onnx", name="q4f16")


def write_dynamic(onnx_dir: Path, name: str) -> str:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Dynamic int8 (MatMulInteger + DynamicQuantizeLinear): onnx-community's model_quantized.onnx
    # and model_int8.onnx (int8 weights), model_uint8.onnx (uint8 weights).
    weight_type = QuantType.QUInt8 if name == "uint8" else QuantType.QInt8
    quantize_dynamic(
        str(onnx_dir / "model.onnx"),
        str(onnx_dir / FILES[name]),
        weight_type=weight_type,
        extra_options={"EnableSubgraph": True},
    )
    return name


def write_bnb4(onnx_dir: Path) -> str:
    from onnxruntime.quantization.matmul_bnb4_quantizer import MatMulBnb4Quantizer

    # onnx-community's model_bnb4.onnx: MatMulBnb4 (com.microsoft), 4-bit NF4 codes with a float
    # absmax per block. NF4 and block 64 are transformers.js's scripts/quantize.py defaults for
    # its bnb4 mode (quant_type MatMulBnb4Quantizer.NF4, block_size 64: bitsandbytes' Linear4bit).
    model = onnx.load(str(onnx_dir / "model.onnx"))
    quantizer = MatMulBnb4Quantizer(model, quant_type=MatMulBnb4Quantizer.NF4, block_size=64)
    quantizer.process()
    quantizer.model.save_model_to_file(str(onnx_dir / FILES["bnb4"]), use_external_data_format=False)
    return "bnb4"


FILES = {"fp16": "model_fp16.onnx", "q4": "model_q4.onnx", "q4f16": "model_q4f16.onnx", "quantized": "model_quantized.onnx", "int8": "model_int8.onnx", "uint8": "model_uint8.onnx", "bnb4": "model_bnb4.onnx"}
MAKERS = {
    "fp16": write_fp16,
    "q4": write_q4,
    "q4f16": write_q4f16,
    "quantized": lambda d: write_dynamic(d, "quantized"),
    "int8": lambda d: write_dynamic(d, "int8"),
    "uint8": lambda d: write_dynamic(d, "uint8"),
    "bnb4": write_bnb4,
}


def write_quantized_variants(onnx_dir: Path, variants: tuple[str, ...]) -> list[str]:
    """Writes the family's variants (fp32 is the export itself); returns the dtypes written (fp32
    first). q4f16 is made from the fp16 graph, which is removed again when not wanted."""
    written = ["fp32"]
    for name in variants[1:]:
        if name == "q4f16" and "fp16" not in variants:
            write_fp16(onnx_dir)
            write_q4f16(onnx_dir)
            (onnx_dir / FILES["fp16"]).unlink()
        else:
            MAKERS[name](onnx_dir)
        written.append(name)
        print(f"   wrote {name}", flush=True)
    return written
