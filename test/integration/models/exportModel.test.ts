import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TRANSPOSED_SUFFIX } from '../../../sidecar/builder/graph/ParameterWriter';
import { ReferenceDecoder } from '../../../sidecar/builder/reference/ReferenceDecoder';
import { decoderParameters } from '../../../sidecar/builder/weights/WeightSource';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { loadModel } from '../../../sidecar/runtime/loadModel';
import { exportModel } from '../../../models/pipeline/export/exportModel';
import { compareParity } from '../../../models/pipeline/export/compareParity';
import { writeTinyCheckpoint, type TinyCheckpoint } from '../../support/tinyCheckpoint';

const PROMPT = [5, 77, 140, 9, 263, 31, 200, 3, 12, 99];

/**
 * The reference runs on the checkpoint's own tensors (HF names, torch [out, in] layouts, turned
 * into the [in, out] layout the reference reads here, in the test), never on what the export
 * wrote: a weight the export loads wrongly (transposed, swapped, skipped) shows as a difference.
 */
function referenceLogits(tiny: TinyCheckpoint, prompt: readonly number[]): Float32Array {
  const tensors = new Map<string, Float32Array>();
  for (const p of decoderParameters(tiny.spec)) {
    const { data, shape } = tiny.tensors.get(p.name)!;
    if (p.kind !== 'linear' && !(p.name === 'lm_head.weight')) {
      tensors.set(p.name, data);
      continue;
    }
    const [rows, cols] = shape as [number, number];
    const t = new Float32Array(data.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c]!;
    tensors.set(`${p.name.replace(/\.weight$/, '')}.weight${TRANSPOSED_SUFFIX}`, t);
  }
  const reference = new ReferenceDecoder(tiny.spec, tensors);
  const n = prompt.length;
  return Float32Array.from(reference.forward({ inputIds: [prompt], attentionMask: [new Array(n).fill(1)], positionIds: [prompt.map((_, i) => i)] }).logits);
}

async function onnxLogits(dir: string, dtype: 'fp32' | 'q4', prompt: readonly number[]): Promise<Float32Array> {
  const loaded = await loadModel({ dir, dtype, device: 'cpu', inWorker: false });
  try {
    const n = prompt.length;
    const cache = await loaded.model.createCache(1);
    const { output } = await loaded.model.forward(cache, {
      inputIds: Int32Array.from(prompt), batch: 1, seqLen: n, attentionMask: new Uint8Array(n).fill(1), positionIds: Int32Array.from(prompt, (_, i) => i), logits: 'all',
    });
    return Float32Array.from(output.logits);
  } finally {
    await loaded.model.dispose();
  }
}

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (x: Float32Array) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

describe('export: checkpoint → model folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'inkwell-export-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const variant of [{ name: 'one file, tied head', shards: 0, tied: true }, { name: 'three shards + index, untied head', shards: 3, tied: false }]) {
    it(`${variant.name}: onnx fp32 logits equal the plain-TS reference on the checkpoint's tensors`, async () => {
      const tiny = writeTinyCheckpoint(join(root, variant.name.replace(/\W+/g, '-')), { shards: variant.shards, tied: variant.tied });
      const out = join(root, `${variant.name.replace(/\W+/g, '-')}-model`);
      const made = exportModel({ checkpoint: tiny.checkpoint, tokenizerDir: tiny.tokenizerDir, out });
      assert.deepEqual([...made.files].sort(), ['config.json', 'generation_config.json', 'onnx/model.onnx', 'onnx/model_q4.onnx', 'tokenizer.json', 'tokenizer_config.json']);
      const expected = referenceLogits(tiny, PROMPT);
      const fp32 = await onnxLogits(out, 'fp32', PROMPT);
      // float32 graph vs float64 loops on the same weights: only rounding differs (logits are O(3)).
      assert.ok(maxAbsDiff(fp32, expected) < 1e-4, `fp32 max |Δ| ${maxAbsDiff(fp32, expected)}`);
      // q4 (one 32-wide block per row at this size) is lossy on random weights; it must still track
      // the reference closely, which a wrong layout or a missing tensor would not (correlation ~0).
      const q4 = await onnxLogits(out, 'q4', PROMPT);
      assert.ok(correlation(q4, expected) > 0.9, `q4 correlation ${correlation(q4, expected)}`);
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      assert.equal(config.tie_word_embeddings, variant.tied);
      assert.equal(config.max_position_embeddings, 128);
    });
  }

  it('generation_config.json: greedy, 64 new tokens, EOS and the three FIM markers as stops', () => {
    const tiny = writeTinyCheckpoint(join(root, 'gen'));
    const out = join(root, 'gen-model');
    exportModel({ checkpoint: tiny.checkpoint, tokenizerDir: tiny.tokenizerDir, out, dtypes: ['fp32'] });
    const gen = JSON.parse(readFileSync(join(out, 'generation_config.json'), 'utf8'));
    const tokenizer = JSON.parse(readFileSync(join(tiny.tokenizerDir, 'tokenizer.json'), 'utf8')) as { added_tokens: { id: number; content: string }[] };
    const id = (t: string) => tokenizer.added_tokens.find((a) => a.content === t)!.id;
    assert.equal(gen.do_sample, false);
    assert.equal(gen.max_new_tokens, 64);
    assert.deepEqual(gen.eos_token_id, [id('<|endoftext|>'), id('<|fim_prefix|>'), id('<|fim_suffix|>'), id('<|fim_middle|>')]);
  });

  it('refuses a tokenizer whose EOS is not the one the checkpoint was trained with', () => {
    const tiny = writeTinyCheckpoint(join(root, 'eos'));
    const config = JSON.parse(readFileSync(join(tiny.checkpoint, 'config.json'), 'utf8'));
    writeFileSync(join(tiny.checkpoint, 'config.json'), JSON.stringify({ ...config, eos_token_id: tiny.eos - 1 }));
    assert.throws(() => exportModel({ checkpoint: tiny.checkpoint, tokenizerDir: tiny.tokenizerDir, out: join(root, 'eos-model') }), (e: unknown) => e instanceof InkwellError && /eos_token_id/.test(e.message));
  });

  it('parity check: passes on the reference logits and fails when one logit is off by 0.05', async () => {
    const tiny = writeTinyCheckpoint(join(root, 'parity'));
    const out = join(root, 'parity-model');
    exportModel({ checkpoint: tiny.checkpoint, tokenizerDir: tiny.tokenizerDir, out, dtypes: ['fp32'] });
    const expected = referenceLogits(tiny, PROMPT);
    const loaded = await loadModel({ dir: out, dtype: 'fp32', device: 'cpu', inWorker: false });
    try {
      const good = await compareParity(loaded.model, { impl: 'reference', vocab: 320, tolerance: 1e-3, prompts: [PROMPT], logits: [expected] });
      assert.equal(good[0]!.ok, true);
      assert.equal(good[0]!.argmaxAgree, PROMPT.length);
      const bent = Float32Array.from(expected);
      bent[3 * 320 + 17] += 0.05;
      const bad = await compareParity(loaded.model, { impl: 'reference', vocab: 320, tolerance: 1e-3, prompts: [PROMPT], logits: [bent] });
      assert.equal(bad[0]!.ok, false);
    } finally {
      await loaded.model.dispose();
    }
  });
});
