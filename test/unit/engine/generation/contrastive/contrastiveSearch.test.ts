import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../../sidecar/engine/generation/generate';
import { GenerationRun } from '../../../../../sidecar/engine/generation/GenerationRun';
import { runContrastiveSearch } from '../../../../../sidecar/engine/generation/contrastive/runContrastiveSearch';
import { PromptCache } from '../../../../../sidecar/engine/generation/PromptCache';
import { InkwellError } from '../../../../../sidecar/engine/InkwellError';
import { CharTokenizer } from '../../support/CharTokenizer';
import { collect } from '../../support/collect';
import { configOf } from '../../support/configOf';
import { FakeLanguageModel, fixedLogits, hashHidden, hashLogits, type HiddenFn } from '../../support/FakeLanguageModel';

// Tokens a b c d, EOS = 4.
const tokenizer = new CharTokenizer('abcd');
const EOS = 4;
const LOGITS = [2, 1.5, 1, 0, -5];

/** A hand-built "hidden state" per token: the state at a position is its token's vector. */
const VECTORS: Record<number, readonly number[]> = { 0: [1, 0, 0], 1: [0, 1, 0], 2: [1, 1, 0], 3: [0, 0, 1], 4: [1, 0, 1] };
const byToken: HiddenFn = (attended, _position, out) => out.set(VECTORS[attended[attended.length - 1]!]!);

function handModel(options: { onForward?: () => void } = {}) {
  return new FakeLanguageModel(fixedLogits(LOGITS), { vocabSize: 5, hidden: { size: 3, fn: byToken }, ...options });
}

// softmax(LOGITS) by hand: e² = 7.389056, e^1.5 = 4.481689, e = 2.718282, e⁰ = 1, e⁻⁵ = 0.006738.
const Z = 7.389056 + 4.481689 + 2.718282 + 1 + 0.006738;
const P = { a: 7.389056 / Z, b: 4.481689 / Z, c: 2.718282 / Z }; // 0.4738, 0.2874, 0.1743

