import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../sidecar/engine/generation/generate';
import { CharTokenizer } from '../support/CharTokenizer';
import { configOf } from '../support/configOf';
import { FakeLanguageModel, fixedLogits, hashLogits } from '../support/FakeLanguageModel';

const tokenizer = new CharTokenizer('abcdefg'); // ids 0..6, EOS = 7
const VOCAB = 8;

describe('generate: sampling', () => {
  it('is reproducible with a seed and reports the seed it used', async () => {
    const run = async (seed: number | undefined) => {
      const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
      const config = configOf({ do_sample: true, max_new_tokens: 30, temperature: 1.3, ...(seed !== undefined && { seed }), suppress_tokens: [7] });
      return generate(model, tokenizer, { prompts: [[1, 2]], config }).result();
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    assert.equal(a.seed, 7);
    assert.deepEqual(a.sequences[0]!.tokenIds, b.sequences[0]!.tokenIds);
    assert.notDeepEqual(a.sequences[0]!.tokenIds, c.sequences[0]!.tokenIds);
    const unseeded = await run(undefined);
    const replay = await run(unseeded.seed);
    assert.deepEqual(replay.sequences[0]!.tokenIds, unseeded.sequences[0]!.tokenIds, 'the reported seed replays the run');
  });

  it('first-token frequencies match the exact temperature/top-k/top-p distribution (chi-square, p = 0.001)', async () => {
    const logits = [2.0, 1.6, 1.2, 1.0, 0.5, 0.2, -0.5, -3];
    const T = 0.8;
    const K = 5;
    const P = 0.9;
    // The distribution, computed here independently: softmax(l / T) over the top K, then keep
    // tokens while the mass ranked above them is < P, then renormalise.
    const scaled = logits.map((l) => l / T);
    const order = scaled.map((_, i) => i).sort((x, y) => scaled[y]! - scaled[x]!);
    const topK = order.slice(0, K);
    const zK = topK.reduce((s, i) => s + Math.exp(scaled[i]!), 0);
    const kept: number[] = [];
    let above = 0;
    for (const i of topK) {
      if (above >= P) break;
      kept.push(i);
      above += Math.exp(scaled[i]!) / zK;
    }
    assert.deepEqual(kept, [0, 1, 2, 3], 'the nucleus is tokens 0..3 (mass above token 4 is 0.936)');
    const z = kept.reduce((s, i) => s + Math.exp(scaled[i]!), 0);
    const expected = logits.map((_, i) => (kept.includes(i) ? Math.exp(scaled[i]!) / z : 0));

    // 20 000 draws: 400 seeded runs of 50 sequences (num_return_sequences is at most 256).
    const runs = 400;
    const perRun = 50;
    const N = runs * perRun;
    const model = new FakeLanguageModel(fixedLogits(logits), { vocabSize: VOCAB });
    const counts = new Array<number>(VOCAB).fill(0);
    for (let r = 0; r < runs; r++) {
      const config = configOf({ do_sample: true, temperature: T, top_k: K, top_p: P, max_new_tokens: 1, num_return_sequences: perRun, seed: 20240601 + r });
      const { sequences } = await generate(model, tokenizer, { prompts: [[0]], config }).result();
      assert.equal(sequences.length, perRun);
      for (const s of sequences) counts[s.tokenIds[0]!]!++;
    }
    for (let i = 0; i < VOCAB; i++) if (expected[i] === 0) assert.equal(counts[i], 0, `token ${i} was filtered out`);
    const chiSquare = kept.reduce((sum, i) => sum + (counts[i]! - N * expected[i]!) ** 2 / (N * expected[i]!), 0);
    // 3 degrees of freedom; the 0.999 quantile of chi-square(3) is 16.266.
    assert.ok(chiSquare < 16.266, `chi-square ${chiSquare.toFixed(2)} for counts ${counts.join(', ')}`);
  });

  it('num_return_sequences: one prefill per prompt, rows duplicated with selectCacheRows, one forward per step', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const config = configOf({ do_sample: true, num_return_sequences: 3, max_new_tokens: 4, seed: 1, suppress_tokens: [7] });
    const { sequences } = await generate(model, tokenizer, { prompts: [[1, 2, 3], [4]], config }).result();
    assert.deepEqual(sequences.map((s) => s.prompt), [0, 0, 0, 1, 1, 1]);
    assert.deepEqual(sequences.map((s) => s.sequence), [0, 1, 2, 3, 4, 5]);
    assert.equal(model.forwards[0]!.batch, 2);
    assert.deepEqual(model.selects[0], [0, 0, 0, 1, 1, 1]);
    assert.deepEqual(model.forwards.slice(1).map((f) => f.batch), [6, 6, 6]);
    assert.ok(sequences.every((s) => s.tokenIds.length === 4 && s.finishReason === 'length'));
  });
});
