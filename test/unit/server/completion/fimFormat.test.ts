import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fimFormat, type FimPiece } from '../../../../sidecar/server/completion/fimFormat';
import { qwen3Tokenizer, smallTokenizer } from './support/tokenizers';

interface Case {
  name: string;
  vocab: Record<string, number>;
  family: string | null;
  prefixId?: number;
  suffixId?: number;
  middleId?: number;
  stopTokenIds?: number[];
  psm?: unknown[][];
  spm?: unknown[][] | null;
}

const golden = JSON.parse(readFileSync(join(__dirname, 'cases', 'fimFormat.json'), 'utf8')) as { cases: Case[] };

/** The golden files spell pieces as short tuples: ["token", id], ["text", " "], ["prefix"]. */
function pieces(list: readonly FimPiece[] | undefined): unknown[][] | null {
  if (list === undefined) return null;
  return list.map((p) => (p.kind === 'token' ? [p.kind, p.id] : p.kind === 'text' ? [p.kind, p.text] : [p.kind]));
}

describe('fimFormat', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const format = fimFormat({ tokenToId: (t) => c.vocab[t] });
      if (c.family === null) {
        assert.equal(format, undefined);
        return;
      }
      assert.ok(format);
      assert.equal(format.family, c.family);
      assert.deepEqual([format.prefixId, format.suffixId, format.middleId], [c.prefixId, c.suffixId, c.middleId]);
      assert.deepEqual(format.stopTokenIds, c.stopTokenIds);
      assert.deepEqual(pieces(format.psm), c.psm);
      assert.deepEqual(pieces(format.spm), c.spm);
      for (const text of format.reservedTexts) assert.notEqual(c.vocab[text], undefined, text);
    });
  }

  it('the real Qwen3 tokenizer: markers that tokenizer.json does not flag special are found', () => {
    const tokenizer = qwen3Tokenizer();
    const format = fimFormat(tokenizer);
    assert.ok(format);
    assert.equal(format.family, 'qwen');
    assert.deepEqual([format.prefixId, format.suffixId, format.middleId], [151659, 151661, 151660]);
    assert.equal(tokenizer.isSpecial(format.prefixId), false);
    // <|endoftext|>, <|fim_pad|>, <|file_sep|>, <|repo_name|>, then the three markers.
    assert.deepEqual(format.stopTokenIds, [151643, 151662, 151664, 151663, 151659, 151661, 151660]);
    assert.deepEqual(format.reservedTexts, ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>']);
    assert.equal(format.spm, undefined);
  });

  it("the generated model's tokenizer: Qwen markers, no file separators", () => {
    const tokenizer = smallTokenizer();
    const format = fimFormat(tokenizer);
    assert.ok(format);
    assert.equal(format.family, 'qwen');
    const id = (t: string) => tokenizer.tokenToId(t)!;
    assert.deepEqual(format.stopTokenIds, [id('<|endoftext|>'), id('<|fim_pad|>'), id('<|fim_prefix|>'), id('<|fim_suffix|>'), id('<|fim_middle|>')]);
    assert.equal(tokenizer.tokenToId('<|file_sep|>'), undefined);
  });
});
