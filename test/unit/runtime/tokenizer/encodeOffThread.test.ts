import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HfTokenizer } from '../../../../sidecar/runtime';
import { IN_PLACE_CHARACTERS } from '../../../../sidecar/runtime/tokenizer/OffThreadEncoder';
import { qwen3TokenizerDir } from '../../../support/testModels';

const read = (name: string) => JSON.parse(readFileSync(join(qwen3TokenizerDir, name), 'utf8')) as Record<string, unknown>;

describe('HfTokenizer.encodeOffThread', () => {
  it('gives the ids encode gives, in place for short texts and in the worker for long ones, concurrently', async () => {
    const tokenizer = new HfTokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
    try {
      const source = readFileSync(join(__dirname, '..', '..', '..', '..', 'sidecar', 'runtime', 'tokenizer', 'HfTokenizer.ts'), 'utf8');
      const texts = [
        'def f(x):\n    return x',
        source.repeat(Math.ceil((IN_PLACE_CHARACTERS * 3) / source.length)),
        `<|im_start|>user\n${source}`.repeat(8),
        'ünïcödé 🦔 '.repeat(3000),
      ];
      assert.ok(texts.filter((t) => t.length > IN_PLACE_CHARACTERS).length >= 3, 'most texts go to the worker');
      for (const addSpecialTokens of [false, true]) {
        const off = await Promise.all(texts.map((t) => tokenizer.encodeOffThread(t, { addSpecialTokens })));
        assert.deepEqual(off, texts.map((t) => tokenizer.encode(t, { addSpecialTokens })));
      }
    } finally {
      await tokenizer.dispose();
    }
  });

  it('after dispose a long text is refused, a short one still encodes', async () => {
    const tokenizer = new HfTokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
    await tokenizer.encodeOffThread('x'.repeat(IN_PLACE_CHARACTERS + 1));
    await tokenizer.dispose();
    await assert.rejects(tokenizer.encodeOffThread('x'.repeat(IN_PLACE_CHARACTERS + 1)), /disposed/);
    assert.deepEqual(await tokenizer.encodeOffThread('hello'), tokenizer.encode('hello'));
  });
});
