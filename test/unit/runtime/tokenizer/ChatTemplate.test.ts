import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatTemplate } from '../../../../sidecar/runtime/tokenizer/ChatTemplate';

describe('ChatTemplate.fromTokenizerConfig', () => {
  const messages = [{ role: 'user' as const, content: 'hi' }];

  it('reads chat_template from tokenizer_config.json', () => {
    const chat = ChatTemplate.fromTokenizerConfig({ chat_template: '[{{ messages[0].content }}]' });
    assert.equal(chat?.render(messages), '[hi]');
  });

  it("prefers the folder's chat_template.jinja, as transformers does when loading", () => {
    const chat = ChatTemplate.fromTokenizerConfig({ chat_template: '[{{ messages[0].content }}]' }, '<{{ messages[0].content }}>');
    assert.equal(chat?.render(messages), '<hi>');
  });

  it('takes chat_template.jinja alone (transformers 4.5x saves the template only there)', () => {
    const chat = ChatTemplate.fromTokenizerConfig({}, '{{ messages[0].content }}{% if add_generation_prompt %}!{% endif %}');
    assert.equal(chat?.render(messages, true), 'hi!');
    assert.equal(chat?.render(messages, false), 'hi');
  });

  it('is undefined without either', () => {
    assert.equal(ChatTemplate.fromTokenizerConfig({}), undefined);
  });
});
