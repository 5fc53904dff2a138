import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWatermarkingConfig } from '../../../../sidecar/engine/config/WatermarkingConfig';
import { buildLogitsPipeline } from '../../../../sidecar/engine/processors/buildLogitsPipeline';
import { ScoreRow } from '../../../../sidecar/engine/processors/ScoreRow';
import { watermark } from '../../../../sidecar/engine/processors/watermark';
import { configOf } from '../support/configOf';
import { f32, NEG, runProcessor } from '../support/runProcessor';

// The scheme's test vector: after [42] (K = 15485863, γ = 0.25) the green ids among 0..31 are these.
const GREEN_AFTER_42 = new Set([0, 6, 8, 10, 12, 14, 18, 19, 20, 21]);
const config = parseWatermarkingConfig({ bias: 1.5 });

describe('watermark processor', () => {
  it('adds δ to exactly the green tokens of the position', () => {
    const scores = [...Array(32).keys()].map((i) => i / 10 - 1);
    const out = runProcessor(watermark(config, 32), scores, { ids: [3, 42] });
    const expected = f32(scores.map((v, id) => (GREEN_AFTER_42.has(id) ? v + 1.5 : v)));
    assert.deepEqual(out, expected);
  });

  it('keeps -Infinity masked and leaves a row with fewer ids than context_width alone', () => {
    const scores = [NEG, 0, NEG, 0, 0, 0, NEG, 0];
    const out = runProcessor(watermark(config, 8), scores, { ids: [42] });
    assert.deepEqual(out, [NEG, 0, NEG, 0, 0, 0, NEG, 0]);
    const wide = parseWatermarkingConfig({ context_width: 3 });
    assert.deepEqual(runProcessor(watermark(wide, 8), [1, 2, 3, 4, 5, 6, 7, 8], { ids: [7, 42] }), f32([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it('on a sparse row touches only the survivors, with the same result as dense', () => {
    const scores = [...Array(32).keys()].map((i) => (i % 3) - 1);
    const keep = Int32Array.from([0, 5, 6, 18, 31]);
    const sparse = ScoreRow.of(scores);
    sparse.restrictTo(keep, keep.length);
    watermark(config, 32).apply(sparse, { ids: [42], promptLength: 1, maxLength: 100 });
    const dense = ScoreRow.of(scores);
    watermark(config, 32).apply(dense, { ids: [42], promptLength: 1, maxLength: 100 });
    for (let id = 0; id < 32; id++) {
      assert.equal(sparse.scores[id], [...keep].includes(id) ? dense.scores[id] : NEG, `id ${id}`);
    }
  });

  it('runs after every other processor, the warpers included, and before renormalize', () => {
    const c = configOf({
      do_sample: true, temperature: 0.7, top_k: 5, top_p: 0.9, renormalize_logits: true, repetition_penalty: 1.1,
      watermarking_config: {},
    });
    const names = buildLogitsPipeline(c, { width: 10, tokenizerVocabSize: 10, eosTokenIds: [] }).processors.map((p) => p.name);
    assert.deepEqual(names, ['repetition-penalty', 'temperature', 'top-k', 'top-p', 'watermark', 'renormalize']);
    const greedy = configOf({ watermarking_config: { bias: 3 } });
    assert.deepEqual(
      buildLogitsPipeline(greedy, { width: 10, tokenizerVocabSize: 10, eosTokenIds: [] }).processors.map((p) => p.name),
      ['watermark'],
    );
  });

  it('greedy with a large δ picks the best green token', () => {
    const c = configOf({ watermarking_config: { bias: 100 } });
    const pipeline = buildLogitsPipeline(c, { width: 32, tokenizerVocabSize: 32, eosTokenIds: [] });
    const row = ScoreRow.of([...Array(32).keys()].map((i) => -i));
    pipeline.apply(row, { ids: [42], promptLength: 1, maxLength: 100 });
    let best = 0;
    for (let id = 1; id < 32; id++) if (row.scores[id]! > row.scores[best]!) best = id;
    assert.equal(best, 0); // green and already the best
    const row2 = ScoreRow.of([...Array(32).keys()].map((i) => (i === 1 ? 10 : -i)));
    pipeline.apply(row2, { ids: [42], promptLength: 1, maxLength: 100 });
    let best2 = 0;
    for (let id = 1; id < 32; id++) if (row2.scores[id]! > row2.scores[best2]!) best2 = id;
    assert.equal(best2, 0); // 1 is red: 10 < 0 + 100
  });
});
