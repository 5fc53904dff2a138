import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../sidecar/engine/generation/generate';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { CharTokenizer } from '../support/CharTokenizer';
import { collect } from '../support/collect';
import { configOf } from '../support/configOf';
import { FakeLanguageModel, fixedLogits, hashLogits, type LogitsFn } from '../support/FakeLanguageModel';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789 .,'; // 39 chars; id 39 is EOS
const tokenizer = new CharTokenizer(ALPHABET);
const VOCAB = ALPHABET.length + 1;
const EOS = ALPHABET.length;

/** Independent argmax (first maximum) over a plain array. */
function argmaxOf(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

describe('generate: greedy', () => {
  it('picks the argmax of the model logits at every step', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const prompt = [3, 1, 4, 1, 5];
    const { result, deltas } = await collect(
      generate(model, tokenizer, { prompts: [prompt], config: configOf({ max_new_tokens: 12 }) }),
    );
    const [sequence] = result.sequences;
    assert.ok(sequence);
    const context = [...prompt];
    const logits = new Float32Array(VOCAB);
    for (const token of sequence.tokenIds) {
      hashLogits(context, context.length - 1, logits);
      assert.equal(token, argmaxOf(logits));
      context.push(token);
    }
    const reason = sequence.tokenIds.at(-1) === EOS ? 'eos' : 'length';
    assert.equal(sequence.finishReason, reason);
    if (reason === 'length') assert.equal(sequence.tokenIds.length, 12);
    assert.equal(sequence.text, tokenizer.decode(sequence.tokenIds, { skipSpecialTokens: true }));
    assert.equal(deltas.get(0)!.join(''), sequence.text);
    assert.equal(model.liveCaches, 0, 'the cache is released');
  });

  it('uses logits "last", one forward per step, and a growing mask', async () => {
    const model = new FakeLanguageModel(fixedLogits([5, 1, 0, ...Array(VOCAB - 3).fill(-1)]), { vocabSize: VOCAB });
    const { result } = await collect(generate(model, tokenizer, { prompts: [[7, 8]], config: configOf({ max_new_tokens: 3 }) }));
    assert.deepEqual(result.sequences[0]!.tokenIds, [0, 0, 0]);
    assert.equal(model.forwards.length, 3);
    assert.ok(model.forwards.every((f) => f.logits === 'last'));
    assert.deepEqual([...model.forwards[2]!.attentionMask], [1, 1, 1, 1]);
    assert.deepEqual([...model.forwards[2]!.positionIds], [3]);
  });

  it('stops at max_length counting the prompt, and skips the model when there is no room', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const run = generate(model, tokenizer, { prompts: [[1, 2, 3, 4], [1, 2, 3, 4, 5, 6]], config: configOf({ max_length: 6, suppress_tokens: [EOS] }) });
    const { sequences } = await run.result();
    assert.equal(sequences[0]!.tokenIds.length, 2);
    assert.equal(sequences[0]!.finishReason, 'length');
    assert.deepEqual(sequences[1]!.tokenIds, []);
    assert.equal(sequences[1]!.finishReason, 'length');
    assert.equal(model.forwards[0]!.batch, 1, 'only the prompt with room is prefilled');
  });

  it('never picks ids beyond the tokenizer vocabulary', async () => {
    const small = new CharTokenizer('abc'); // ids 0..3 (3 = EOS), vocabSize 4
    const logits = [0, 1, 2, -5, 50, 60]; // the model is 6 wide and loves ids 4 and 5
    const model = new FakeLanguageModel(fixedLogits(logits), { vocabSize: 6 });
    const { sequences } = await generate(model, small, { prompts: [[0]], config: configOf({ max_new_tokens: 4 }) }).result();
    assert.deepEqual(sequences[0]!.tokenIds, [2, 2, 2, 2]);
    const sampled = await generate(model, small, { prompts: [[0]], config: configOf({ max_new_tokens: 50, do_sample: true, top_k: 0, seed: 3, suppress_tokens: [3] }) }).result();
    assert.ok(sampled.sequences[0]!.tokenIds.every((id) => id < 3));
  });

  it('reports logprobs of the processed and of the raw distribution', async () => {
    const values = [2, 1, 0.5, ...Array(VOCAB - 3).fill(-2)];
    const model = new FakeLanguageModel(fixedLogits(values), { vocabSize: VOCAB });
    const config = configOf({ max_new_tokens: 2, output_logprobs: true, repetition_penalty: 2 });
    const { sequences } = await generate(model, tokenizer, { prompts: [[5]], config, rawLogprobs: true }).result();
    const logSoftmax = (xs: number[], i: number) => xs[i]! - Math.log(xs.reduce((s, x) => s + Math.exp(x), 0));
    // The prompt token 5 is penalised from the start: −2 · 2 = −4. Step 1 picks token 0 (score 2);
    // at step 2 token 0 was seen, 2 / 2 = 1 ties token 1, and argmax keeps the first.
    assert.deepEqual(sequences[0]!.tokenIds, [0, 0]);
    const step1 = values.map((v, i) => (i === 5 ? -4 : v));
    const step2 = step1.map((v, i) => (i === 0 ? 1 : v));
    const expected = [logSoftmax(step1, 0), logSoftmax(step2, 0)];
    sequences[0]!.logprobs!.forEach((lp, i) => assert.ok(Math.abs(lp - expected[i]!) < 1e-5, `${lp} vs ${expected[i]}`));
    sequences[0]!.rawLogprobs!.forEach((lp) => assert.ok(Math.abs(lp - logSoftmax(values, 0)) < 1e-5));
  });

  it('rejects bad prompts with invalid-argument', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB, maxPositions: 8 });
    for (const prompts of [[], [[]], [[1, 99]], [Array(9).fill(1)]]) {
      await assert.rejects(
        generate(model, tokenizer, { prompts, config: configOf({}) }).result(),
        (e: unknown) => e instanceof InkwellError && e.code === 'invalid-argument',
      );
    }
  });
});

