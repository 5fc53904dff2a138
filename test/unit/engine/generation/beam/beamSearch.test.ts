import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../../sidecar/engine/generation/generate';
import type { BeamSearchResult } from '../../../../../sidecar/engine/generation/beam/runBeamSearch';
import { InkwellError } from '../../../../../sidecar/engine/InkwellError';
import { CharTokenizer } from '../../support/CharTokenizer';
import { configOf } from '../../support/configOf';
import { FakeLanguageModel, hashLogits, type LogitsFn } from '../../support/FakeLanguageModel';

// Tokens a, b, c and EOS (id 3).
const tokenizer = new CharTokenizer('abc');
const EOS = 3;
const PROMPT = [0];

/**
 * Logits = log(p) for the probabilities listed per generated prefix ('' = the first step), so
 * each step's log-softmax is log p; unlisted prefixes get [.4, .3, .2, .1].
 */
function table(probabilities: Record<string, readonly [number, number, number, number]>): LogitsFn {
  return (attended, _position, out) => {
    const prefix = tokenizer.decode(attended.slice(PROMPT.length), { skipSpecialTokens: true });
    (probabilities[prefix] ?? [0.4, 0.3, 0.2, 0.1]).forEach((p, v) => (out[v] = Math.log(p)));
  };
}

async function beam(logits: LogitsFn, json: Record<string, unknown>): Promise<BeamSearchResult> {
  const model = new FakeLanguageModel(logits, { vocabSize: 4 });
  const result = await generate(model, tokenizer, { prompts: [PROMPT], config: configOf({ num_beams: 2, ...json }) }).result();
  assert.equal(model.liveCaches, 0);
  return result as BeamSearchResult;
}

const texts = (r: BeamSearchResult) => r.sequences.map((s) => s.text);
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-5, `${a} vs ${b}`);

describe('beam search: early_stopping', () => {
  // num_beams 2, length_penalty 1, max_new_tokens 6; score = sum log p / length (EOS counted).
  // step 1: E finishes (rank 1 < num_beams): -1.204/1 = -1.204.     beams a -0.799, b -1.609
  // step 2: aE finishes: (-0.799 - 0.357)/2 = -0.578.               beams ba -1.833, aa -2.408
  //         two hypotheses: true stops here -> [aE, E].
  //         false: best candidate aE -1.155/2 = -0.578 > worst -1.204 -> go on.
  // step 3: aaE (rank 1): -2.765/3 = -0.922 replaces E (worst -0.922). beams baa -2.526, bab -3.730
  //         false: best baa -2.526/3 = -0.842 > -0.922 -> go on.
  // step 4: no hypothesis; best baaa -3.730/4 = -0.932 <= -0.922: false stops -> [aE, aaE].
  //         'never' divides by the longest length instead (length_penalty > 0): -3.730/6 =
  //         -0.622 > -0.922 -> go on.
  // step 5: baaaE: -3.835/5 = -0.767 replaces aaE -> 'never' ends with [aE, baaaE].
  const logits = table({
    '': [0.45, 0.2, 0.05, 0.3],
    a: [0.2, 0.05, 0.05, 0.7],
    b: [0.8, 0.1, 0.05, 0.05],
    ba: [0.5, 0.15, 0.1, 0.25],
    aa: [0.1, 0.1, 0.1, 0.7],
    baa: [0.3, 0.27, 0.25, 0.18],
    baaa: [0.05, 0.03, 0.02, 0.9],
  });
  const run = (earlyStopping: boolean | 'never') =>
    beam(logits, { early_stopping: earlyStopping, num_return_sequences: 2, max_new_tokens: 6, eos_token_id: [EOS] });

  it('true stops once num_beams hypotheses are finished', async () => {
    const r = await run(true);
    assert.deepEqual(texts(r), ['a', '']);
    assert.deepEqual(r.sequences.map((s) => s.tokenIds), [[0, EOS], [EOS]]);
    assert.equal(r.timings.decodeSteps, 1, 'steps 1 (from the prefill) and 2');
    near(r.beam.sequenceScores[0]!, (Math.log(0.45) + Math.log(0.7)) / 2);
    near(r.beam.sequenceScores[1]!, Math.log(0.3));
  });

  it('false stops when the best running score at the current length cannot beat the worst kept one', async () => {
    const r = await run(false);
    assert.deepEqual(texts(r), ['a', 'aa']);
    assert.equal(r.timings.decodeSteps, 3, 'steps 1 to 4');
    near(r.beam.sequenceScores[1]!, (Math.log(0.45) + Math.log(0.2) + Math.log(0.7)) / 3);
  });

  it("'never' keeps searching while a longer sequence could still win", async () => {
    const r = await run('never');
    assert.deepEqual(texts(r), ['a', 'baaa']);
    assert.equal(r.timings.decodeSteps, 5, 'all 6 steps: the bound never rules the running beams out');
    near(r.beam.sequenceScores[1]!, (Math.log(0.2) + Math.log(0.5) + Math.log(0.3) + Math.log(0.9) + Math.log(0.8)) / 5);
    assert.ok(r.sequences.every((s) => s.finishReason === 'eos' && s.tokenIds.at(-1) === EOS));
  });
});

