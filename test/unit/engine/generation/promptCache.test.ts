import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GenerationConfig } from '../../../../sidecar/engine/config/GenerationConfig';
import type { GenerationResult } from '../../../../sidecar/engine/generation/GenerationEvent';
import { generate } from '../../../../sidecar/engine/generation/generate';
import { PromptCache } from '../../../../sidecar/engine/generation/PromptCache';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import type { ForwardInput, ForwardOutput, KvCache } from '../../../../sidecar/engine/model/LanguageModel';
import { CharTokenizer } from '../support/CharTokenizer';
import { configOf } from '../support/configOf';
import { FakeLanguageModel, hashLogits } from '../support/FakeLanguageModel';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789 .,(){}=;'; // the id after the last character is EOS
const tokenizer = new CharTokenizer(ALPHABET);
const VOCAB = ALPHABET.length + 1;
const EOS = ALPHABET.length;

/** A FakeLanguageModel whose forward() first runs `before` (to hold a step open or abort inside it). */
class HookedModel extends FakeLanguageModel {
  before: ((input: ForwardInput) => Promise<void> | void) | undefined;

  constructor(options: { onForward?: (input: ForwardInput) => void } = {}) {
    super(hashLogits, { vocabSize: VOCAB, ...options });
  }

  override async forward(cache: KvCache, input: ForwardInput, signal?: AbortSignal): Promise<{ cache: KvCache; output: ForwardOutput }> {
    await this.before?.(input);
    return super.forward(cache, input, signal);
  }
}

const greedy = (n = 8) => configOf({ max_new_tokens: n, suppress_tokens: [EOS] });
const sampled = (n = 8) => configOf({ do_sample: true, temperature: 1.4, top_k: 12, seed: 42, max_new_tokens: n, suppress_tokens: [EOS] });

/** The ids the cache must hold after a run: the prompt and every generated token but the last (never fed). */
const heldAfter = (prompt: readonly number[], result: GenerationResult) => [...prompt, ...result.sequences[0]!.tokenIds.slice(0, -1)];

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

async function fresh(prompt: readonly number[], config: GenerationConfig): Promise<GenerationResult> {
  return generate(new FakeLanguageModel(hashLogits, { vocabSize: VOCAB }), tokenizer, { prompts: [prompt], config }).result();
}

/** Typing: each prompt is the previous one plus one character. */
const typing = (text: string, from: number) => Array.from({ length: text.length - from + 1 }, (_, i) => tokenizer.encode(text.slice(0, from + i)));

