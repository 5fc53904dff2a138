import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { defaultTokenizerCorpus, trainByteLevelBpe } from '../../../../../sidecar/builder/tokenizer';
import { HfTokenizer } from '../../../../../sidecar/runtime/tokenizer/HfTokenizer';
import { buildCompletionPrompt } from '../../../../../sidecar/completion/buildCompletionPrompt';
import { fimFormat, type FimFormat, type FimPiece } from '../../../../../sidecar/completion/fimFormat';
import { exampleIds } from '../../../../../models/pipeline/encode/exampleIds';
import { literalEncoder } from '../../../../../models/pipeline/encode/literalEncoder';
import { pipelineSpecialTokens } from '../../../../../models/pipeline/tokenizer/tokenizerCommand';

describe('exampleIds against the server', () => {
  let tokenizer: HfTokenizer;
  let format: FimFormat;
  let encode: (text: string) => number[];
  let eosId: number;
  const pieces = {
    prefix: 'function area(r: number): number {\n  // <|endoftext|> stays text\n  return Math.PI',
    middle: ' * r * r;',
    suffix: '\n}\n\nexport { area };\n',
  };

  before(() => {
    const trained = trainByteLevelBpe({ texts: [defaultTokenizerCorpus()[0].slice(0, 60_000)], vocabSize: 700, specialTokens: pipelineSpecialTokens });
    tokenizer = new HfTokenizer(trained.tokenizerJson as unknown as Record<string, unknown>, trained.tokenizerConfigJson as unknown as Record<string, unknown>);
    format = fimFormat(tokenizer)!;
    encode = literalEncoder((t) => tokenizer.encode(t), pipelineSpecialTokens);
    eosId = tokenizer.eosTokenIds[0];
  });

  it('the pipeline tokenizer is detected as the qwen FIM family', () => {
    assert.equal(format.family, 'qwen');
    assert.equal(tokenizer.idToToken(eosId), '<|endoftext|>');
  });

  it('a PSM example is exactly the server prompt for that cursor, then the middle and EOS', () => {
    const prompt = buildCompletionPrompt({
      text: pieces.prefix + pieces.suffix,
      cursor: pieces.prefix.length,
      format,
      encode: (t) => tokenizer.encode(t),
      budget: 100_000,
    });
    assert.equal(prompt.windowStart, 0);
    assert.equal(prompt.suffixEnd, (pieces.prefix + pieces.suffix).length);
    const ids = exampleIds({ kind: 'psm', span: 'line', pieces }, { format, eosId }, encode);
    assert.deepEqual(ids.slice(0, prompt.ids.length), prompt.ids);
    assert.deepEqual(ids.slice(prompt.ids.length), [...tokenizer.encode(pieces.middle), eosId]);
    assert.ok(!ids.slice(1, prompt.ids.length - 1).includes(eosId), 'the marker text in the prefix did not become EOS');
  });

  it('an SPM example follows the StarCoder SPM template the server knows, then the middle and EOS', () => {
    const starcoder = fimFormat({ tokenToId: (t) => ({ '<fim_prefix>': format.prefixId, '<fim_suffix>': format.suffixId, '<fim_middle>': format.middleId })[t] })!;
    assert.equal(starcoder.family, 'starcoder');
    const render = (template: readonly FimPiece[]) =>
      template.flatMap((p) => (p.kind === 'token' ? [p.id] : p.kind === 'text' ? encode(p.text) : encode(p.kind === 'prefix' ? pieces.prefix : pieces.suffix)));
    const expected = [...render(starcoder.spm!), ...tokenizer.encode(pieces.middle), eosId];
    assert.deepEqual(exampleIds({ kind: 'spm', span: 'random', pieces }, { format, eosId }, encode), expected);
  });

  it('a plain example is the text and EOS, and decodes back', () => {
    const text = pieces.prefix + pieces.middle + pieces.suffix;
    const ids = exampleIds({ kind: 'plain', text }, { format, eosId }, encode);
    assert.equal(ids[ids.length - 1], eosId);
    assert.equal(tokenizer.decode(ids.slice(0, -1)), text);
  });
});
