import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCompletionPrompt } from '../../../sidecar/completion/buildCompletionPrompt';
import { fimFormat } from '../../../sidecar/completion/fimFormat';
import { healPromptTail, TokenTexts } from '../../../sidecar/completion/healPromptTail';
import { qwen3Tokenizer } from './support/tokenizers';

const qwen = qwen3Tokenizer();
const vocab = new TokenTexts(qwen);
const encode = (t: string) => qwen.encode(t);

describe('token healing', () => {
  it('TokenTexts.startingWith finds exactly the ids whose text starts with the prefix (checked by a full scan)', () => {
    for (const prefix of [' Capt', 'retur', ' con', 'ü', 'x']) {
      const scan: number[] = [];
      for (let id = 0; id < qwen.vocabSize; id++) if (vocab.text(id)?.startsWith(prefix)) scan.push(id);
      assert.deepEqual([...vocab.startingWith(prefix)].sort((a, b) => a - b), scan, prefix);
      assert.ok(scan.length > 1, `${prefix}: the case needs several tokens`);
    }
  });

  for (const order of ['psm', 'spm'] as const) {
    it(`${order.toUpperCase()}: a cursor inside a word takes the prefix's last token off and allows only tokens that start with its text`, () => {
      const format = fimFormat(qwen, order === 'spm' ? 'spm' : undefined)!;
      const text = 'const seen = new Set();\nContext.Captur\nreturn seen;\n';
      const cursor = text.indexOf('Captur') + 'Captur'.length;
      const prompt = buildCompletionPrompt({ text, cursor, format, encode, budget: 256 });
      const healed = healPromptTail(prompt, vocab);
      const removed = prompt.ids[prompt.prefixEnd - 1]!;
      assert.equal(healed.healed, qwen.decode([removed]));
      assert.ok('Context.Captur'.endsWith(healed.healed) && healed.healed.length > 0);
      assert.deepEqual(healed.ids, [...prompt.ids.slice(0, prompt.prefixEnd - 1), ...prompt.ids.slice(prompt.prefixEnd)]);
      assert.ok(healed.firstTokens!.includes(removed));
      assert.ok(healed.firstTokens!.every((id) => qwen.decode([id]).startsWith(healed.healed)));
      assert.ok(healed.firstTokens!.some((id) => qwen.decode([id]) === `${healed.healed}ed` || qwen.decode([id]).startsWith(`${healed.healed}e`)), 'the word can go on');
    });
  }

  it('heals after whitespace and punctuation too: the first token must start with the space or bracket the cursor follows', () => {
    const format = fimFormat(qwen)!;
    for (const [text, cut] of [['x = ', ' '], ['print(', '('], ['x = 1\n    ', '    ']] as const) {
      const prompt = buildCompletionPrompt({ text, cursor: text.length, format, encode, budget: 256 });
      const healed = healPromptTail(prompt, vocab);
      const removed = prompt.ids[prompt.prefixEnd - 1]!;
      assert.equal(healed.healed, qwen.decode([removed]), JSON.stringify(text));
      assert.ok(healed.healed.endsWith(cut) && text.endsWith(healed.healed), JSON.stringify([text, healed.healed]));
      assert.ok(healed.firstTokens!.length > 1 && healed.firstTokens!.every((id) => qwen.decode([id]).startsWith(healed.healed)));
      assert.deepEqual(healed.ids, [...prompt.ids.slice(0, prompt.prefixEnd - 1), ...prompt.ids.slice(prompt.prefixEnd)]);
    }
  });

  it('leaves the prompt alone when no longer token starts with the last one, or the prefix has a single token', () => {
    const format = fimFormat(qwen)!;
    // A token no longer token extends, found by scanning the vocabulary (the tokenizer must also encode its text to it alone).
    let end: string | undefined;
    for (let id = 1000; id < qwen.vocabSize && end === undefined; id++) {
      const t = vocab.text(id);
      if (t !== undefined && /^[a-z]{4,}$/.test(t) && vocab.startingWith(t).length === 1 && qwen.encode(`x.${t}`).at(-1) === id) end = t;
    }
    assert.ok(end !== undefined, 'the vocabulary has an unextended token');
    for (const text of [`x.${end}`, 'x']) {
      const prompt = buildCompletionPrompt({ text, cursor: text.length, format, encode, budget: 256 });
      const healed = healPromptTail(prompt, vocab);
      assert.equal(healed.firstTokens, undefined, JSON.stringify(text));
      assert.deepEqual(healed.ids, prompt.ids);
    }
  });
});
