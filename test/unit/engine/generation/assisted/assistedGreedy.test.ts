import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../../sidecar/engine/generation/generate';
import type { GenerationEvent } from '../../../../../sidecar/engine/generation/GenerationEvent';
import { InkwellError } from '../../../../../sidecar/engine/InkwellError';
import { CharTokenizer } from '../../support/CharTokenizer';
import { collect } from '../../support/collect';
import { configOf } from '../../support/configOf';
import { FakeLanguageModel, hashLogits, scriptedLogits, type LogitsFn } from '../../support/FakeLanguageModel';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz .\n';
const tokenizer = new CharTokenizer(ALPHABET);
const EOS = ALPHABET.length;
const VOCAB = ALPHABET.length + 1;

/** hashLogits plus a second hash scaled by `noise`: close to the main model, not equal. */
function nearby(noise: number): LogitsFn {
  const extra = new Float32Array(VOCAB);
  return (attended, position, out) => {
    hashLogits(attended, position, out);
    hashLogits([...attended, 12345], position + 7, extra);
    for (let v = 0; v < out.length; v++) out[v]! += noise * extra[v]!;
  };
}

const assistantOf = (fn: LogitsFn) => ({ model: new FakeLanguageModel(fn, { vocabSize: VOCAB }), tokenizer, name: 'assistant-dir' });

/** Tokens, finish reason, text and the streamed deltas: everything a caller can observe. */
async function observe(run: ReturnType<typeof generate>) {
  const { result, deltas, events } = await collect(run);
  const sequence = result.sequences[0]!;
  return {
    observed: { tokenIds: sequence.tokenIds, finishReason: sequence.finishReason, text: sequence.text, deltas: deltas.get(0) ?? [] },
    result,
    events,
  };
}

async function plainAndAssisted(main: LogitsFn, draft: LogitsFn | undefined, prompt: number[], json: Record<string, unknown>) {
  const plain = await observe(generate(new FakeLanguageModel(main, { vocabSize: VOCAB }), tokenizer, { prompts: [prompt], config: configOf(json) }));
  const model = new FakeLanguageModel(main, { vocabSize: VOCAB });
  const assistant = draft ? assistantOf(draft) : undefined;
  const config = configOf({ ...json, ...(draft && { assistant_model: 'assistant-dir' }) });
  const assisted = await observe(generate(model, tokenizer, { prompts: [prompt], config, ...(assistant && { assistant }) }));
  return { plain, assisted, model, assistant };
}

