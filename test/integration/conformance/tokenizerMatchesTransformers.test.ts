import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readModelFolder } from '../../../sidecar/runtime/model/modelFolder';
import { ChatTemplate } from '../../../sidecar/runtime/tokenizer/ChatTemplate';
import { HfTokenizer } from '../../../sidecar/runtime/tokenizer/HfTokenizer';
import { conformanceFixtures } from '../../support/conformanceFixtures';

/**
 * Each fixture's tokenizer files, read the way loadModel reads them, against transformers'
 * tokenizer (encode with and without special tokens, decode) and apply_chat_template.
 */
for (const fixture of conformanceFixtures()) {
  describe(`conformance ${fixture.name}: tokenizer and chat template equal transformers`, () => {
    const folder = readModelFolder(fixture.dir);
    const tokenizer = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig, []);

    for (const golden of fixture.goldens.tokenization) {
      it(`encodes and decodes ${JSON.stringify(golden.text)}`, () => {
        assert.deepEqual(tokenizer.encode(golden.text, { addSpecialTokens: true }), golden.ids, 'with special tokens');
        assert.deepEqual(tokenizer.encode(golden.text, { addSpecialTokens: false }), golden.idsNoSpecial, 'without');
        assert.equal(tokenizer.decode(golden.idsNoSpecial), golden.decoded, 'decode');
        assert.equal(tokenizer.decode(golden.idsNoSpecial, { skipSpecialTokens: true }), golden.decodedSkipSpecial, 'decode, skip special');
      });
    }

    const chat = ChatTemplate.fromTokenizerConfig(folder.tokenizerConfig, folder.chatTemplateFile);
    if (fixture.goldens.chat.length === 0) {
      it('has no chat template, as transformers saw it', () => assert.equal(chat, undefined));
    }
    for (const [i, golden] of fixture.goldens.chat.entries()) {
      it(`chat ${i} (${golden.messages.length} messages, add_generation_prompt ${golden.addGenerationPrompt}): same text and ids`, async () => {
        assert.ok(chat, 'tokenizer_config.json has a chat_template');
        const text = await chat.render(golden.messages, golden.addGenerationPrompt);
        assert.equal(text, golden.text);
        // apply_chat_template(tokenize=True) encodes the rendering without adding special tokens.
        assert.deepEqual(tokenizer.encode(text, { addSpecialTokens: false }), golden.ids);
      });
    }
  });
}
