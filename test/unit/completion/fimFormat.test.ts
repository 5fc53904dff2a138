import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fimFormat, type FimPiece } from '../../../sidecar/completion/fimFormat';
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

  it('a model folder that declares SPM gets the StarCoder SPM form with its own markers; undeclared stays PSM', () => {
    const vocab: Record<string, number> = { '<|fim_prefix|>': 5, '<|fim_suffix|>': 6, '<|fim_middle|>': 7 };
    const plain = fimFormat({ tokenToId: (t) => vocab[t] })!;
    assert.equal(plain.order, 'psm');
    assert.equal(plain.spm, undefined);
    const declared = fimFormat({ tokenToId: (t) => vocab[t] }, 'spm')!;
    assert.equal(declared.order, 'spm');
    // Bavarian et al. 2022: <PRE><SUF>suffix<MID>prefix.
    assert.deepEqual(pieces(declared.spm), [['token', 5], ['token', 6], ['suffix'], ['token', 7], ['prefix']]);
    assert.deepEqual(pieces(declared.psm), pieces(plain.psm));
    assert.equal(fimFormat({ tokenToId: (t) => vocab[t] }, 'psm')!.order, 'psm');
  });

  it("a family with its own SPM form keeps it when SPM is declared (CodeLlama's spaces)", () => {
    const vocab: Record<string, number> = { '<PRE>': 1, '<SUF>': 2, '<MID>': 3, '<EOT>': 4 };
    const format = fimFormat({ tokenToId: (t) => vocab[t] }, 'spm')!;
    assert.equal(format.family, 'codellama');
    assert.deepEqual(pieces(format.spm), [['token', 1], ['text', ' '], ['token', 2], ['suffix'], ['text', ' '], ['token', 3], ['text', ' '], ['prefix']]);
  });
});