describe('generate: left-padded batches', () => {
  // Prompts starting with token 1 end (EOS) after two generated tokens, so that rows finish at
  // different steps and get dropped from the cache.
  const endsEarly: LogitsFn = (attended, position, out) => {
    hashLogits(attended, position, out);
    out[EOS] = attended[0] === 1 && attended.length >= 3 ? 100 : -100;
  };
  const prompts = [[5, 6, 7], [1, 2], [9, 8, 7, 6, 5], [4]];
  const config = configOf({ max_new_tokens: 6 });

  it('gives each prompt the same tokens as when run alone', async () => {
    const batched = new FakeLanguageModel(endsEarly, { vocabSize: VOCAB });
    const together = await generate(batched, tokenizer, { prompts, config }).result();
    for (let p = 0; p < prompts.length; p++) {
      const alone = await generate(new FakeLanguageModel(endsEarly, { vocabSize: VOCAB }), tokenizer, { prompts: [prompts[p]!], config }).result();
      assert.deepEqual(together.sequences[p]!.tokenIds, alone.sequences[0]!.tokenIds, `prompt ${p}`);
      assert.equal(together.sequences[p]!.text, alone.sequences[0]!.text);
      assert.equal(together.sequences[p]!.finishReason, alone.sequences[0]!.finishReason);
    }
    assert.equal(together.sequences[1]!.finishReason, 'eos');
    assert.equal(batched.liveCaches, 0);
  });

  it('sends pads with mask 0, positions cumsum(mask) − 1 clamped at 0, and drops finished rows', async () => {
    const model = new FakeLanguageModel(endsEarly, { vocabSize: VOCAB });
    await generate(model, tokenizer, { prompts, config }).result();
    const prefill = model.forwards[0]!;
    assert.equal(prefill.batch, 4);
    assert.equal(prefill.seqLen, 5);
    // Pad id: the tokenizer has none, so EOS (39).
    assert.deepEqual([...prefill.inputIds], [39, 39, 5, 6, 7, 39, 39, 39, 1, 2, 9, 8, 7, 6, 5, 39, 39, 39, 39, 4]);
    assert.deepEqual([...prefill.attentionMask], [0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1]);
    assert.deepEqual([...prefill.positionIds], [0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0]);
    const step1 = model.forwards[1]!;
    assert.equal(step1.seqLen, 1);
    assert.deepEqual([...step1.positionIds], [3, 2, 5, 1]);
    assert.deepEqual([...step1.attentionMask], [0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1]);
    // Prompt 1 ends with EOS as its second token (after step 1): the next step drops its row.
    assert.deepEqual(model.selects[0], [0, 2, 3]);
    assert.equal(model.forwards[2]!.batch, 3);
  });

  it('stops a short row when pads + real tokens fill the model positions (the fake rejects longer)', async () => {
    const long = Array.from({ length: 100 }, (_, i) => i % 39);
    const short = [1, 2, 3, 4, 5];
    const config = configOf({ max_new_tokens: 500, suppress_tokens: [EOS] });
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB, maxPositions: 128 });
    const { sequences } = await generate(model, tokenizer, { prompts: [long, short], config }).result();
    // Long: 128 − 100 = 28 new tokens. Short: 95 pads, so 128 − 95 − 5 = 28 too (123 alone).
    assert.deepEqual(sequences.map((s) => [s.tokenIds.length, s.finishReason]), [[28, 'length'], [28, 'length']]);
    assert.equal(model.forwards.length, 28, 'prefill + 27 steps; the 28th token is never fed');
    assert.equal(model.forwards.at(-1)!.attentionMask.length, 2 * 127);
    const alone = await generate(new FakeLanguageModel(hashLogits, { vocabSize: VOCAB, maxPositions: 128 }), tokenizer, { prompts: [short], config }).result();
    assert.deepEqual([alone.sequences[0]!.tokenIds.length, alone.sequences[0]!.finishReason], [123, 'length']);
  });
});

describe('generate: eos_token_id', () => {
  const lovesEos = fixedLogits([...Array(EOS).fill(0), 9]);

  it('absent: stops at the tokenizer\'s EOS', async () => {
    const model = new FakeLanguageModel(lovesEos, { vocabSize: VOCAB });
    const { sequences } = await generate(model, tokenizer, { prompts: [[1]], config: configOf({ max_new_tokens: 3 }) }).result();
    assert.deepEqual([sequences[0]!.tokenIds, sequences[0]!.finishReason], [[EOS], 'eos']);
  });

  it('[]: the config has no EOS, so nothing stops the row but its length', async () => {
    const model = new FakeLanguageModel(lovesEos, { vocabSize: VOCAB });
    const config = configOf({ max_new_tokens: 3, eos_token_id: [] });
    const { sequences } = await generate(model, tokenizer, { prompts: [[1]], config }).result();
    assert.deepEqual([sequences[0]!.tokenIds, sequences[0]!.finishReason], [[EOS, EOS, EOS], 'length']);
  });
});
