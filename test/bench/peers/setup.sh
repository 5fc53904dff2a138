#!/usr/bin/env bash
# Installs the peer runtimes the benchmark compares Inkwell with, all under test/bench/peers/.work/
# (ignored by git; nothing here is a dependency of the product or of `npm test`):
#   node     node-llama-cpp (prebuilt CPU llama.cpp binaries from npm) in .work/node/
#   python   a venv in .work/venv/: torch (CPU), onnxruntime-genai and its model builder, gguf
#   llama    llama.cpp's source as vendored by llama-cpp-python's PyPI sdist, in .work/llama.cpp-src/,
#            with llama-quantize, llama-server and llama-bench built from it
# Idempotent and resumable: a finished step is checked and skipped, an interrupted one redone.
#   bash test/bench/peers/setup.sh [node|python|llama ...]    (default: all three)
# LCP_SDIST=/path/llama_cpp_python-0.3.36.tar.gz uses a local copy of the sdist (checked by sha256).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$HERE/.work"
NLC_VERSION=3.22.1
TORCH_VERSION=2.13.0
LCP_VERSION=0.3.36
LCP_SHA256=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
# llama-cpp-python 0.3.36's CHANGELOG: "update llama.cpp to ggml-org/llama.cpp@0c1e57098". The sdist
# has no .git, so the commit is passed to cmake for the binaries' build info.
LLAMA_CPP_COMMIT=0c1e57098
LLAMA_TARGETS=(llama-quantize llama-server llama-bench)

step() { printf '\n== %s\n' "$*"; }
# Runs "$@" with its output in the log file $1; on failure shows the log's tail.
logged() { local log=$1; shift; "$@" >"$log" 2>&1 || { tail -n 30 "$log" >&2; return 1; }; }
timed() { local t0=$SECONDS cmd="$*"; "$@"; echo "   (${cmd:0:90}... took $((SECONDS - t0)) s)" >&2; }

setup_node() {
  step "node-llama-cpp $NLC_VERSION -> $WORK/node"
  local pkg="$WORK/node/node_modules/node-llama-cpp/package.json"
  local bins="$WORK/node/node_modules/@node-llama-cpp/linux-x64/package.json"
  if [[ -f $pkg && -f $bins ]] && node -e "process.exit(require('$pkg').version === '$NLC_VERSION' && require('$bins').version === '$NLC_VERSION' ? 0 : 1)"; then
    echo "   already installed"
  else
    mkdir -p "$WORK/node"
    # --omit=optional skips the CUDA/Vulkan/other-platform binary packages; the CPU one is named
    # explicitly so it becomes a regular dependency. No install scripts: with the prebuilt binary
    # present node-llama-cpp needs none, and its postinstall could try GitHub (unreachable here).
    NODE_LLAMA_CPP_SKIP_DOWNLOAD=true timed nice -n 19 npm install --prefix "$WORK/node" --omit=optional \
      --ignore-scripts --no-audit --no-fund --save-exact \
      "node-llama-cpp@$NLC_VERSION" "@node-llama-cpp/linux-x64@$NLC_VERSION"
  fi
  # Loads the prebuilt CPU binary (build: 'never': fail rather than compile or download). From a
  # file, not `node -e`: node-llama-cpp tests its binary in a child forked with this process's
  # execArgv, and a forked `-e` child runs the eval string again instead of the test.
  cat >"$WORK/node/verify.mjs" <<'JS'
import { readFileSync } from 'node:fs';
import { getLlama } from 'node-llama-cpp';
const llama = await getLlama({ gpu: false, build: 'never' });
const meta = JSON.parse(readFileSync(new URL('node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/_nlcBuildMetadata.json', import.meta.url), 'utf8'));
console.log(`   loads: ${llama.buildType} binary, gpu ${llama.gpu}, llama.cpp ${meta.buildOptions.llamaCpp.repo} ${meta.buildOptions.llamaCpp.release}, ${llama.cpuMathCores} CPU math cores`);
await llama.dispose();
JS
  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true node "$WORK/node/verify.mjs"
  # The exact llama.cpp commit the binaries are built from: the head of the squashed source bundle.
  git bundle list-heads "$WORK/node/node_modules/node-llama-cpp/llama/gitRelease.bundle" 2>/dev/null | sed 's/^/   llama.cpp commit: /' || true
}