describe('beam search: EOS and length_penalty', () => {
  // step 1: E finishes at once (log .55, length 1); step 2: aE (log .4 + log .9, length 2).
  // Summed, E is better (-0.598 > -1.022); per token (length_penalty 1) aE is (-0.511).
  const logits = table({ '': [0.4, 0.03, 0.02, 0.55], a: [0.04, 0.03, 0.03, 0.9] });
  const common = { num_return_sequences: 2, max_new_tokens: 4, eos_token_id: [EOS], early_stopping: true };
  const run = (lengthPenalty: number) => beam(logits, { ...common, length_penalty: lengthPenalty, output_logprobs: true });

  for (const lengthPenalty of [0, 1, 2]) {
    it(`scores sum(logprobs) / length ** ${lengthPenalty}, EOS included, and ranks by it`, async () => {
      const r = await run(lengthPenalty);
      const scoreOf = (ids: number[]) => {
        const sum = ids.length === 1 ? Math.log(0.55) : Math.log(0.4) + Math.log(0.9);
        return sum / ids.length ** lengthPenalty;
      };
      const expected = [[EOS], [0, EOS]].sort((x, y) => scoreOf(y) - scoreOf(x));
      assert.deepEqual(r.sequences.map((s) => s.tokenIds), expected);
      r.sequences.forEach((s, j) => {
        assert.equal(s.finishReason, 'eos');
        near(r.beam.sequenceScores[j]!, scoreOf(expected[j]!));
        near(s.logprobs!.reduce((a, b) => a + b, 0) / s.tokenIds.length ** lengthPenalty, r.beam.sequenceScores[j]!);
      });
    });
  }

  it('min_new_tokens keeps EOS out of the hypotheses until then', async () => {
    const r = await run(0);
    const withMin = await beam(logits, { ...common, min_new_tokens: 2 });
    assert.ok(r.sequences.some((s) => s.tokenIds.length === 1));
    assert.ok(withMin.sequences.every((s) => s.tokenIds.length >= 2));
  });
});

describe('beam search: processors', () => {
  it('shape the log-softmax, not the logits (HF: log_softmax, then the processors, no renormalising)', async () => {
    // The prompt holds 'a', so repetition_penalty 2 doubles its negative log-prob: 2 log .5 < log .3.
    const r = await beam(table({ '': [0.5, 0.3, 0.15, 0.05] }), {
      repetition_penalty: 2,
      num_return_sequences: 2,
      max_new_tokens: 1,
      eos_token_id: [],
    });
    assert.deepEqual(texts(r), ['b', 'a']);
    near(r.beam.sequenceScores[0]!, Math.log(0.3));
    near(r.beam.sequenceScores[1]!, 2 * Math.log(0.5));
  });
});

describe('beam search: modes and refusals', () => {
  it('num_beams = 1 is greedy decoding (HF mode greedy)', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: 4 });
    const one = await generate(model, tokenizer, { prompts: [[1, 2]], config: configOf({ num_beams: 1, max_new_tokens: 5 }) }).result();
    const greedy = await generate(model, tokenizer, { prompts: [[1, 2]], config: configOf({ max_new_tokens: 5 }) }).result();
    assert.equal(configOf({ num_beams: 1 }).mode, 'greedy');
    assert.deepEqual(one.sequences[0]!.tokenIds, greedy.sequences[0]!.tokenIds);
  });

  it('finds a better sequence than greedy when the first token misleads', async () => {
    // greedy: a (.5) then anything (.4 at best) = .2; beams: b (.45) then a (.9) = .405.
    const logits = table({ '': [0.5, 0.45, 0.04, 0.01], a: [0.4, 0.3, 0.2, 0.1], b: [0.9, 0.04, 0.03, 0.03] });
    const r = await beam(logits, { max_new_tokens: 2, eos_token_id: [EOS] });
    assert.deepEqual(texts(r), ['ba']);
    near(r.beam.sequenceScores[0]!, (Math.log(0.45) + Math.log(0.9)) / 2);
  });

  it('fills beams beyond the first step\'s candidates with -1e9 junk, as HF does', async () => {
    // Step 1 scores num_beams copies of the prompt with running scores [0, -1e9, …]: with 6 beams
    // over 4 tokens, beams 5 and 6 continue a -1e9 copy.
    const config = { num_beams: 6, num_return_sequences: 6, max_new_tokens: 1, eos_token_id: [] };
    const r = await beam(table({ '': [0.4, 0.3, 0.2, 0.1] }), config);
    assert.deepEqual(texts(r).slice(0, 4), ['a', 'b', 'c', '']);
    [0.4, 0.3, 0.2, 0.1].forEach((p, j) => near(r.beam.sequenceScores[j]!, Math.log(p)));
    assert.ok(r.beam.sequenceScores.slice(4).every((score) => score < -1e8));
  });

  it('an abort ends the search with the best hypotheses so far, finish reason aborted', async () => {
    const controller = new AbortController();
    let forwards = 0;
    const model = new FakeLanguageModel(hashLogits, {
      vocabSize: 4,
      onForward: () => {
        if (++forwards === 3) controller.abort();
      },
    });
    const config = configOf({ num_beams: 2, max_new_tokens: 10, eos_token_id: [] });
    const r = await generate(model, tokenizer, { prompts: [PROMPT], config, signal: controller.signal }).result();
    assert.equal(r.sequences.length, 1);
    assert.equal(r.sequences[0]!.finishReason, 'aborted');
    assert.ok(r.sequences[0]!.tokenIds.length > 0 && r.sequences[0]!.tokenIds.length < 10);
    assert.equal(model.liveCaches, 0);
  });

  it('refuses a promptCache and assisted decoding, with a clear error', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: 4 });
    await assert.rejects(
      async () => generate(model, tokenizer, { prompts: [[1]], config: configOf({ num_beams: 2, prompt_lookup_num_tokens: 2 }) }).result(),
      (e: unknown) => e instanceof InkwellError && e.details['field'] === 'assistant_model',
    );
  });
});