describe('PromptCache with generate', () => {
  for (const [name, config] of [
    ['greedy', greedy()],
    ['seeded sampling', sampled()],
  ] as const) {
    it(`${name}: output is identical with and without reuse, and only the unshared suffix is prefilled`, async () => {
      const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
      const promptCache = new PromptCache(model);
      let held: number[] = [];
      for (const prompt of typing('function add(a, b) return a', 12)) {
        const before = model.forwards.length;
        const result = await generate(model, tokenizer, { prompts: [prompt], config, promptCache }).result();
        const expected = await fresh(prompt, config);
        assert.deepEqual(result.sequences[0]!.tokenIds, expected.sequences[0]!.tokenIds);

        const reused = Math.min(commonPrefix(held, prompt), prompt.length - 1);
        const prefill = model.forwards[before]!;
        assert.equal(prefill.seqLen, prompt.length - reused);
        assert.deepEqual([...prefill.inputIds], prompt.slice(reused));
        assert.deepEqual([...prefill.positionIds], prompt.slice(reused).map((_, i) => reused + i));
        assert.equal(result.timings.prefillTokens, prompt.length - reused);
        assert.equal(result.timings.reusedTokens, reused);
        assert.equal(expected.timings.prefillTokens, prompt.length);
        assert.equal(expected.timings.reusedTokens, 0);

        held = heldAfter(prompt, result);
        assert.deepEqual(promptCache.ids, held);
        assert.equal(model.liveCaches, 1, 'the one cache stays alive between runs');
      }
      await promptCache.dispose();
      assert.equal(model.liveCaches, 0);
    });
  }

  it('the second of two typing steps prefills one token', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const promptCache = new PromptCache(model);
    // A prompt that differs from the last generation only in its last character.
    const first = tokenizer.encode('const x = 1');
    const a = await generate(model, tokenizer, { prompts: [first], config: greedy(), promptCache }).result();
    assert.equal(a.timings.prefillTokens, first.length);
    const second = [...first, (a.sequences[0]!.tokenIds[0]! + 1) % EOS];
    const b = await generate(model, tokenizer, { prompts: [second], config: greedy(), promptCache }).result();
    assert.equal(b.timings.prefillTokens, 1);
    assert.equal(b.timings.reusedTokens, first.length);
    assert.deepEqual(b.sequences[0]!.tokenIds, (await fresh(second, greedy())).sequences[0]!.tokenIds);
  });

  it('a prompt that is a prefix of the cached ids (or equal to them) prefills its last token only', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const promptCache = new PromptCache(model);
    const prompt = tokenizer.encode('let total = 0');
    const first = await generate(model, tokenizer, { prompts: [prompt], config: greedy(), promptCache }).result();
    const held = heldAfter(prompt, first);

    for (const shorter of [prompt.slice(0, 5), held, prompt]) {
      const before = model.forwards.length;
      const result = await generate(model, tokenizer, { prompts: [shorter], config: greedy(), promptCache }).result();
      assert.equal(model.forwards[before]!.seqLen, 1);
      assert.deepEqual([...model.forwards[before]!.positionIds], [shorter.length - 1]);
      assert.equal(result.timings.reusedTokens, shorter.length - 1);
      assert.deepEqual(result.sequences[0]!.tokenIds, (await fresh(shorter, greedy())).sequences[0]!.tokenIds);
      assert.deepEqual(promptCache.ids, heldAfter(shorter, result));
      // Restore the long cached state for the next case.
      await generate(model, tokenizer, { prompts: [prompt], config: greedy(), promptCache }).result();
    }
  });

  it('a completely different prompt starts a fresh cache and releases the old one', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const promptCache = new PromptCache(model);
    await generate(model, tokenizer, { prompts: [tokenizer.encode('abc def')], config: greedy(), promptCache }).result();
    const other = tokenizer.encode('xyz 123');
    const before = model.forwards.length;
    const result = await generate(model, tokenizer, { prompts: [other], config: greedy(), promptCache }).result();
    assert.equal(model.forwards[before]!.seqLen, other.length);
    assert.equal(result.timings.reusedTokens, 0);
    assert.equal(result.timings.prefillTokens, other.length);
    assert.equal(model.liveCaches, 1);
    assert.deepEqual(result.sequences[0]!.tokenIds, (await fresh(other, greedy())).sequences[0]!.tokenIds);
  });

  it('abort mid-decode gives back exactly the ids fed, and the next run reuses them', async () => {
    const controller = new AbortController();
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB, onForward: () => model.forwards.length === 4 && controller.abort() });
    const promptCache = new PromptCache(model);
    const prompt = tokenizer.encode('if (x) {');
    const aborted = await generate(model, tokenizer, { prompts: [prompt], config: greedy(20), promptCache, signal: controller.signal }).result();
    assert.equal(aborted.sequences[0]!.finishReason, 'aborted');
    // Prefill + 3 decode steps ran: the cache holds the prompt and the 3 tokens fed.
    assert.equal(aborted.sequences[0]!.tokenIds.length, 4);
    assert.deepEqual(promptCache.ids, heldAfter(prompt, aborted));

    const next = [...prompt, ...aborted.sequences[0]!.tokenIds];
    const before = model.forwards.length;
    const result = await generate(model, tokenizer, { prompts: [next], config: greedy(), promptCache }).result();
    assert.equal(model.forwards[before]!.seqLen, 1, 'only the never-fed last token is prefilled');
    assert.deepEqual(result.sequences[0]!.tokenIds, (await fresh(next, greedy())).sequences[0]!.tokenIds);
  });

  it('an abort inside forward() (prefill or decode) leaves the cache consistent', async () => {
    const model = new HookedModel();
    const promptCache = new PromptCache(model);
    const prompt = tokenizer.encode('while (true) {');
    await generate(model, tokenizer, { prompts: [prompt], config: greedy(), promptCache }).result();

    // Abort inside the prefill of a prompt that shares 8 tokens: the cache keeps those 8.
    const controller = new AbortController();
    model.before = (input) => {
      if (input.seqLen > 1) controller.abort();
    };
    const other = tokenizer.encode('while (false) {');
    const aborted = await generate(model, tokenizer, { prompts: [other], config: greedy(), promptCache, signal: controller.signal }).result();
    assert.equal(aborted.sequences[0]!.finishReason, 'aborted');
    assert.equal(aborted.sequences[0]!.tokenIds.length, 0);
    assert.equal(aborted.timings.prefillTokens, 0);
    assert.deepEqual(promptCache.ids, other.slice(0, commonPrefix(prompt, other)));

    // Abort inside the third decode step: the cache holds prompt + the 2 tokens fed before it.
    const late = new AbortController();
    let decodes = 0;
    model.before = (input) => {
      if (input.seqLen === 1 && ++decodes === 3) late.abort();
    };
    const partial = await generate(model, tokenizer, { prompts: [other], config: greedy(20), promptCache, signal: late.signal }).result();
    assert.equal(partial.sequences[0]!.tokenIds.length, 3);
    assert.deepEqual(promptCache.ids, heldAfter(other, partial));

    model.before = undefined;
    const result = await generate(model, tokenizer, { prompts: [other], config: greedy(), promptCache }).result();
    assert.deepEqual(result.sequences[0]!.tokenIds, (await fresh(other, greedy())).sequences[0]!.tokenIds);
    assert.equal(result.timings.reusedTokens, other.length - 1);
  });

  it('a failing forward drops the cache; the next run starts afresh', async () => {
    let failAt = 3;
    const model = new FakeLanguageModel(hashLogits, {
      vocabSize: VOCAB,
      onForward: () => {
        if (model.forwards.length === failAt) throw new Error('device lost');
      },
    });
    const promptCache = new PromptCache(model);
    const prompt = tokenizer.encode('return x');
    await assert.rejects(generate(model, tokenizer, { prompts: [prompt], config: greedy(), promptCache }).result(), /device lost/);
    assert.deepEqual(promptCache.ids, []);
    assert.equal(model.liveCaches, 0);
    assert.equal(promptCache.busy, false);

    failAt = -1;
    const before = model.forwards.length;
    const result = await generate(model, tokenizer, { prompts: [prompt], config: greedy(), promptCache }).result();
    assert.equal(model.forwards[before]!.seqLen, prompt.length);
    assert.equal(result.timings.reusedTokens, 0);
    assert.deepEqual(result.sequences[0]!.tokenIds, (await fresh(prompt, greedy())).sequences[0]!.tokenIds);
  });

  it('a model failure that coincides with an abort ends the run as aborted but still drops the cache', async () => {
    const controller = new AbortController();
    const model = new FakeLanguageModel(hashLogits, {
      vocabSize: VOCAB,
      onForward: () => {
        if (model.forwards.length === 3) {
          controller.abort();
          throw new Error('device lost');
        }
      },
    });
    const promptCache = new PromptCache(model);
    const result = await generate(model, tokenizer, { prompts: [[1, 2, 3]], config: greedy(), promptCache, signal: controller.signal }).result();
    assert.equal(result.sequences[0]!.finishReason, 'aborted');
    assert.deepEqual(promptCache.ids, []);
    assert.equal(model.liveCaches, 0);
  });

  it('a second run waits until the first gives the cache back, then reuses what it left', async () => {
    const model = new HookedModel();
    const promptCache = new PromptCache(model);
    const prompt = tokenizer.encode('for (i = 0');
    let entered!: () => void;
    const inStep = new Promise<void>((resolve) => (entered = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let steps = 0;
    model.before = async () => {
      if (++steps === 3) {
        entered();
        await gate;
      }
    };
    const holder = generate(model, tokenizer, { prompts: [prompt], config: greedy(20), promptCache });
    await inStep; // the holder is inside its second decode step
    const forwardsBefore = model.forwards.length;
    const next = [...prompt, 1, 2];
    const waiter = generate(model, tokenizer, { prompts: [next], config: greedy(), promptCache });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(promptCache.busy, true);
    assert.equal(model.forwards.length, forwardsBefore, 'the waiter has not touched the model');

    holder.abort();
    open();
    const held = await holder.result();
    assert.equal(held.sequences[0]!.finishReason, 'aborted');
    const result = await waiter.result();
    assert.equal(result.timings.reusedTokens, commonPrefix(heldAfter(prompt, held), next));
    assert.deepEqual(result.sequences[0]!.tokenIds, (await fresh(next, greedy())).sequences[0]!.tokenIds);
    assert.equal(model.liveCaches, 1);
  });

  it('a run aborted while waiting for the cache ends as aborted without taking it', async () => {
    const model = new HookedModel();
    const promptCache = new PromptCache(model);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    model.before = () => gate;
    const holder = generate(model, tokenizer, { prompts: [[1, 2, 3]], config: greedy(), promptCache });
    const controller = new AbortController();
    const waiter = generate(model, tokenizer, { prompts: [[1, 2, 3, 4]], config: greedy(), promptCache, signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const result = await waiter.result();
    assert.equal(result.sequences[0]!.finishReason, 'aborted');
    open();
    await holder.result();
    assert.equal(promptCache.busy, false);
    assert.equal(model.liveCaches, 1);
  });

  it('refuses several prompts, several return sequences, or another model, naming promptCache', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const promptCache = new PromptCache(model);
    const isPromptCacheError = (e: unknown) => InkwellError.is(e) && e.code === 'invalid-argument' && /promptCache/.test(e.message);
    await assert.rejects(generate(model, tokenizer, { prompts: [[1], [2]], config: greedy(), promptCache }).result(), isPromptCacheError);
    const two = configOf({ do_sample: true, num_return_sequences: 2, max_new_tokens: 3 });
    await assert.rejects(generate(model, tokenizer, { prompts: [[1]], config: two, promptCache }).result(), isPromptCacheError);
    const other = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    await assert.rejects(generate(other, tokenizer, { prompts: [[1]], config: greedy(), promptCache }).result(), isPromptCacheError);
    assert.equal(model.forwards.length + other.forwards.length, 0);
  });

  it('clear() releases the cache; dispose() also refuses later runs', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const promptCache = new PromptCache(model);
    await generate(model, tokenizer, { prompts: [[1, 2, 3]], config: greedy(), promptCache }).result();
    assert.equal(model.liveCaches, 1);
    await promptCache.clear();
    assert.equal(model.liveCaches, 0);
    assert.deepEqual(promptCache.ids, []);
    const again = await generate(model, tokenizer, { prompts: [[1, 2, 3]], config: greedy(), promptCache }).result();
    assert.equal(again.timings.reusedTokens, 0);
    await promptCache.dispose();
    assert.equal(model.liveCaches, 0);
    await assert.rejects(generate(model, tokenizer, { prompts: [[1, 2, 3]], config: greedy(), promptCache }).result(), /disposed/);
  });
});