describe('assisted generation: greedy is plain greedy, token for token', () => {
  it('over 120 prompts × schedules × draft lengths × stop rules, with a close-but-different assistant', async () => {
    let drafted = 0;
    let accepted = 0;
    const reasons = new Set<string>();
    let n = 0;
    for (let p = 0; p < 10; p++) {
      const prompt = Array.from({ length: 1 + (p % 4) }, (_, i) => (p * 7 + i * 3) % ALPHABET.length);
      for (const json of [
        { max_new_tokens: 40, num_assistant_tokens: 3, assistant_confidence_threshold: 0 },
        { max_new_tokens: 17, num_assistant_tokens: 5, num_assistant_tokens_schedule: 'heuristic' },
        { max_new_tokens: 30, num_assistant_tokens: 2, stop_strings: ['e', 'ab'], assistant_confidence_threshold: 0 },
        { max_new_tokens: 25, num_assistant_tokens: 8, repetition_penalty: 1.3, assistant_confidence_threshold: 0.2 },
      ]) {
        for (const noise of [0.02, 0.1, 0.5]) {
          const { plain, assisted, model, assistant } = await plainAndAssisted(hashLogits, nearby(noise), prompt, json);
          assert.deepEqual(assisted.observed, plain.observed, `prompt ${p}, ${JSON.stringify(json)}, noise ${noise}`);
          drafted += assisted.result.assisted!.drafted;
          accepted += assisted.result.assisted!.accepted;
          reasons.add(plain.observed.finishReason);
          assert.equal(model.liveCaches, 0, 'the main cache is released');
          assert.equal((assistant!.model as FakeLanguageModel).liveCaches, 0, 'the assistant cache is released');
          n++;
        }
      }
    }
    assert.equal(n, 120);
    // The comparison means something only if drafts were both accepted and rejected.
    assert.ok(accepted > 0.2 * drafted && accepted < drafted, `accepted ${accepted} of ${drafted}`);
    assert.deepEqual([...reasons].sort(), ['eos', 'length', 'stop-string']);
  });

  it('EOS inside an accepted block ends the output exactly there', async () => {
    const prompt = tokenizer.encode('go');
    const script = scriptedLogits(prompt.length, tokenizer.encode('abc'), EOS);
    const { plain, assisted, model } = await plainAndAssisted(script, script, prompt, { max_new_tokens: 20, num_assistant_tokens: 5 });
    assert.deepEqual(assisted.observed, plain.observed);
    assert.equal(plain.observed.finishReason, 'eos');
    assert.deepEqual(assisted.observed.tokenIds, [...tokenizer.encode('abc'), EOS]);
    // Prefill picks 'a'; the one verification block holds [a, b, c, EOS, EOS, EOS]: EOS lands mid-block.
    assert.deepEqual(model.forwards.map((f) => f.seqLen), [2, 6]);
  });

  it('a stop string completed inside an accepted block cuts the text and the stream as plain decoding does', async () => {
    const prompt = tokenizer.encode('x');
    const script = scriptedLogits(prompt.length, tokenizer.encode('hi.the end.more'), EOS);
    const { plain, assisted, model } = await plainAndAssisted(script, script, prompt, { max_new_tokens: 40, num_assistant_tokens: 6, stop_strings: ['end'] });
    assert.deepEqual(assisted.observed, plain.observed);
    assert.equal(assisted.observed.text, 'hi.the ');
    assert.equal(assisted.observed.finishReason, 'stop-string');
    assert.ok(model.forwards.length <= 3, `${model.forwards.length} main forwards for 10 tokens`);
  });

  it('max_new_tokens is exact at every boundary (1 … 14) for draft lengths 1 … 6', async () => {
    const prompt = tokenizer.encode('ab');
    const script = scriptedLogits(prompt.length, tokenizer.encode('abcdefghijklmnopqrstuvwxyz'), EOS);
    for (let max = 1; max <= 14; max++) {
      for (let k = 1; k <= 6; k++) {
        const { plain, assisted } = await plainAndAssisted(script, script, prompt, { max_new_tokens: max, num_assistant_tokens: k });
        assert.deepEqual(assisted.observed, plain.observed, `max_new_tokens ${max}, K ${k}`);
        assert.equal(assisted.observed.tokenIds.length, max);
        // Never drafts past the limit: every drafted token is accepted.
        assert.equal(assisted.result.assisted!.acceptanceRate, assisted.result.assisted!.drafted === 0 ? 0 : 1);
      }
    }
  });

  it('an assistant identical to the main model has every drafted token accepted', async () => {
    const prompt = [3, 1, 4];
    const { assisted, plain } = await plainAndAssisted(hashLogits, hashLogits, prompt, {
      max_new_tokens: 40, num_assistant_tokens: 4, assistant_confidence_threshold: 0, eos_token_id: [],
    });
    assert.deepEqual(assisted.observed, plain.observed);
    const stats = assisted.result.assisted!;
    assert.equal(stats.accepted, stats.drafted);
    assert.equal(stats.acceptanceRate, 1);
    // Prefill + 39 tokens in blocks of 5 (4 drafted + 1): 8 verifications.
    assert.equal(stats.mainForwards, 9);
    assert.equal(stats.tokensPerMainForward, 40 / 9);
  });

  it('the heuristic schedule grows the draft by 2 after each fully accepted one', async () => {
    const prompt = [1];
    const { model } = await plainAndAssisted(hashLogits, hashLogits, prompt, {
      max_new_tokens: 30, num_assistant_tokens: 1, num_assistant_tokens_schedule: 'heuristic', assistant_confidence_threshold: 0, eos_token_id: [],
    });
    // Drafts of 1, 3, 5, 7, then what is left (29 − 1 − 1 − 3 − 1 − 5 − 1 − 7 − 1 = 9 → 8 + 1).
    assert.deepEqual(model.forwards.map((f) => f.seqLen), [1, 2, 4, 6, 8, 9]);
  });

  it('assistant_confidence_threshold stops a draft at the first token the assistant is unsure of', async () => {
    // Flat logits: every token has probability 1/VOCAB < 0.5, so each draft is one token.
    const flat: LogitsFn = (_a, _p, out) => out.fill(0);
    const { assisted, plain, model } = await plainAndAssisted(hashLogits, flat, [2], { max_new_tokens: 10, num_assistant_tokens: 6, assistant_confidence_threshold: 0.5 });
    assert.deepEqual(assisted.observed, plain.observed);
    assert.ok(assisted.result.assisted!.drafted > 0);
    assert.ok(model.forwards.every((f) => f.seqLen <= 2), `verification lengths ${model.forwards.slice(1).map((f) => f.seqLen).join(', ')}`);
  });

  it('streams one token event per verified token, in order, before done', async () => {
    const prompt = [5, 6];
    const { assisted, plain } = await plainAndAssisted(hashLogits, nearby(0.3), prompt, { max_new_tokens: 25, num_assistant_tokens: 4, eos_token_id: [] });
    const tokens = (events: GenerationEvent[]) => events.flatMap((e) => (e.type === 'token' ? [e.tokenId] : []));
    assert.deepEqual(tokens(assisted.events), tokens(plain.events));
    assert.deepEqual(assisted.events.map((e) => e.type).slice(-2), ['finish', 'done']);
  });

  it('an abort between steps ends with finishReason aborted and the tokens verified so far', async () => {
    const controller = new AbortController();
    const model = new FakeLanguageModel(hashLogits, {
      vocabSize: VOCAB,
      onForward: (input) => {
        if (input.logits === 'all' && input.seqLen > 1) controller.abort();
      },
    });
    const assistant = assistantOf(hashLogits);
    const config = configOf({ max_new_tokens: 50, num_assistant_tokens: 3, assistant_model: 'a', eos_token_id: [] });
    const result = await generate(model, tokenizer, { prompts: [[1, 2]], config, assistant, signal: controller.signal }).result();
    const sequence = result.sequences[0]!;
    assert.equal(sequence.finishReason, 'aborted');
    assert.ok(sequence.tokenIds.length <= 5, `${sequence.tokenIds.length} tokens`);
    assert.equal(model.liveCaches, 0);
    assert.equal((assistant.model as FakeLanguageModel).liveCaches, 0);
  });

  it('refuses batches, several sequences, a missing assistant and a different vocabulary, naming the field and both models', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const assistant = assistantOf(hashLogits);
    const config = configOf({ assistant_model: 'assistant-dir', max_new_tokens: 3 });
    await assert.rejects(generate(model, tokenizer, { prompts: [[1], [2]], config, assistant }).result(), /batch size 1: got 2 prompts/);
    await assert.rejects(
      generate(model, tokenizer, { prompts: [[1]], config: configOf({ assistant_model: 'a', do_sample: true, num_return_sequences: 2 }), assistant }).result(),
      /num_return_sequences = 2 must be 1/,
    );
    await assert.rejects(generate(model, tokenizer, { prompts: [[1]], config }).result(), /assistant_model "assistant-dir" is set but no assistant model was loaded/);
    const other = { model: new FakeLanguageModel(hashLogits, { vocabSize: VOCAB }), tokenizer: new CharTokenizer('zyxwvutsrqponmlkjihgfedcba .\n'), name: '/models/other' };
    await assert.rejects(generate(model, tokenizer, { prompts: [[1]], config, assistant: other }).result(), (error: unknown) => {
      assert.ok(InkwellError.is(error));
      assert.match(error.message, /assistant model \/models\/other does not share the vocabulary of the main model .*token id 0 is "z" there but "a" here/);
      assert.equal(error.details.field, 'assistant_model');
      return true;
    });
    const wider = { model: new FakeLanguageModel(hashLogits, { vocabSize: VOCAB + 3 }), tokenizer, name: '/models/wide' };
    await assert.rejects(generate(model, tokenizer, { prompts: [[1]], config, assistant: wider }).result(), /\/models\/wide .*logits width 33 vs 30/);
  });
});
