import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../sidecar/engine/generation/generate';
import { collect } from '../support/collect';
import { configOf } from '../support/configOf';
import { FakeLanguageModel, scriptedLogits } from '../support/FakeLanguageModel';
import { qwenTokenizer } from '../support/qwenTokenizer';

const QWEN_LOGITS = 151_936; // Qwen's head is wider than its 151,669 ids
const IM_END = 151_645;

describe('generate: streaming with the real Qwen3 byte-level tokenizer', () => {
  const tokenizer = qwenTokenizer();

  async function stream(text: string, stopStrings: string[] = []) {
    const prompt = tokenizer.encode('Say it:');
    const script = tokenizer.encode(text);
    const model = new FakeLanguageModel(scriptedLogits(prompt.length, script, IM_END), { vocabSize: QWEN_LOGITS });
    const config = configOf({ max_new_tokens: 200, ...(stopStrings.length > 0 && { stop_strings: stopStrings }) });
    const { result, deltas } = await collect(generate(model, tokenizer, { prompts: [prompt], config }));
    return { script, sequence: result.sequences[0]!, deltas: deltas.get(0)! };
  }

  it('never emits a broken character; the deltas concatenate to the final text', async () => {
    const text = 'Hello 😀 world 你好吗 ✨🧑‍💻 done';
    const { script, sequence, deltas } = await stream(text);
    // The fixture really splits characters across tokens: some single tokens decode to U+FFFD.
    assert.ok(script.some((id) => tokenizer.decode([id]).includes('\uFFFD')), 'a character spans tokens');
    assert.equal(sequence.finishReason, 'eos');
    assert.equal(sequence.text, text);
    assert.equal(deltas.join(''), text);
    for (const delta of deltas) assert.ok(!delta.includes('\uFFFD'), `delta ${JSON.stringify(delta)}`);
    // Some tokens emitted nothing (the first bytes of a character) and a later one emitted it whole.
    assert.ok(deltas.includes('') && deltas.some((d) => d.includes('✨')));
  });

  it('trims a stop string that starts and ends inside tokens, and never streams any part of it', async () => {
    const text = 'The end.\n\nSTOP here';
    const { sequence, deltas } = await stream(text, ['d.\n']);
    assert.equal(sequence.finishReason, 'stop-string');
    assert.equal(sequence.text, 'The en');
    assert.equal(deltas.join(''), 'The en');
  });

  it('a stop string made of a multi-byte character split over tokens', async () => {
    const { sequence, deltas } = await stream('ok ✨ then more', ['✨']);
    assert.equal(sequence.text, 'ok ');
    assert.equal(deltas.join(''), 'ok ');
  });
});
