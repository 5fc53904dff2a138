import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../../sidecar/engine/generation/generate';
import type { BeamSearchResult } from '../../../../../sidecar/engine/generation/beam/runBeamSearch';
import { CharTokenizer } from '../../support/CharTokenizer';
import { collect } from '../../support/collect';
import { configOf } from '../../support/configOf';
import { FakeLanguageModel, hashLogits } from '../../support/FakeLanguageModel';

// Six tokens, all of them text; the config says there is no EOS.
const tokenizer = new CharTokenizer('abcdef', 6);
const VOCAB = 6;

/** log-softmax(hashLogits(context))[token], in float64 over the model's float32 logits. */
function logProb(context: readonly number[], token: number): number {
  const logits = new Float32Array(VOCAB);
  hashLogits(context, context.length - 1, logits);
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((sum, v) => sum + Math.exp(v - max), 0));
  return logits[token]! - lse;
}

/** Every one of the 6³ continuations, scored independently, best first. */
function allContinuations(prompt: readonly number[]): { ids: number[]; score: number }[] {
  const all: { ids: number[]; score: number }[] = [];
  for (let a = 0; a < VOCAB; a++) {
    for (let b = 0; b < VOCAB; b++) {
      for (let c = 0; c < VOCAB; c++) {
        const ids = [a, b, c];
        let score = 0;
        ids.forEach((id, i) => (score += logProb([...prompt, ...ids.slice(0, i)], id)));
        all.push({ ids, score });
      }
    }
  }
  return all.sort((x, y) => y.score - x.score);
}

describe('beam search: the exhaustive oracle', () => {
  // HF keeps 2·num_beams candidates per step and num_beams running beams. With 36 beams, the
  // 6 first tokens and then all 6² two-token prefixes are running (the spare beams of step 1
  // hold -1e9 junk, as in HF); step 3 scores all 6³ continuations and keeps the best 36, which
  // are added as hypotheses at the end (no EOS, length_penalty 0: score = sum of log-probs).
  for (const prompt of [[0], [3, 1, 4], [5, 5]]) {
    it(`returns the best of all 216 continuations with their scores (prompt ${prompt.join(',')})`, async () => {
      const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
      const config = configOf({ num_beams: 36, num_return_sequences: 36, max_new_tokens: 3, eos_token_id: [], length_penalty: 0 });
      const result = (await generate(model, tokenizer, { prompts: [prompt], config }).result()) as BeamSearchResult;
      const expected = allContinuations(prompt).slice(0, 36);
      assert.equal(result.sequences.length, 36);
      result.sequences.forEach((sequence, j) => {
        assert.deepEqual(sequence.tokenIds, expected[j]!.ids, `sequence ${j}`);
        assert.ok(Math.abs(result.beam.sequenceScores[j]! - expected[j]!.score) < 1e-5, `score ${j}`);
        assert.equal(sequence.finishReason, 'length');
        assert.equal(sequence.text, tokenizer.decode(sequence.tokenIds));
      });
      assert.equal(model.liveCaches, 0, 'the cache is released');
    });
  }

  it('prefills once and then feeds one token per beam, reordering the cache rows', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const config = configOf({ num_beams: 4, max_new_tokens: 3, eos_token_id: [] });
    await generate(model, tokenizer, { prompts: [[1, 2]], config }).result();
    assert.deepEqual(
      model.forwards.map((f) => [f.batch, f.seqLen]),
      [[1, 2], [4, 1], [4, 1]],
      'no prefix is recomputed: the prefill, then one position per beam and step',
    );
    assert.deepEqual(model.selects[0], [0, 0, 0, 0], 'the prompt row is duplicated for the beams');
    // The fake model rebuilds each row's context from its cache: a wrong gather would change the
    // logits and so the scores, which the oracle above checks.
  });

  it('streams nothing while searching, then each returned sequence in one go', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const config = configOf({ num_beams: 3, num_return_sequences: 2, max_new_tokens: 3, eos_token_id: [] });
    const { events, deltas, result } = await collect(generate(model, tokenizer, { prompts: [[2]], config }));
    assert.deepEqual(
      events.map((e) => (e.type === 'done' ? 'done' : `${e.type}:${e.sequence}`)),
      ['token:0', 'token:0', 'token:0', 'finish:0', 'token:1', 'token:1', 'token:1', 'finish:1', 'done'],
    );
    result.sequences.forEach((s) => assert.equal(deltas.get(s.sequence)!.join(''), s.text));
  });
});
