import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReferenceGpt2Decoder } from '../../../sidecar/builder/reference/ReferenceGpt2Decoder';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import type { KvCache, LanguageModel } from '../../../sidecar/engine/model/LanguageModel';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { testModel } from '../../support/testModels';
import { loadTransformersJs } from '../../support/transformersJs';

// Measured: |runtime fp32 - TS reference| on logits of std ~3 is ~4e-6; 1e-4 leaves room for other
// CPUs' kernels while a position one wpe row off moves logits by more than 0.1.
const FP32_TOLERANCE = 1e-4;

const GPT2_OPTIONS = { modelType: 'gpt2', layers: 2, hidden: 64, heads: 4, vocab: 1024, maxPositions: 128, seed: 21, dtypes: ['fp32'] } as const;
const gpt2Model = (externalData = false): string => testModel(externalData ? 'gpt2-external' : 'gpt2', { ...GPT2_OPTIONS, externalData });

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** One forward step; positionIds are deliberately zeros: a graph without position_ids must not need them. */
async function step(model: LanguageModel, cache: KvCache, rows: number[][], masks: number[][], logits: 'last' | 'all' = 'last') {
  return model.forward(cache, {
    inputIds: Int32Array.from(rows.flat()),
    batch: rows.length,
    seqLen: rows[0]!.length,
    attentionMask: Uint8Array.from(masks.flat()),
    positionIds: new Int32Array(rows.length * rows[0]!.length),
    logits,
  });
}

describe('a gpt2 folder (no position_ids input) through the runtime', () => {
  let loaded: LoadedModel;
  let reference: ReferenceGpt2Decoder;
  const prompt = [11, 250, 37, 900, 4, 512, 77, 3];

  before(async () => {
    const dir = gpt2Model();
    loaded = await loadModel({ dir, dtype: 'fp32', device: 'cpu', inWorker: false });
    reference = ReferenceGpt2Decoder.load(dir);
  });
  after(async () => loaded.model.dispose());

  it('reads the GPT-2 config and matches the reference on a prompt, step by step', async (t) => {
    assert.equal(loaded.model.info.modelType, 'gpt2');
    assert.equal(loaded.model.info.maxPositions, 128);
    const n = prompt.length;
    const full = await step(loaded.model, await loaded.model.createCache(1), [prompt], [Array(n).fill(1)], 'all');
    const ref = reference.forward({ inputIds: [prompt], attentionMask: [Array(n).fill(1)], positionIds: [prompt.map(() => 0)] });
    const diff = maxDiff(full.output.logits, ref.logits);
    t.diagnostic(`prefill logits max |diff| ${diff.toExponential(2)}`);
    assert.ok(diff < FP32_TOLERANCE, `max diff ${diff}`);
    let { cache } = await step(loaded.model, await loaded.model.createCache(1), [prompt.slice(0, 3)], [[1, 1, 1]]);
    let last: Float32Array | undefined;
    for (let i = 3; i < n; i++) {
      const r = await step(loaded.model, cache, [[prompt[i]!]], [Array(i + 1).fill(1)]);
      cache = r.cache;
      last = r.output.logits;
    }
    const V = loaded.model.info.vocabSize;
    assert.ok(maxDiff(last!, ref.logits.subarray((n - 1) * V)) < FP32_TOLERANCE);
  });

  it('a left-padded batch equals each prompt alone and the reference, through a decode step', async () => {
    const a = [5, 6, 7, 8, 9, 10];
    const b = [300, 301, 302];
    const rows = [a, [0, 0, 0, ...b]];
    const masks = [[1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1]];
    const V = loaded.model.info.vocabSize;
    const batch = await step(loaded.model, await loaded.model.createCache(2), rows, masks);
    const aloneA = await step(loaded.model, await loaded.model.createCache(1), [a], [Array(6).fill(1)]);
    const aloneB = await step(loaded.model, await loaded.model.createCache(1), [b], [[1, 1, 1]]);
    assert.ok(maxDiff(batch.output.logits.subarray(0, V), aloneA.output.logits) < FP32_TOLERANCE);
    assert.ok(maxDiff(batch.output.logits.subarray(V), aloneB.output.logits) < FP32_TOLERANCE);
    const ref = reference.forward({ inputIds: rows, attentionMask: masks, positionIds: rows.map((r) => r.map(() => 0)) });
    assert.ok(maxDiff(batch.output.logits.subarray(V), ref.logits.subarray((2 * 6 - 1) * V)) < FP32_TOLERANCE);

    const next = await step(loaded.model, batch.cache, [[42], [42]], [[...masks[0]!, 1], [...masks[1]!, 1]]);
    const refNext = reference.forward({ inputIds: [[42], [42]], attentionMask: [[...masks[0]!, 1], [...masks[1]!, 1]], positionIds: [[0], [0]], past: ref.present });
    assert.ok(maxDiff(next.output.logits, refNext.logits) < FP32_TOLERANCE);
    const nextB = await step(loaded.model, aloneB.cache, [[42]], [[1, 1, 1, 1]]);
    assert.ok(maxDiff(next.output.logits.subarray(V), nextB.output.logits) < FP32_TOLERANCE);
  });

  it('transformers.js greedy decoding on the folder (and its external-data twin) equals an argmax loop over the reference', async (t) => {
    const dir = gpt2Model();
    const steps = 10;
    const eos = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).eos_token_id as number;
    const V = reference.spec.vocab;
    const referenceGreedy = (promptIds: number[]): number[] => {
      const ids: number[] = [];
      let out = reference.forward({ inputIds: [promptIds], attentionMask: [promptIds.map(() => 1)], positionIds: [promptIds.map(() => 0)] });
      for (let i = 0; i < steps; i++) {
        // transformers.js suppresses EOS while min_new_tokens is not reached; so does this loop.
        const next = argmax(out.logits.subarray(out.logits.length - V).map((v, id) => (id === eos ? -Infinity : v)));
        ids.push(next);
        const mask = [Array(promptIds.length + i + 1).fill(1)];
        out = reference.forward({ inputIds: [[next]], attentionMask: mask, positionIds: [[0]], past: out.present });
      }
      return ids;
    };
    // Random tied models like to repeat the last token; these prompts give varied continuations.
    const prompts = [[5, 17, 64, 800, 901, 33], [700, 12, 45]];
    for (const folder of [dir, gpt2Model(true)]) {
      const tf = await loadTransformersJs(folder, { dtype: 'fp32', threads: 1 });
      for (const promptIds of prompts) {
        const { ids } = await tf.greedy(promptIds, steps);
        t.diagnostic(`greedy ${promptIds.join(',')} -> ${ids.join(' ')}`);
        assert.deepEqual(ids, referenceGreedy(promptIds));
      }
      await tf.dispose();
    }
  });
});