setup_python() {
  step "python venv -> $WORK/venv"
  local py="$WORK/venv/bin/python"
  [[ -x $py ]] || timed python3 -m venv "$WORK/venv"
  # torch first with its exact pin: the local CPU build, never a CUDA one pulled in by a range.
  if "$py" -c "import torch, sys; sys.exit(0 if torch.__version__.split('+')[0] == '$TORCH_VERSION' else 1)" 2>/dev/null; then
    echo "   torch $TORCH_VERSION already installed"
  else
    timed nice -n 19 "$py" -m pip install -q "torch==$TORCH_VERSION"
  fi
  timed nice -n 19 "$py" -m pip install -q -r "$HERE/requirements.txt"
  "$py" -c "import onnxruntime_genai as og, onnxruntime as ort, transformers, gguf, torch; print('   onnxruntime-genai', og.__version__, '| onnxruntime', ort.__version__, '| transformers', transformers.__version__, '| torch', torch.__version__)"
}

fetch_sdist() {
  SDIST="$WORK/dl/llama_cpp_python-$LCP_VERSION.tar.gz"
  local sdist=$SDIST
  mkdir -p "$WORK/dl"
  if [[ ! -f $sdist ]] || ! echo "$LCP_SHA256  $sdist" | sha256sum -c --quiet 2>/dev/null; then
    rm -f "$sdist"
    if [[ -n ${LCP_SDIST:-} ]]; then
      cp "$LCP_SDIST" "$sdist.part" && mv "$sdist.part" "$sdist"
    else
      # The sdist from PyPI: it vendors the whole llama.cpp tree (converter, gguf-py, tools).
      timed python3 -m pip download -q --no-deps --no-binary :all: --dest "$WORK/dl" "llama-cpp-python==$LCP_VERSION"
    fi
    echo "$LCP_SHA256  $sdist" | sha256sum -c --quiet || { echo "sha256 mismatch: $sdist" >&2; exit 1; }
  fi
}

setup_llama() {
  step "llama.cpp@$LLAMA_CPP_COMMIT (llama-cpp-python $LCP_VERSION sdist) -> $WORK/llama.cpp-src"
  local src="$WORK/llama.cpp-src"
  if [[ -f $src/.extracted ]]; then
    echo "   source already extracted"
  else
    fetch_sdist
    rm -rf "$src" "$src.part"
    mkdir -p "$src.part"
    tar -xzf "$SDIST" -C "$src.part" --strip-components=3 "llama_cpp_python-$LCP_VERSION/vendor/llama.cpp"
    echo "llama-cpp-python $LCP_VERSION sdist, llama.cpp commit $LLAMA_CPP_COMMIT" > "$src.part/.extracted"
    mv "$src.part" "$src"
  fi
  local build="$src/build"
  if [[ ! -f $build/CMakeCache.txt ]]; then
    timed logged "$WORK/cmake-configure.log" nice -n 19 cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
      -DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_COMMIT="$LLAMA_CPP_COMMIT"
  fi
  # make-style incremental build: a finished target is up to date in seconds.
  timed logged "$WORK/cmake-build.log" nice -n 19 cmake --build "$build" --config Release -j2 --target "${LLAMA_TARGETS[@]}"
  for t in "${LLAMA_TARGETS[@]}"; do [[ -x $build/bin/$t ]] || { echo "missing $build/bin/$t" >&2; exit 1; }; done
  "$build/bin/llama-bench" --version 2>&1 | sed 's/^/   /' | head -n 3
}

mkdir -p "$WORK"
steps=("$@")
[[ ${#steps[@]} -gt 0 ]] || steps=(node python llama)
for s in "${steps[@]}"; do
  case $s in
    node) setup_node ;;
    python) setup_python ;;
    llama) setup_llama ;;
    *) echo "unknown step: $s (node, python, llama)" >&2; exit 2 ;;
  esac
done