describe('contrastive search on hand-built hidden states', () => {
  it('lets the degeneration penalty overturn the most probable token (top_k 2)', async () => {
    const model = handModel();
    const config = configOf({ penalty_alpha: 0.6, top_k: 2, max_new_tokens: 3, output_logprobs: true });
    const { sequences } = await generate(model, tokenizer, { prompts: [[0]], config }).result();
    // Step 1, context {a}: a scores 0.4·0.4738 − 0.6·cos(a, a) = −0.4105; b scores 0.4·0.2874 − 0.6·0 = 0.1149 → b.
    // Step 2, context {a, b}: both penalties are 1; a (−0.4105) beats b (0.4·0.2874 − 0.6 = −0.4851) → a.
    // Step 3, context {a, b, a}: the same → a.
    assert.deepEqual(sequences[0]!.tokenIds, [1, 0, 0]);
    assert.equal(sequences[0]!.text, 'baa');
    assert.equal(sequences[0]!.finishReason, 'length');
    const expected = [Math.log(P.b), Math.log(P.a), Math.log(P.a)];
    sequences[0]!.logprobs!.forEach((lp, i) => assert.ok(Math.abs(lp - expected[i]!) < 1e-5, `${lp} vs ${expected[i]}`));
    assert.equal(model.liveCaches, 0);
  });

  it('with top_k 3 a partly similar candidate wins once the others are repeated', async () => {
    const config = configOf({ penalty_alpha: 0.6, top_k: 3, max_new_tokens: 3 });
    const { sequences } = await generate(handModel(), tokenizer, { prompts: [[0]], config }).result();
    const cos = Math.SQRT1_2; // cos(c, a) = cos(c, b) = 1/√2
    const score = (p: number, penalty: number) => 0.4 * p - 0.6 * penalty;
    // Step 1, context {a}: a −0.4105, b 0.1149, c = 0.4·0.1743 − 0.6·0.7071 = −0.3545 → b.
    assert.ok(score(P.b, 0) > score(P.c, cos) && score(P.c, cos) > score(P.a, 1));
    // Step 2, context {a, b}: a −0.4105, b −0.4851, c −0.3545 → c.
    assert.ok(score(P.c, cos) > score(P.a, 1) && score(P.a, 1) > score(P.b, 1));
    // Step 3, context {a, b, c}: every penalty is 1 → the most probable, a.
    assert.deepEqual(sequences[0]!.tokenIds, [1, 2, 0]);
  });

  it('runs the top_k candidates as one batch over the duplicated cache row, prefilling with hidden states', async () => {
    const model = handModel();
    const config = configOf({ penalty_alpha: 0.6, top_k: 3, max_new_tokens: 3 });
    await generate(model, tokenizer, { prompts: [[0, 3]], config }).result();
    const [prefill, ...steps] = model.forwards;
    assert.equal(prefill!.seqLen, 2);
    // Every prompt position's hidden state (the context), one logits row.
    assert.equal(prefill!.hiddenStates, 'all');
    assert.equal(prefill!.logits, 'last');
    assert.equal(steps.length, 3, 'one forward per token: the chosen candidate\'s logits feed the next step');
    for (const step of steps) {
      assert.equal(step.batch, 3);
      assert.equal(step.hiddenStates, true);
      assert.deepEqual([...step.inputIds], [0, 1, 2], 'the three most probable, best first');
    }
    // Each step's rows all continue the row chosen the step before (the prefill's only row first).
    assert.equal(model.selects.length, 3);
    model.selects.forEach((rows) => assert.equal(new Set(rows).size, 1));
    assert.deepEqual(model.selects[0], [0, 0, 0]);
  });

  it('never offers a token the processors banned, however little it repeats', async () => {
    // b would win step 1 (see above) but is suppressed: the candidates are a and c. Context {a}:
    // a −0.4105 < c −0.3545 → c.
    const config = configOf({ penalty_alpha: 0.6, top_k: 2, max_new_tokens: 3, suppress_tokens: [1] });
    const { sequences } = await generate(handModel(), tokenizer, { prompts: [[0]], config }).result();
    assert.equal(sequences[0]!.tokenIds[0], 2);
    assert.ok(!sequences[0]!.tokenIds.includes(1));
  });

  it('with α = 0 it is greedy decoding over the processed logits', async () => {
    const hidden = { size: 4, fn: hashHidden };
    const base = configOf({ penalty_alpha: 0.5, top_k: 3, max_new_tokens: 10, repetition_penalty: 1.4, suppress_tokens: [EOS] });
    const config = { ...base, penaltyAlpha: 0 }; // the parser derives greedy from α = 0; drive the loop directly
    const prompt = [0, 1, 2];
    const run = new GenerationRun((signal, emit) =>
      runContrastiveSearch(new FakeLanguageModel(hashLogits, { vocabSize: 5, hidden }), tokenizer, { prompts: [prompt], config }, signal, emit),
    );
    const contrastive = await run.result();
    const greedyConfig = configOf({ max_new_tokens: 10, repetition_penalty: 1.4, suppress_tokens: [EOS] });
    const greedy = await generate(new FakeLanguageModel(hashLogits, { vocabSize: 5 }), tokenizer, { prompts: [prompt], config: greedyConfig }).result();
    assert.deepEqual(contrastive.sequences[0]!.tokenIds, greedy.sequences[0]!.tokenIds);
  });
});