describe('a folder with external data (onnx/model.onnx_data)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'inkwell-extdata-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('loads through the runtime and gives the logits of the inline folder', async () => {
    const prompt = [[7, 8, 9, 10, 11]];
    const run = async (dir: string) => {
      const m = await loadModel({ dir, dtype: 'fp32', device: 'cpu', inWorker: false });
      const r = await step(m.model, await m.model.createCache(1), prompt, [[1, 1, 1, 1, 1]], 'all');
      await m.model.dispose();
      return r.output.logits;
    };
    assert.ok(statSync(join(gpt2Model(true), 'onnx', 'model.onnx_data')).size > 0);
    assert.deepEqual(await run(gpt2Model(true)), await run(gpt2Model()));
  });

  const damaged = (name: string, damage: (dataFile: string) => void): string => {
    const dir = join(scratch, name);
    cpSync(gpt2Model(true), dir, { recursive: true });
    damage(join(dir, 'onnx', 'model.onnx_data'));
    return dir;
  };
  const rejectsNamingDataFile = (dir: string) =>
    assert.rejects(loadModel({ dir, dtype: 'fp32', device: 'cpu', inWorker: false }), (e: unknown) => {
      assert.ok(InkwellError.is(e), `expected an InkwellError, got ${String(e)}`);
      assert.equal(e.code, 'model-invalid', e.message);
      assert.match(e.message, /model\.onnx_data/);
      return true;
    });

  it('a missing .onnx_data file is model-invalid, naming the file', async () => {
    await rejectsNamingDataFile(damaged('missing', (file) => rmSync(file)));
  });

  // onnxruntime 1.30 says "Deserialize tensor <name> failed. ... GetExtDataFromTensorProto External
  // initializer: <name> offset: … given file_length: … are out of bounds"; the runtime must classify
  // that as a damaged model (not an unavailable provider) and name the data file.
  it('a truncated .onnx_data file is model-invalid, naming the file', async () => {
    await rejectsNamingDataFile(damaged('truncated', (file) => truncateSync(file, Math.floor(statSync(file).size / 2))));
  });
});
