import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseGenerationConfig } from '../../../sidecar/engine/config/parseGenerationConfig';
import { AssistantDrafter } from '../../../sidecar/engine/generation/assisted/AssistantDrafter';
import { generate } from '../../../sidecar/engine/generation/generate';
import { PromptCache } from '../../../sidecar/engine/generation/PromptCache';
import { buildLogitsPipeline } from '../../../sidecar/engine/processors/buildLogitsPipeline';
import { Xoshiro128 } from '../../../sidecar/engine/sampling/Xoshiro128';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import type { LanguageModel } from '../../../sidecar/engine/model/LanguageModel';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { loadAssistantModel } from '../../../sidecar/runtime/loadAssistantModel';
import { qwen3TokenizerDir, smallModel, testModel } from '../../support/testModels';

const config = (json: Record<string, unknown>) => parseGenerationConfig(json).config;
const PROMPTS = ['def add(a, b):\n    return a + b\n\ndef add(', 'const x = [1, 2, 3];\nconst y = x.map(', 'class Stack:\n    def push(self, item):', 'a'];

/** Next-token logits of `ids` from a cache built from scratch. */
async function freshLogits(model: LanguageModel, ids: readonly number[]): Promise<Float32Array> {
  const cache = await model.createCache(1);
  const { cache: after, output } = await model.forward(cache, {
    inputIds: Int32Array.from(ids), positionIds: Int32Array.from(ids.keys()), attentionMask: new Uint8Array(ids.length).fill(1),
    batch: 1, seqLen: ids.length, logits: 'last',
  });
  const logits = output.logits.slice();
  await model.releaseCache(after);
  return logits;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('assisted generation on real ONNX models (worker threads)', () => {
  let main: LoadedModel;
  let assistant: Awaited<ReturnType<typeof loadAssistantModel>>;
  let same: Awaited<ReturnType<typeof loadAssistantModel>>;
  before(async () => {
    main = await loadModel({ dir: smallModel(), dtype: 'fp32', device: 'cpu' });
    const draftDir = testModel('assistant-1layer', { layers: 1, hidden: 64, heads: 4, kvHeads: 2, intermediate: 128, vocab: 1024, seed: 7, dtypes: ['fp32'], maxPositions: 512 });
    assistant = await loadAssistantModel(main, { dir: draftDir, dtype: 'fp32', device: 'cpu' });
    same = await loadAssistantModel(main, { dir: smallModel(), dtype: 'fp32', device: 'cpu' });
  });
  after(async () => {
    await assistant.model.dispose();
    await same.model.dispose();
    await main.model.dispose();
  });

  it('greedy output equals plain greedy for an assistant, prompt lookup and both, over prompts and draft lengths', async () => {
    for (const text of PROMPTS) {
      const prompt = main.tokenizer.encode(text);
      for (const k of [1, 3, 6]) {
        const base = { max_new_tokens: 24, stop_strings: ['\n\n'] };
        const plain = await generate(main.model, main.tokenizer, { prompts: [prompt], config: config(base) }).result();
        for (const [name, extra, withAssistant] of [
          ['assistant', { assistant_model: 'a', num_assistant_tokens: k, num_assistant_tokens_schedule: 'heuristic' }, true],
          ['lookup', { prompt_lookup_num_tokens: k }, false],
          ['both', { assistant_model: 'a', num_assistant_tokens: k, prompt_lookup_num_tokens: k, assistant_confidence_threshold: 0 }, true],
        ] as const) {
          const run = generate(main.model, main.tokenizer, { prompts: [prompt], config: config({ ...base, ...extra }), ...(withAssistant && { assistant }) });
          const result = await run.result();
          assert.deepEqual(result.sequences[0]!.tokenIds, plain.sequences[0]!.tokenIds, `${name}, K = ${k}, prompt ${JSON.stringify(text)}`);
          assert.equal(result.sequences[0]!.text, plain.sequences[0]!.text);
        }
      }
    }
  });

  it('the main model as its own assistant has every drafted token accepted', async () => {
    const prompt = main.tokenizer.encode(PROMPTS[1]!);
    const result = await generate(main.model, main.tokenizer, {
      prompts: [prompt], config: config({ max_new_tokens: 40, assistant_model: 'same', num_assistant_tokens: 5, assistant_confidence_threshold: 0 }), assistant: same,
    }).result();
    const stats = result.assisted!;
    assert.ok(stats.drafted > 20);
    assert.equal(stats.accepted, stats.drafted);
    assert.ok(stats.tokensPerMainForward > 4, `${stats.tokensPerMainForward} tokens per main forward`);
  });

  it('after rollbacks the main cache gives the logits of a cache built from scratch', async () => {
    const promptCache = new PromptCache(main.model);
    const prompt = main.tokenizer.encode(PROMPTS[0]!);
    const result = await generate(main.model, main.tokenizer, {
      prompts: [prompt], promptCache, assistant, config: config({ max_new_tokens: 30, assistant_model: 'a', num_assistant_tokens: 4, assistant_confidence_threshold: 0 }),
    }).result();
    assert.ok(result.assisted!.accepted < result.assisted!.drafted, 'some drafts were rejected and rolled back');
    const ids = [...promptCache.ids];
    assert.deepEqual(ids, [...prompt, ...result.sequences[0]!.tokenIds].slice(0, ids.length));
    const next = [...ids, 17];
    const lease = await promptCache.take(next, new AbortController().signal);
    assert.equal(lease.reusedTokens, ids.length);
    const { cache, output } = await main.model.forward(lease.cache, {
      inputIds: Int32Array.of(17), positionIds: Int32Array.of(ids.length), attentionMask: new Uint8Array(next.length).fill(1), batch: 1, seqLen: 1, logits: 'last',
    });
    const cached = output.logits.slice();
    lease.giveBack(cache, next);
    assert.ok(maxAbsDiff(cached, await freshLogits(main.model, next)) < 1e-4);
    await promptCache.dispose();
  });

  it("after a rejected draft the assistant's cache gives the q of a fresh assistant", async () => {
    const sampling = config({ do_sample: true, temperature: 0.8, top_k: 50, num_assistant_tokens: 4, assistant_confidence_threshold: 0, assistant_model: 'a' });
    const pipeline = () => buildLogitsPipeline(sampling, { width: main.model.info.vocabSize, tokenizerVocabSize: main.tokenizer.vocabSize, eosTokenIds: [] });
    const signal = new AbortController().signal;
    const prompt = main.tokenizer.encode(PROMPTS[2]!);
    const reused = new AssistantDrafter(assistant.model, pipeline(), sampling, new Xoshiro128(1));
    const first = await reused.propose({ ids: prompt, promptLength: prompt.length, maxLength: 200 }, 4, signal);
    // Verification kept the first drafted token and replaced the second.
    const replaced = (first.tokens[1]! + 1) % main.tokenizer.vocabSize;
    const context = [...prompt, first.tokens[0]!, replaced];
    const again = await reused.propose({ ids: context, promptLength: prompt.length, maxLength: 200 }, 1, signal);
    const fresh = new AssistantDrafter(assistant.model, pipeline(), sampling, new Xoshiro128(1));
    const scratch = await fresh.propose({ ids: context, promptLength: prompt.length, maxLength: 200 }, 1, signal);
    assert.ok(maxAbsDiff(again.probabilities![0]!, scratch.probabilities![0]!) < 1e-5);
    await reused.dispose();
    await fresh.dispose();
  });

  it('an assistant with another vocabulary is refused with both folders named', async () => {
    const qwenDir = testModel('qwen-vocab-tiny', {
      modelType: 'qwen2', layers: 1, hidden: 32, heads: 2, kvHeads: 1, intermediate: 64, vocab: 151_936, seed: 5, dtypes: ['fp32'], tokenizerFrom: qwen3TokenizerDir,
    });
    await assert.rejects(loadAssistantModel(main, { dir: qwenDir, dtype: 'fp32', device: 'cpu' }), (error: unknown) => {
      assert.ok(InkwellError.is(error));
      assert.equal(error.code, 'model-invalid');
      assert.ok(error.message.includes(qwenDir) && error.message.includes(main.folder.dir), error.message);
      assert.match(error.message, /does not share the vocabulary/);
      return true;
    });
  });
});
