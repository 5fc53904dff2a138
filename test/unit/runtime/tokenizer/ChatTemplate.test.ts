import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { ChatTemplate } from '../../../../sidecar/runtime/tokenizer/ChatTemplate';

const messages = [{ role: 'user' as const, content: 'hi' }];
const made: ChatTemplate[] = [];
after(() => made.forEach((t) => t.dispose()));

function template(config: Record<string, unknown>, file?: string): ChatTemplate {
  const chat = ChatTemplate.fromTokenizerConfig(config, file);
  assert.ok(chat);
  made.push(chat);
  return chat;
}

describe('ChatTemplate.fromTokenizerConfig', () => {
  it('reads chat_template from tokenizer_config.json', async () => {
    assert.equal(await template({ chat_template: '[{{ messages[0].content }}]' }).render(messages), '[hi]');
  });

  it("prefers the folder's chat_template.jinja, as transformers does when loading", async () => {
    assert.equal(await template({ chat_template: '[{{ messages[0].content }}]' }, '<{{ messages[0].content }}>').render(messages), '<hi>');
  });

  it('takes chat_template.jinja alone (transformers 4.5x saves the template only there)', async () => {
    const chat = template({}, '{{ messages[0].content }}{% if add_generation_prompt %}!{% endif %}');
    assert.equal(await chat.render(messages, true), 'hi!');
    assert.equal(await chat.render(messages, false), 'hi');
  });

  it('is undefined without either', () => {
    assert.equal(ChatTemplate.fromTokenizerConfig({}), undefined);
  });
});

// A chat template is code from the model folder. Rendered on the calling
// thread, range(10**9) killed the process (V8's "invalid size" is fatal) and a nested loop
// blocked it for hours. Each hostile template must end in an InkwellError naming the file and
// the limit, and the next render must work.
describe('ChatTemplate: hostile templates are stopped, and the next render works', () => {
  async function rejectsNaming(chat: ChatTemplate, pattern: RegExp): Promise<void> {
    await assert.rejects(chat.render(messages), (e: unknown) => {
      assert.ok(InkwellError.is(e), `expected an InkwellError, got ${String(e)}`);
      assert.match(e.message, pattern);
      return true;
    });
    assert.equal(await template({ chat_template: '[{{ messages[0].content }}]' }).render(messages), '[hi]');
  }

  // Whichever limit it reaches first (memory or time, depending on the machine) stops it.
  const stopped = /the chat template \(chat_template\.jinja\) (ended its process \(\w+\): it built a value over the 512 MB of memory, or the array size,|ran longer than the 3000 ms) Inkwell allows a template/;

  it('range(10**9) ends in an error, not a crash', { timeout: 120_000 }, async () => {
    const chat = template({}, '{% for i in range(10**9) %}{% endfor %}');
    await rejectsNaming(chat, stopped);
    // The same template object renders again on a fresh worker (and is refused again).
    await assert.rejects(chat.render(messages), stopped);
  });

  it('a nested loop of 10^12 steps is stopped at the time limit', { timeout: 120_000 }, async () => {
    const chat = template({ chat_template: '{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}' });
    await rejectsNaming(chat, /the chat template \(tokenizer_config\.json chat_template\) ran longer than the 3000 ms Inkwell allows a template/);
  });

  it('an output far longer than the messages is refused', { timeout: 120_000 }, async () => {
    const chat = template({}, `{% for i in range(20000) %}${'x'.repeat(100)}{% endfor %}`);
    await rejectsNaming(chat, /rendered 2000000 characters, over the limit of 1048580 \(1048576 plus twice the messages' length\)/);
  });

  it('a template that does not parse fails its render, naming the file', async () => {
    const chat = template({}, '{% for m in messages %}{{ m.content }');
    await rejectsNaming(chat, /the chat template \(chat_template\.jinja\) does not parse: Parser Error/);
  });
});
