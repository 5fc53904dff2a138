import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCompletionPrompt } from '../../../sidecar/completion/buildCompletionPrompt';
import { fimFormat } from '../../../sidecar/completion/fimFormat';
import { healingConstraint, healPromptTail, TokenTexts } from '../../../sidecar/completion/healPromptTail';
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
      const first = healed.allowedTokens!([])!;
      assert.ok(first.includes(removed));
      assert.ok(first.every((id) => qwen.decode([id]).startsWith(healed.healed)), 'a word is written by tokens that extend it, never split shorter');
      assert.ok(first.some((id) => qwen.decode([id]).startsWith(`${healed.healed}e`)), 'the word can go on');
      assert.equal(healed.allowedTokens!([removed]), undefined, 'a token that covers the cut text ends the constraint');
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
      const first = healed.allowedTokens!([])!;
      assert.ok(first.length > 1 && first.every((id) => { const t = qwen.decode([id]); return t.startsWith(healed.healed) || (t.length > 0 && healed.healed.startsWith(t)); }));
      assert.deepEqual(healed.ids, [...prompt.ids.slice(0, prompt.prefixEnd - 1), ...prompt.ids.slice(prompt.prefixEnd)]);
    }
  });

  it('cut whitespace may be written over several tokens: a cut indentation goes on with a shorter run and a space-led word', () => {
    const vocab4 = new TokenTexts(qwen);
    const healed = '    ';
    const allowed = healingConstraint(healed, vocab4);
    const id = (t: string) => qwen.encode(t)[0]!;
    // Scan: every token that begins the cut whitespace or that the cut whitespace begins with.
    const scan = (rest: string) => {
      const ids: number[] = [];
      for (let t = 0; t < qwen.vocabSize; t++) {
        const text = vocab4.text(t);
        if (text !== undefined && (text.startsWith(rest) || (rest.startsWith(text) && /^\s+$/.test(text)))) ids.push(t);
      }
      return ids.sort((a, b) => a - b);
    };
    assert.deepEqual([...allowed([])!].sort((a, b) => a - b), scan(healed));
    const three = [...allowed([])!].find((t) => vocab4.text(t) === '   ')!;
    assert.ok(three !== undefined, 'a three-space token is allowed first');
    assert.deepEqual([...allowed([three])!].sort((a, b) => a - b), scan(' '), 'then one space is still to write');
    assert.equal(allowed([three, id(' this')]), undefined, 'a token starting with the rest ends the constraint');
  });

  it('leaves the prompt alone when its last token is the only way to write its text, or the prefix has a single token', () => {
    const format = fimFormat(qwen)!;
    // A one-character token no other token begins with, found by scanning the vocabulary (the tokenizer must also encode it alone).
    let end: string | undefined;
    for (let id = 0; id < qwen.vocabSize && end === undefined; id++) {
      const t = vocab.text(id);
      if (t !== undefined && [...t].length === 1 && t.length === 1 && vocab.beginning(t).length === 1 && qwen.encode(`x.${t}`).at(-1) === id) end = t;
    }
    assert.ok(end !== undefined, 'the vocabulary has an unextended token');
    for (const text of [`x.${end}`, 'x']) {
      const prompt = buildCompletionPrompt({ text, cursor: text.length, format, encode, budget: 256 });
      const healed = healPromptTail(prompt, vocab);
      assert.equal(healed.allowedTokens, undefined, JSON.stringify(text));
      assert.deepEqual(healed.ids, prompt.ids);
    }
  });
});
