#!/usr/bin/env bash
# Writes every bench model in each peer's format, all from one Hugging Face checkpoint folder so
# that the peers run the same weights (needs setup.sh first):
#   .work/models/<name>/source/       the checkpoint (make_sources.py)
#   .work/models/<name>/inkwell/      Inkwell's builder: onnx/model.onnx (fp32), onnx/model_q4.onnx
#   .work/models/<name>/gguf/         llama.cpp: f16.gguf (+ f32.gguf for default), q8_0, q4_0, q4_k_m
#   .work/models/<name>/genai-fp32/   onnxruntime-genai's model builder, -p fp32 -e cpu
#   .work/models/<name>/genai-int4/   the same, -p int4
# Models: default (the shipped model's checkpoint) and qwen2-0.5b-shape (random weights).
# Idempotent: every output is written to a .part name and renamed when complete; existing ones are
# skipped. Each step's time goes to .work/timings.log.
#   bash test/bench/peers/make_peer_models.sh [model ...]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
WORK="$HERE/.work"
PY="$WORK/venv/bin/python"
BIN="$WORK/llama.cpp-src/build/bin"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false ORT_DISABLE_TELEMETRY=1

# Everything below at the lowest CPU priority: the conversions are long, and must not slow other
# work on a shared machine (the training job this was written next to).
renice -n 19 -p $$ >/dev/null

[[ -x $PY ]] || { echo "no $PY: run test/bench/peers/setup.sh first" >&2; exit 1; }

# Runs "$@" (writing $out.part) unless $out exists, then renames $out.part to $out.
produce() {
  local out=$1; shift
  if [[ -e $out ]]; then echo "   ${out#"$WORK"/models/}: exists"; return; fi
  rm -rf "$out.part"
  local t0=$SECONDS
  "$@"
  mv "$out.part" "$out"
  local took=$((SECONDS - t0))
  echo "   ${out#"$WORK"/models/}: ${took} s"
  echo "$(date -u +%FT%TZ) ${out#"$WORK"/models/} ${took}s" >>"$WORK/timings.log"
}

export_inkwell() {
  local name=$1 src=$2 out=$3
  if [[ $name == default ]]; then
    # The pipeline's own export (train.py checkpoints are Llama): single-file fp32 and q4 graphs.
    (cd "$REPO" && npm run -s models -- export --checkpoint "$src" --out "$out" --tokenizer "$src")
  else
    (cd "$REPO" && NODE_OPTIONS=--max-old-space-size=16384 npx tsx "$HERE/export_inkwell.ts" --checkpoint "$src" --out "$out")
  fi
}

gguf_convert() {
  "$PY" "$HERE/convert_gguf.py" "$1" --outtype "$2" --outfile "$3" >"$3.log" 2>&1 || { tail -n 30 "$3.log" >&2; return 1; }
  grep -E "ufakzeka|tokenizer.ggml.pre" "$3.log" | head -n 2 || true
  rm -f "$3.log"
}
gguf_quantize() { "$BIN/llama-quantize" "$1" "$2" "$3" 2 >"$2.log" 2>&1 || { tail -n 20 "$2.log" >&2; return 1; }; grep -E "required fallback quantization" "$2.log" | sed "s/^.*WARNING: /   /" || true; rm -f "$2.log"; }
genai_build() {
  "$PY" -m onnxruntime_genai.models.builder -i "$1" -o "$3" -p "$2" -e cpu -c "$WORK/genai-cache" >"$3.log" 2>&1 || { tail -n 30 "$3.log" >&2; return 1; }
  mv "$3.log" "$3/builder.log"
}

incomplete=0
models=("$@")
[[ ${#models[@]} -gt 0 ]] || models=(default qwen2-0.5b-shape)
for name in "${models[@]}"; do
  dir="$WORK/models/$name"
  echo "== $name"
  t0=$SECONDS
  "$PY" "$HERE/make_sources.py" "$name"
  echo "   source: $((SECONDS - t0)) s"
  src="$dir/source"
  produce "$dir/inkwell" export_inkwell "$name" "$src" "$dir/inkwell.part"

  for p in fp32 int4; do
    produce "$dir/genai-$p" genai_build "$src" "$p" "$dir/genai-$p.part"
  done

  mkdir -p "$dir/gguf"
  base=f16
  if [[ $name == default ]]; then
    base=f32  # tiny: keep the exact weights too, and quantize from them
    produce "$dir/gguf/f32.gguf" gguf_convert "$src" f32 "$dir/gguf/f32.gguf.part"
  fi
  produce "$dir/gguf/f16.gguf" gguf_convert "$src" f16 "$dir/gguf/f16.gguf.part"
  if [[ ! -x $BIN/llama-quantize ]]; then
    echo "   quantized GGUFs skipped: no $BIN/llama-quantize (setup.sh llama)" >&2
    incomplete=1
    continue
  fi
  for q in q8_0 q4_0 q4_k_m; do
    produce "$dir/gguf/$q.gguf" gguf_quantize "$dir/gguf/$base.gguf" "$dir/gguf/$q.gguf.part" "${q^^}"
  done
done

echo "== files"
(cd "$WORK/models" && find . -type f -not -name '.done' -not -name '*.log' -printf '%s\t%P\n' | sort -k2 | awk -F'\t' '{ printf "   %12d  %s\n", $1, $2 }')
exit "$incomplete"
