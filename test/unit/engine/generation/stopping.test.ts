import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../sidecar/engine/generation/generate';
import { CharTokenizer } from '../support/CharTokenizer';
import { collect } from '../support/collect';
import { configOf } from '../support/configOf';
import { FakeLanguageModel, hashLogits, scriptedLogits } from '../support/FakeLanguageModel';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .\n';
const tokenizer = new CharTokenizer(ALPHABET);
const EOS = ALPHABET.length;
const VOCAB = ALPHABET.length + 1;

function scripted(prompt: number[], text: string) {
  return new FakeLanguageModel(scriptedLogits(prompt.length, tokenizer.encode(text), EOS), { vocabSize: VOCAB });
}

describe('generate: stopping', () => {
  it('stops on a stop string spanning several tokens and trims it from the text', async () => {
    const prompt = tokenizer.encode('go');
    const model = scripted(prompt, 'hiEhoENDmore');
    const config = configOf({ max_new_tokens: 40, stop_strings: ['END', '\n\n'] });
    const { result, deltas } = await collect(generate(model, tokenizer, { prompts: [prompt], config }));
    const [sequence] = result.sequences;
    assert.equal(sequence!.finishReason, 'stop-string');
    assert.equal(sequence!.text, 'hiEho');
    // The tokens up to the one completing the stop string are kept, as HF does.
    assert.equal(tokenizer.decode(sequence!.tokenIds), 'hiEhoEND');
    const parts = deltas.get(0)!;
    assert.equal(parts.join(''), 'hiEho');
    // "E" was held back (it could start "END") and released only when "h" ruled that out.
    // Eight token events (h i E h o E N D), then the finish event.
    assert.deepEqual(parts, ['h', 'i', '', 'Eh', 'o', '', '', '', '']);
  });

  it('picks the earliest stop string when several match', async () => {
    const prompt = tokenizer.encode('x');
    const model = scripted(prompt, 'ab\n\ncdEND');
    const { sequences } = await generate(model, tokenizer, {
      prompts: [prompt],
      config: configOf({ max_new_tokens: 40, stop_strings: ['cdEND', 'b\n'] }),
    }).result();
    assert.equal(sequences[0]!.text, 'a');
  });

  it('ends on EOS (from the config or the tokenizer) without putting it in the text', async () => {
    const prompt = tokenizer.encode('x');
    const viaTokenizer = await generate(scripted(prompt, 'done'), tokenizer, { prompts: [prompt], config: configOf({ max_new_tokens: 40 }) }).result();
    assert.equal(viaTokenizer.sequences[0]!.finishReason, 'eos');
    assert.equal(viaTokenizer.sequences[0]!.text, 'done');
    assert.equal(viaTokenizer.sequences[0]!.tokenIds.at(-1), EOS);
    // With eos_token_id in the config, "n" (id 13) ends the sequence instead.
    const viaConfig = await generate(scripted(prompt, 'done'), tokenizer, { prompts: [prompt], config: configOf({ max_new_tokens: 40, eos_token_id: [13, EOS] }) }).result();
    assert.equal(viaConfig.sequences[0]!.text, 'do');
    assert.equal(viaConfig.sequences[0]!.finishReason, 'eos');
  });

  it('honours min_new_tokens by masking EOS', async () => {
    const prompt = tokenizer.encode('x');
    const { sequences } = await generate(scripted(prompt, 'ab'), tokenizer, { prompts: [prompt], config: configOf({ max_new_tokens: 4, min_new_tokens: 4 }) }).result();
    assert.equal(sequences[0]!.tokenIds.length, 4);
    assert.ok(!sequences[0]!.tokenIds.includes(EOS));
    assert.equal(sequences[0]!.finishReason, 'length');
  });

  it('stops at max_time, measured on the injected clock', async () => {
    let now = 1000;
    const clock = { now: () => now };
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB, onForward: () => (now += 100) });
    const config = configOf({ max_new_tokens: 50, max_time: 0.25, suppress_tokens: [EOS] });
    const { sequences, timings } = await generate(model, tokenizer, { prompts: [[1, 2]], config, clock }).result();
    // Forwards end at 100, 200, 300 ms; the first check past 250 ms is after the third token.
    assert.equal(sequences[0]!.tokenIds.length, 3);
    assert.equal(sequences[0]!.finishReason, 'max-time');
    assert.equal(timings.prefillMs, 100);
    assert.equal(timings.prefillTokens, 2);
    assert.equal(timings.prefillTokensPerSecond, 20);
    assert.equal(sequences[0]!.timings.timeToFirstTokenMs, 100);
    assert.equal(sequences[0]!.timings.decodeMs, 200);
    assert.equal(timings.decodeSteps, 2);
    assert.equal(timings.overheadMs, 0, 'the fake clock does not move outside forward()');
  });

  it('abort mid-generation returns the partial result with finishReason "aborted"', async () => {
    const controller = new AbortController();
    const model = new FakeLanguageModel(hashLogits, {
      vocabSize: VOCAB,
      // Abort while the 4th forward is running: its token is still chosen, then the loop stops.
      onForward: () => {
        if (model.forwards.length === 4) controller.abort();
      },
    });
    const config = configOf({ max_new_tokens: 50, suppress_tokens: [EOS] });
    const { result, deltas, events } = await collect(generate(model, tokenizer, { prompts: [[1, 2]], config, signal: controller.signal }));
    const [sequence] = result.sequences;
    assert.equal(sequence!.finishReason, 'aborted');
    assert.equal(sequence!.tokenIds.length, 4);
    assert.equal(sequence!.text, tokenizer.decode(sequence!.tokenIds));
    assert.equal(deltas.get(0)!.join(''), sequence!.text);
    assert.equal(events.at(-1)!.type, 'done');
    assert.equal(model.liveCaches, 0);
  });

  it('an abort that reaches forward() itself, or comes before the start, is not an error', async () => {
    const controller = new AbortController();
    controller.abort();
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const { sequences } = await generate(model, tokenizer, { prompts: [[1]], config: configOf({}), signal: controller.signal }).result();
    assert.equal(sequences[0]!.finishReason, 'aborted');
    assert.deepEqual(sequences[0]!.tokenIds, []);

    const late = new AbortController();
    const throwing = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB, onForward: () => throwing.forwards.length === 3 && late.abort() });
    // The fake model checks the signal on entry, so the 4th forward rejects with an AbortError.
    const run = await generate(throwing, tokenizer, { prompts: [[1]], config: configOf({ max_new_tokens: 9, suppress_tokens: [EOS] }), signal: late.signal }).result();
    assert.equal(run.sequences[0]!.finishReason, 'aborted');
    assert.equal(run.sequences[0]!.tokenIds.length, 3);
  });

  it('leaving a for-await early aborts the generation; result() still resolves', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const run = generate(model, tokenizer, { prompts: [[1]], config: configOf({ max_new_tokens: 1000, suppress_tokens: [EOS] }) });
    let tokens = 0;
    for await (const event of run) {
      if (event.type === 'token' && ++tokens === 5) break;
    }
    const { sequences } = await run.result();
    assert.equal(sequences[0]!.finishReason, 'aborted');
    assert.ok(sequences[0]!.tokenIds.length < 1000);
  });

  it('model failures reject result() and the iterator', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB, onForward: () => { if (model.forwards.length === 2) throw new Error('gpu on fire'); } });
    const run = generate(model, tokenizer, { prompts: [[1]], config: configOf({ max_new_tokens: 5, suppress_tokens: [EOS] }) });
    await assert.rejects(run.result(), /gpu on fire/);
    await assert.rejects(collect(run), /gpu on fire/);
    assert.equal(model.liveCaches, 0);
  });
});