describe('contrastive search: stopping, streaming, several prompts', () => {
  it('stops at EOS (kept in tokenIds, not in the text)', async () => {
    // EOS is likeliest from the second generated token on; its hidden state is far from the rest.
    const logitsFn = (attended: readonly number[], _p: number, out: Float32Array) => {
      out.set(attended.length >= 2 ? [0, 0, 0, 0, 5] : LOGITS);
    };
    const model = new FakeLanguageModel(logitsFn, { vocabSize: 5, hidden: { size: 3, fn: byToken } });
    const { sequences } = await generate(model, tokenizer, { prompts: [[0]], config: configOf({ penalty_alpha: 0.6, top_k: 2, max_new_tokens: 5 }) }).result();
    assert.deepEqual(sequences[0]!.tokenIds, [1, EOS]);
    assert.equal(sequences[0]!.text, 'b');
    assert.equal(sequences[0]!.finishReason, 'eos');
  });

  it('stops at a stop string, streaming each token as it is chosen', async () => {
    const config = configOf({ penalty_alpha: 0.6, top_k: 3, max_new_tokens: 10, stop_strings: ['ca'] });
    const { events, result } = await collect(generate(handModel(), tokenizer, { prompts: [[0]], config }));
    assert.deepEqual(result.sequences[0]!.tokenIds, [1, 2, 0]); // b c a, as in the top_k 3 case
    assert.equal(result.sequences[0]!.finishReason, 'stop-string');
    assert.equal(result.sequences[0]!.text, 'b');
    assert.deepEqual(events.map((e) => e.type), ['token', 'token', 'token', 'finish', 'done']);
  });

  it('stops at max_time on the injected clock', async () => {
    let now = 0;
    const model = handModel({ onForward: () => (now += 100) });
    const config = configOf({ penalty_alpha: 0.6, top_k: 2, max_new_tokens: 50, max_time: 0.25 });
    const { sequences, timings } = await generate(model, tokenizer, { prompts: [[0], [1]], config, clock: { now: () => now } }).result();
    // Forwards end at 100 (prefill), 200, 300 ms: the check after the second token is past 250 ms.
    assert.equal(sequences[0]!.tokenIds.length, 2);
    assert.equal(sequences[0]!.finishReason, 'max-time');
    // The second prompt is not started once the time is up.
    assert.deepEqual(sequences[1]!.tokenIds, []);
    assert.equal(sequences[1]!.finishReason, 'max-time');
    assert.equal(timings.prefillMs, 100);
    assert.equal(timings.decodeSteps, 2);
  });

  it('an abort ends the run with the tokens chosen so far and frees the cache', async () => {
    const controller = new AbortController();
    let forwards = 0;
    const model = handModel({ onForward: () => void (++forwards === 3 && controller.abort()) });
    const config = configOf({ penalty_alpha: 0.6, top_k: 2, max_new_tokens: 10 });
    const { sequences } = await generate(model, tokenizer, { prompts: [[0], [1]], config, signal: controller.signal }).result();
    // The third forward (second candidates) completes, then the loop sees the abort.
    assert.deepEqual(sequences[0]!.tokenIds, [1, 0]);
    assert.equal(sequences[0]!.finishReason, 'aborted');
    assert.deepEqual(sequences[1]!.tokenIds, []);
    assert.equal(sequences[1]!.finishReason, 'aborted');
    assert.equal(model.liveCaches, 0);
  });

  it('runs several prompts one after the other, each its own sequence', async () => {
    const model = handModel();
    const config = configOf({ penalty_alpha: 0.6, top_k: 2, max_new_tokens: 2 });
    const { events, result } = await collect(generate(model, tokenizer, { prompts: [[0], [1, 1]], config }));
    const order = events.filter((e) => e.type !== 'done').map((e) => e.sequence);
    assert.deepEqual(order, [0, 0, 0, 1, 1, 1], 'prompt 0 finishes before prompt 1 starts');
    assert.deepEqual(result.sequences[0]!.tokenIds, [1, 0]);
    // Prompt "bb", context {b, b}: a scores 0.4·0.4738 − 0 = 0.1895, b −0.4851 → a; then {b, b, a}: a −0.4105 > b → a.
    assert.deepEqual(result.sequences[1]!.tokenIds, [0, 0]);
    assert.equal(result.sequences[1]!.prompt, 1);
    assert.equal(result.timings.prefillTokens, 3);
    assert.equal(model.liveCaches, 0);
  });
});

describe('contrastive search: refused requests', () => {
  const config = configOf({ penalty_alpha: 0.6, top_k: 4 });

  it('a model without hidden states: invalid-config naming penalty_alpha, thrown by generate() itself', () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: 5 });
    assert.throws(
      () => generate(model, tokenizer, { prompts: [[0]], config }),
      (e: unknown) =>
        e instanceof InkwellError &&
        e.code === 'invalid-config' &&
        e.details.field === 'penalty_alpha' &&
        /no last_hidden_state output/.test(e.message) &&
        /inkwell dev expose-hidden-states/.test(e.message),
    );
    assert.equal(model.forwards.length, 0);
  });

  it('top_k beyond the vocabulary, a promptCache, an assistant', () => {
    const model = handModel();
    const refuses = (request: Parameters<typeof generate>[2], code: string, field: string) =>
      assert.throws(
        () => generate(model, tokenizer, request),
        (e: unknown) => e instanceof InkwellError && e.code === code && e.details.field === field,
      );
    refuses({ prompts: [[0]], config: configOf({ penalty_alpha: 0.6, top_k: 6 }) }, 'invalid-config', 'top_k');
    refuses({ prompts: [[0]], config, promptCache: new PromptCache(model) }, 'invalid-argument', 'promptCache');
    refuses({ prompts: [[0]], config: configOf({ penalty_alpha: 0.6, top_k: 4, prompt_lookup_num_tokens: 3 }) }, 'invalid-config', 'prompt_lookup_num_tokens');
  });

  it('num_return_sequences > 1 is refused by the config, as for greedy decoding', () => {
    assert.throws(
      () => configOf({ penalty_alpha: 0.6, top_k: 4, num_return_sequences: 2 }),
      (e: unknown) => e instanceof InkwellError && e.details.field === 'num_return_sequences',
    );
  });
});
