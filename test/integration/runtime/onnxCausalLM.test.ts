import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReferenceDecoder } from '../../../sidecar/builder/reference/ReferenceDecoder';
import type { KvCache, LanguageModel } from '../../../sidecar/engine/model/LanguageModel';
import { loadModel, OnnxCausalLM, type LoadedModel } from '../../../sidecar/runtime/index';
import { smallModel, testModel } from '../../support/testModels';

/** Max |a-b| over two equal-length arrays. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** One forward; the logits are copied because a model may reuse their memory on the next call. */
async function step(model: LanguageModel, cache: KvCache, rows: number[][], masks: number[][], positions: number[][], logits: 'last' | 'all' = 'last') {
  const r = await model.forward(cache, {
    inputIds: Int32Array.from(rows.flat()),
    batch: rows.length,
    seqLen: rows[0]!.length,
    attentionMask: Uint8Array.from(masks.flat()),
    positionIds: Int32Array.from(positions.flat()),
    logits,
  });
  return { cache: r.cache, output: { logits: r.output.logits.slice() } };
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

// Measured on this machine: the worst |ORT fp32 - TS reference| logit difference is ~1e-6 on
// logits of magnitude ~5; 1e-4 leaves room for other CPUs' kernels without hiding a real bug
// (a wrong mask or position shifts logits by more than 0.1).
const FP32_TOLERANCE = 1e-4;

const VARIANTS = [
  { inWorker: false, kvCache: 'concat' as const },
  { inWorker: false, kvCache: 'auto' as const },
  { inWorker: true, kvCache: 'auto' as const },
];

for (const { inWorker, kvCache } of VARIANTS) {
  describe(`OnnxCausalLM through the runtime (${inWorker ? 'worker thread' : 'in-thread'}, kvCache ${kvCache})`, () => {
    let loaded: LoadedModel;
    let reference: ReferenceDecoder;
    const prompt = [11, 250, 37, 900, 4, 512, 77, 3];

    before(async () => {
      const dir = smallModel();
      loaded = await loadModel({ dir, dtype: 'fp32', device: 'cpu', inWorker, kvCache });
      reference = ReferenceDecoder.load(dir);
    });
    after(async () => loaded.model.dispose());

    if (!inWorker) {
      it('uses the expected cache layout', () => {
        assert.equal((loaded.model as OnnxCausalLM).cacheLayout, kvCache === 'auto' ? 'slots' : 'concat');
      });
    }

    it('decoding past a slot-capacity boundary (128) still matches the reference', async () => {
      const long = Array.from({ length: 126 }, (_, i) => (i * 31 + 7) % 1000);
      let cache = await loaded.model.createCache(1);
      ({ cache } = await step(loaded.model, cache, [long], [Array(126).fill(1)], [range(0, 126)]));
      let last: Float32Array | undefined;
      const extra = [5, 9, 13, 17];
      for (const [i, id] of extra.entries()) {
        const r = await step(loaded.model, cache, [[id]], [Array(127 + i).fill(1)], [[126 + i]]);
        cache = r.cache;
        last = r.output.logits;
      }
      const all = [...long, ...extra];
      const ref = reference.forward({ inputIds: [all], attentionMask: [Array(all.length).fill(1)], positionIds: [range(0, all.length)] });
      const V = loaded.model.info.vocabSize;
      assert.ok(maxDiff(last!, ref.logits.subarray((all.length - 1) * V)) < FP32_TOLERANCE);
    });

    it('prefill logits match the TypeScript reference forward pass', async () => {
      const cache = await loaded.model.createCache(1);
      const n = prompt.length;
      const { output } = await step(loaded.model, cache, [prompt], [Array(n).fill(1)], [range(0, n)], 'all');
      const ref = reference.forward({ inputIds: [prompt], attentionMask: [Array(n).fill(1)], positionIds: [range(0, n)] });
      assert.ok(maxDiff(output.logits, ref.logits) < FP32_TOLERANCE, `max diff ${maxDiff(output.logits, ref.logits)}`);
      await loaded.model.releaseCache(cache);
    });

    it('incremental decoding equals full recomputation', async () => {
      let cache = await loaded.model.createCache(1);
      const n = prompt.length;
      ({ cache } = await step(loaded.model, cache, [prompt.slice(0, 3)], [[1, 1, 1]], [[0, 1, 2]]));
      let last: Float32Array | undefined;
      for (let i = 3; i < n; i++) {
        const r = await step(loaded.model, cache, [[prompt[i]!]], [Array(i + 1).fill(1)], [[i]]);
        cache = r.cache;
        last = r.output.logits;
      }
      assert.equal(cache.length, n);
      const full = await step(loaded.model, await loaded.model.createCache(1), [prompt], [Array(n).fill(1)], [range(0, n)]);
      assert.ok(maxDiff(last!, full.output.logits) < FP32_TOLERANCE);
    });

    it('cropping the cache rolls back: re-running the dropped tokens gives the same logits', async () => {
      let cache = await loaded.model.createCache(1);
      const n = prompt.length;
      const first = await step(loaded.model, cache, [prompt], [Array(n).fill(1)], [range(0, n)]);
      cache = await loaded.model.cropCache(first.cache, n - 2);
      assert.equal(cache.length, n - 2);
      const again = await step(loaded.model, cache, [prompt.slice(n - 2)], [Array(n).fill(1)], [[n - 2, n - 1]]);
      assert.ok(maxDiff(first.output.logits, again.output.logits) < FP32_TOLERANCE);
    });

    it('a left-padded batch equals each prompt run alone', async () => {
      const a = [5, 6, 7, 8, 9, 10];
      const b = [300, 301, 302];
      const pad = 0;
      const rows = [a, [pad, pad, pad, ...b]];
      const masks = [[1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1]];
      const positions = [range(0, 6), [0, 0, 0, 0, 1, 2]];
      let { cache, output } = await step(loaded.model, await loaded.model.createCache(2), rows, masks, positions);
      const aloneA = await step(loaded.model, await loaded.model.createCache(1), [a], [Array(6).fill(1)], [range(0, 6)]);
      const aloneB = await step(loaded.model, await loaded.model.createCache(1), [b], [[1, 1, 1]], [[0, 1, 2]]);
      const V = loaded.model.info.vocabSize;
      assert.ok(maxDiff(output.logits.subarray(0, V), aloneA.output.logits) < FP32_TOLERANCE);
      assert.ok(maxDiff(output.logits.subarray(V), aloneB.output.logits) < FP32_TOLERANCE);
      // One more decode step on the batch keeps matching.
      ({ output } = await step(loaded.model, cache, [[42], [42]], [[...masks[0]!, 1], [...masks[1]!, 1]], [[6], [3]]));
      const nextA = await step(loaded.model, aloneA.cache, [[42]], [Array(7).fill(1)], [[6]]);
      const nextB = await step(loaded.model, aloneB.cache, [[42]], [[1, 1, 1, 1]], [[3]]);
      assert.ok(maxDiff(output.logits.subarray(0, V), nextA.output.logits) < FP32_TOLERANCE);
      assert.ok(maxDiff(output.logits.subarray(V), nextB.output.logits) < FP32_TOLERANCE);
    });

    it('selectCacheRows duplicates and reorders rows', async () => {
      const a = [5, 6, 7];
      const b = [8, 9, 10];
      const { cache } = await step(loaded.model, await loaded.model.createCache(2), [a, b], [[1, 1, 1], [1, 1, 1]], [[0, 1, 2], [0, 1, 2]]);
      const picked = await loaded.model.selectCacheRows(cache, [1, 1, 0]);
      assert.equal(picked.batch, 3);
      const { output } = await step(loaded.model, picked, [[1], [1], [1]], [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], [[3], [3], [3]]);
      const V = loaded.model.info.vocabSize;
      const alone = async (ids: number[]) => {
        const r = await step(loaded.model, await loaded.model.createCache(1), [ids], [[1, 1, 1]], [[0, 1, 2]]);
        return (await step(loaded.model, r.cache, [[1]], [[1, 1, 1, 1]], [[3]])).output.logits;
      };
      const la = await alone(a);
      const lb = await alone(b);
      assert.ok(maxDiff(output.logits.subarray(0, V), lb) < FP32_TOLERANCE);
      assert.ok(maxDiff(output.logits.subarray(V, 2 * V), lb) < FP32_TOLERANCE);
      assert.ok(maxDiff(output.logits.subarray(2 * V), la) < FP32_TOLERANCE);
    });

    it('selectCacheRows reorders a same-sized batch in place: cycles and duplicates of rows that are themselves overwritten', async () => {
      const prompts = [[5, 6, 7], [8, 9, 10], [11, 12, 13]];
      const V = loaded.model.info.vocabSize;
      const mask = [1, 1, 1];
      const alone = async (ids: number[]) => {
        const r = await step(loaded.model, await loaded.model.createCache(1), [ids], [mask], [[0, 1, 2]]);
        return (await step(loaded.model, r.cache, [[1]], [[1, 1, 1, 1]], [[3]])).output.logits;
      };
      const expected = await Promise.all(prompts.map(alone));
      for (const rows of [[1, 2, 0], [2, 0, 0], [0, 0, 1]]) {
        const { cache } = await step(loaded.model, await loaded.model.createCache(3), prompts, [mask, mask, mask], [[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
        const picked = await loaded.model.selectCacheRows(cache, rows);
        const { output } = await step(loaded.model, picked, [[1], [1], [1]], [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], [[3], [3], [3]]);
        rows.forEach((source, r) => assert.ok(maxDiff(output.logits.subarray(r * V, (r + 1) * V), expected[source]!) < FP32_TOLERANCE, `rows ${rows}: row ${r}`));
      }
    });

    it('returns the last hidden state when asked', async () => {
      const n = prompt.length;
      const { output } = await loaded.model.forward(await loaded.model.createCache(1), {
        inputIds: Int32Array.from(prompt), batch: 1, seqLen: n, attentionMask: new Uint8Array(n).fill(1),
        positionIds: Int32Array.from(range(0, n)), logits: 'last', hiddenStates: true,
      });
      const ref = reference.forward({ inputIds: [prompt], attentionMask: [Array(n).fill(1)], positionIds: [range(0, n)] });
      const H = loaded.model.info.hiddenSize!;
      assert.ok(maxDiff(output.hiddenStates!, ref.lastHiddenState.subarray((n - 1) * H)) < FP32_TOLERANCE);
    });

    it("hiddenStates 'all' returns every position's state with only the last logits row, across prefill chunks", async () => {
      // Longer than PREFILL_CHUNK (256), so the model runs it in two chunks and joins the states.
      const n = 300;
      const ids = range(0, n).map((i) => (i * 37 + 11) % 1000);
      const { output } = await loaded.model.forward(await loaded.model.createCache(1), {
        inputIds: Int32Array.from(ids), batch: 1, seqLen: n, attentionMask: new Uint8Array(n).fill(1),
        positionIds: Int32Array.from(range(0, n)), logits: 'last', hiddenStates: 'all',
      });
      const ref = reference.forward({ inputIds: [ids], attentionMask: [Array(n).fill(1)], positionIds: [range(0, n)] });
      const H = loaded.model.info.hiddenSize!;
      const V = loaded.model.info.vocabSize;
      assert.equal(output.hiddenStates!.length, n * H);
      assert.equal(output.logits.length, V);
      assert.ok(maxDiff(output.hiddenStates!, ref.lastHiddenState) < FP32_TOLERANCE);
      assert.ok(maxDiff(output.logits, ref.logits.subarray((n - 1) * V)) < FP32_TOLERANCE);
    });

    it('rejects a released cache and a mismatched mask with clear errors', async () => {
      const cache = await loaded.model.createCache(1);
      await assert.rejects(step(loaded.model, cache, [[1, 2]], [[1]], [[0, 1]]), /expected 1×2 ids and 1×2 mask entries/);
      await loaded.model.releaseCache(cache);
      await assert.rejects(step(loaded.model, cache, [[1]], [[1]], [[0]]), /was released or never existed/);
    });
  });
}

describe('fp16 and q4 variants through the runtime', () => {
  it('fp16 keeps a half-size cache and stays close to fp32; q4 mostly agrees on the top token', async () => {
    const dir = smallModel();
    const prompt = [11, 250, 37, 900, 4, 512, 77, 3];
    const n = prompt.length;
    const run = async (dtype: 'fp32' | 'fp16' | 'q4') => {
      const m = await loadModel({ dir, dtype, device: 'cpu', inWorker: false });
      const r = await step(m.model, await m.model.createCache(1), [prompt], [Array(n).fill(1)], [range(0, n)], 'all');
      await m.model.dispose();
      return r.output.logits;
    };
    const [f32, f16, q4] = [await run('fp32'), await run('fp16'), await run('q4')];
    // fp16 weights and cache: measured ~3e-3 on these random weights; 5e-2 is the stated bound.
    assert.ok(maxDiff(f32, f16) < 5e-2, `fp16 diff ${maxDiff(f32, f16)}`);
    const V = 1024;
    let agree = 0;
    for (let p = 0; p < n; p++) {
      const top = (a: Float32Array) => { let b = 0; for (let i = 1; i < V; i++) if (a[p * V + i]! > a[p * V + b]!) b = i; return b; };
      if (top(f32) === top(q4)) agree++;
    }
    // 4-bit weights move logits visibly on random weights; most argmaxes must still agree.
    assert.ok(agree >= n / 2, `q4 agreed on ${agree}/${n} positions`);
  });
});

describe('fp16 cache through both cache layouts', () => {
  it('slot and concat layouts decode the same logits with a half-precision cache', async () => {
    const dir = smallModel();
    const prompt = [11, 250, 37, 900, 4, 512, 77, 3];
    const decodeAll = async (kvCache: 'auto' | 'concat') => {
      const m = await loadModel({ dir, dtype: 'fp16', device: 'cpu', inWorker: false, kvCache });
      let cache = await m.model.createCache(1);
      ({ cache } = await step(m.model, cache, [prompt.slice(0, 4)], [[1, 1, 1, 1]], [[0, 1, 2, 3]]));
      const out: Float32Array[] = [];
      for (let i = 4; i < prompt.length; i++) {
        const r = await step(m.model, cache, [[prompt[i]!]], [Array(i + 1).fill(1)], [[i]]);
        cache = r.cache;
        out.push(r.output.logits);
      }
      await m.model.dispose();
      return out;
    };
    const slots = await decodeAll('auto');
    const concat = await decodeAll('concat');
    // Same fp16-rounded cache entries either way; only summation order over masked slots differs.
    for (let i = 0; i < slots.length; i++) assert.ok(maxDiff(slots[i]!, concat[i]!) < 1e-3, `step ${i}: ${maxDiff(slots[i]!, concat[i]!)}`);
  });
});

describe('the worker thread keeps the event loop free', () => {
  it('timers keep firing while a long prefill runs in the worker', async () => {
    // 2000 positions run as 8 chunks: plenty of work for the loop to turn during.
    const dir = testModel('qwen2', { modelType: 'qwen2', layers: 2, hidden: 64, heads: 4, kvHeads: 1, intermediate: 160, vocab: 1100, seed: 3, dtypes: ['fp32'] });
    const m = await loadModel({ dir, dtype: 'fp32', device: 'cpu', inWorker: true });
    const n = 2000;
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const ticksAtStart = ticks;
    await step(m.model, await m.model.createCache(1), [range(0, n).map((i) => (i * 13) % 1000)], [Array(n).fill(1)], [range(0, n)]);
    running = false;
    await m.model.dispose();
    // In-thread, session.run blocks the loop for the whole step; from a worker, the loop keeps turning.
    assert.ok(ticks - ticksAtStart > 3, `only ${ticks - ticksAtStart} event-loop turns during the step`);
  });
});

describe('chunked prefill', () => {
  for (const inWorker of [false, true]) {
    it(`a prompt longer than one chunk gives the same last logits as one whole pass (${inWorker ? 'worker' : 'in-thread'})`, async () => {
      const m = await loadModel({ dir: smallModel(), dtype: 'fp32', device: 'cpu', inWorker });
      const n = 300; // > PREFILL_CHUNK (256): two chunks
      const a = range(0, n).map((i) => (i * 17 + 3) % 1000);
      const b = range(0, n - 40).map((i) => (i * 29 + 5) % 1000);
      const rows = [a, [...Array(40).fill(0), ...b]];
      const masks = [Array(n).fill(1), [...Array(40).fill(0), ...Array(n - 40).fill(1)]];
      const positions = [range(0, n), [...Array(40).fill(0), ...range(0, n - 40)]];
      const chunked = await step(m.model, await m.model.createCache(2), rows, masks, positions, 'last');
      const whole = await step(m.model, await m.model.createCache(2), rows, masks, positions, 'all');
      const V = m.model.info.vocabSize;
      assert.equal(chunked.cache.length, n);
      assert.ok(maxDiff(chunked.output.logits.subarray(0, V), whole.output.logits.subarray((n - 1) * V, n * V)) < FP32_TOLERANCE);
      assert.ok(maxDiff(chunked.output.logits.subarray(V), whole.output.logits.subarray((2 * n - 1) * V)) < FP32_TOLERANCE);
      // Decoding on from the chunked cache matches too.
      const next = await step(m.model, chunked.cache, [[7], [7]], [[...masks[0]!, 1], [...masks[1]!, 1]], [[n], [n - 40]]);
      const nextWhole = await step(m.model, whole.cache, [[7], [7]], [[...masks[0]!, 1], [...masks[1]!, 1]], [[n], [n - 40]]);
      assert.ok(maxDiff(next.output.logits, nextWhole.output.logits) < FP32_TOLERANCE);
      await m.model.dispose();
    });
  }

  it('an abort during a long prefill in the worker stops between chunks and leaves the cache usable', async () => {
    // 2000 positions = 8 chunks, so the abort message is handled long before the last one.
    const dir = testModel('qwen2', { modelType: 'qwen2', layers: 2, hidden: 64, heads: 4, kvHeads: 1, intermediate: 160, vocab: 1100, seed: 3, dtypes: ['fp32'] });
    const m = await loadModel({ dir, dtype: 'fp32', device: 'cpu', inWorker: true });
    const n = 2000;
    const ids = range(0, n).map((i) => (i * 7) % 1000);
    const controller = new AbortController();
    const cache = await m.model.createCache(1);
    const pending = m.model.forward(
      cache,
      { inputIds: Int32Array.from(ids), batch: 1, seqLen: n, attentionMask: new Uint8Array(n).fill(1), positionIds: Int32Array.from(range(0, n)), logits: 'last' },
      controller.signal,
    );
    controller.abort();
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    // The same handle still works from an empty cache.
    const r = await step(m.model, cache, [[1, 2, 3]], [[1, 1, 1]], [[0, 1, 2]]);
    assert.equal(r.cache.length, 3);
    await m.model.dispose();
  });
});
