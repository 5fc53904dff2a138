import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForwardInput, KvCache, LanguageModel } from '../../../sidecar/engine';
import { ModelScheduler } from '../../../sidecar/server/ModelScheduler';

/** A model whose forward() calls finish only when the test says so, recording the order they ran in. */
class GatedModel implements LanguageModel {
  readonly info = { modelType: 'fake', vocabSize: 4, hiddenSize: undefined, maxPositions: 64, dtype: 'fp32', executionProvider: 'reference' };
  readonly started: string[] = [];
  private readonly open: (() => void)[] = [];
  running = 0;
  maxRunning = 0;

  createCache(batch: number): Promise<KvCache> {
    return Promise.resolve({ id: 1, batch, length: 0 });
  }
  async forward(cache: KvCache, input: ForwardInput) {
    this.started.push(String(input.inputIds[0]));
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    await new Promise<void>((resolve) => this.open.push(resolve));
    this.running--;
    return { cache: { ...cache, length: cache.length + 1 }, output: { logits: new Float32Array(4) } };
  }
  /** Lets the oldest running forward finish; resolves after the scheduler picked the next call. */
  async finishOne(): Promise<void> {
    this.open.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  cropCache(cache: KvCache) { return Promise.resolve(cache); }
  selectCacheRows(cache: KvCache) { return Promise.resolve(cache); }
  releaseCache() { return Promise.resolve(); }
  dispose() { return Promise.resolve(); }
}

const input = (tag: number): ForwardInput => ({
  inputIds: Int32Array.of(tag), batch: 1, seqLen: 1, attentionMask: Uint8Array.of(1), positionIds: Int32Array.of(0), logits: 'last',
});
const cache: KvCache = { id: 1, batch: 1, length: 0 };
const tick = () => new Promise((r) => setImmediate(r));

describe('ModelScheduler', () => {
  it('runs one call at a time, completion calls before waiting playground calls', async () => {
    const model = new GatedModel();
    const scheduler = new ModelScheduler(model);
    const playground = scheduler.lane('playground');
    const completion = scheduler.lane('completion');
    const calls = [playground.forward(cache, input(1)), playground.forward(cache, input(2))];
    await tick();
    calls.push(completion.forward(cache, input(10)), completion.forward(cache, input(11)));
    await tick();
    assert.deepEqual(scheduler.stats, { running: 1, waiting: 3 });
    for (let i = 0; i < 4; i++) await model.finishOne();
    await Promise.all(calls);
    // 1 was already running; both completion calls overtake the waiting playground call 2.
    assert.deepEqual(model.started, ['1', '10', '11', '2']);
    assert.equal(model.maxRunning, 1);
  });

  it('playground calls wait while a completion holds the model, even between its calls', async () => {
    const model = new GatedModel();
    const scheduler = new ModelScheduler(model);
    const release = scheduler.hold();
    const waiting = scheduler.lane('playground').forward(cache, input(1));
    await tick();
    assert.deepEqual(model.started, [], 'nothing ran while held');
    const own = scheduler.lane('completion').forward(cache, input(10));
    await tick();
    assert.deepEqual(model.started, ['10'], 'the holder itself runs');
    await model.finishOne();
    await own;
    assert.deepEqual(model.started, ['10'], 'still held after its call');
    release();
    release(); // a second release is harmless
    await tick();
    assert.deepEqual(model.started, ['10', '1']);
    await model.finishOne();
    await waiting;
  });

  it('a failing call rejects its caller and the queue goes on', async () => {
    const model = new GatedModel();
    model.cropCache = () => Promise.reject(new Error('boom'));
    const scheduler = new ModelScheduler(model);
    const lane = scheduler.lane('completion');
    await assert.rejects(lane.cropCache(cache, 0), /boom/);
    const next = lane.forward(cache, input(3));
    await tick();
    await model.finishOne();
    await next;
    assert.deepEqual(model.started, ['3']);
  });

  it('returns the same view per lane (a PromptCache checks which model it belongs to)', () => {
    const scheduler = new ModelScheduler(new GatedModel());
    assert.equal(scheduler.lane('completion'), scheduler.lane('completion'));
    assert.notEqual(scheduler.lane('completion'), scheduler.lane('playground'));
  });
});
