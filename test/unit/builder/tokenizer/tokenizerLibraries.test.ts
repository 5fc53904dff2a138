// The written files must load in the tokenizer libraries Inkwell and its users run, and encode
// exactly as the trainer assumed: same ids in both, same ids as the independent reference encoder.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Tokenizer } from '@huggingface/tokenizers';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import {
  defaultSpecialTokens,
  defaultTokenizerCorpus,
  trainByteLevelBpe,
  writeTokenizerFiles,
  type TrainedTokenizer,
} from '../../../../sidecar/builder/tokenizer';
import { naiveEncode } from './referenceBpe';

const samples = [
  'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'def main():\n\tprint("héllo wörld", 12345, 0x1F)\n\n\n',
  '    if (x !== undefined && y?.z) { return [1, 2, 3].map((n) => n * 2); }',
  'emoji 🎉👩‍💻 and CJK 你好世界, accents café naïve, decomposed cafe\u0301 — done',
  'tabs\t\tand   spaces    \n  \r\n\r\n    trailing   ',
  '// comment with <html> & "quotes" \'single\' `template ${x}`',
  'a<|fim_prefix|>def f(x):<|fim_suffix|>\n    return x<|fim_middle|><|endoftext|>',
  '<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n',
  ' ',
  '\n',
  'x',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u0000\u0001 control \u200b zero-width',
];

describe('trained tokenizer in @huggingface/tokenizers and transformers.js', () => {
  let trained: TrainedTokenizer;
  let dir: string;
  let hf: Tokenizer;
  let tjs: PreTrainedTokenizer;

  before(async () => {
    trained = trainByteLevelBpe({ texts: [defaultTokenizerCorpus()[0].slice(0, 150_000)], vocabSize: 1500 });
    const root = mkdtempSync(join(tmpdir(), 'inkwell-tokenizer-'));
    dir = join(root, 'model');
    writeTokenizerFiles(dir, trained);
    const read = (name: string): object => JSON.parse(readFileSync(join(dir, name), 'utf8')) as object;
    hf = new Tokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
    env.allowRemoteModels = false;
    env.localModelPath = dirname(dir);
    tjs = await AutoTokenizer.from_pretrained(basename(dir));
  });

  after(() => rmSync(dirname(dir), { recursive: true, force: true }));

  it('writes the three files', () => {
    const map = JSON.parse(readFileSync(join(dir, 'special_tokens_map.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(map.eos_token, '<|endoftext|>');
    assert.equal(map.pad_token, '<|endoftext|>');
    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(config.tokenizer_class, 'PreTrainedTokenizerFast');
    assert.equal(config.bos_token, null);
    assert.equal(config.add_bos_token, false);
    assert.equal(config.clean_up_tokenization_spaces, false);
  });

  it('round-trips text exactly and both libraries agree with the reference encoder', () => {
    const { vocab, merges } = trained.tokenizerJson.model;
    for (const text of samples) {
      const ids = hf.encode(text).ids;
      assert.deepEqual(tjs.encode(text, { add_special_tokens: false }), ids, `transformers.js ids for ${JSON.stringify(text)}`);
      assert.deepEqual(naiveEncode(text, vocab, merges, trained.specialTokenIds), ids, `reference ids for ${JSON.stringify(text)}`);
      assert.equal(hf.decode(ids, { skip_special_tokens: false }), text);
      assert.equal(tjs.decode(ids, { skip_special_tokens: false }), text);
    }
  });

  it('round-trips a large slice of unseen code', () => {
    const text = defaultTokenizerCorpus()[1].slice(0, 40_000);
    const ids = hf.encode(text).ids;
    assert.deepEqual(tjs.encode(text, { add_special_tokens: false }), ids);
    assert.deepEqual(naiveEncode(text, trained.tokenizerJson.model.vocab, trained.tokenizerJson.model.merges, trained.specialTokenIds), ids);
    assert.equal(hf.decode(ids, { skip_special_tokens: false }), text);
    assert.ok(ids.length < text.length / 2.5, `compresses code (${ids.length} ids for ${text.length} chars)`);
  });

  it('encodes each special token to its own single id, never split', () => {
    for (const token of defaultSpecialTokens) {
      const id = trained.specialTokenIds[token];
      assert.equal(hf.token_to_id(token), id);
      assert.deepEqual(hf.encode(token).ids, [id]);
      assert.deepEqual(tjs.encode(token, { add_special_tokens: false }), [id]);
      assert.deepEqual(hf.encode(`x${token}y`).ids, [hf.token_to_id('x'), id, hf.token_to_id('y')]);
    }
    const ids = hf.encode('<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>').ids;
    assert.equal(hf.decode(ids, { skip_special_tokens: true }), 'ab');
  });

  it('renders ChatML with the chat template', () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ];
    const prompt = tjs.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true });
    assert.equal(prompt, '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
    const noPrompt = tjs.apply_chat_template(messages.slice(1), { tokenize: false });
    assert.equal(noPrompt, '<|im_start|>user\nHi<|im_end|>\n');
  });
});
