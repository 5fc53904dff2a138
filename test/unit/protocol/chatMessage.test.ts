import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatMessagesSchema, generateParamsSchema } from '../../../sidecar/protocol';

describe('ChatMessage: one schema for the wire, the CLI and the template', () => {
  it('takes the roles chat templates know, tool included', () => {
    for (const role of ['system', 'user', 'assistant', 'tool']) assert.ok(ChatMessagesSchema.safeParse([{ role, content: 'x' }]).success, role);
  });

  it('refuses an unknown role, an unknown key (naming it), a non-string content and no messages', () => {
    assert.ok(!ChatMessagesSchema.safeParse([{ role: 'developer', content: 'x' }]).success);
    const extra = ChatMessagesSchema.safeParse([{ role: 'user', content: 'x', name: 'bob' }]);
    assert.ok(!extra.success && extra.error.issues.some((i) => i.code === 'unrecognized_keys' && i.keys.includes('name')));
    assert.ok(!ChatMessagesSchema.safeParse([{ role: 'user', content: 3 }]).success);
    assert.ok(!ChatMessagesSchema.safeParse([]).success);
  });

  it('inkwell/generate validates messages with it', () => {
    assert.ok(generateParamsSchema.safeParse({ messages: [{ role: 'tool', content: '{}' }] }).success);
    assert.ok(!generateParamsSchema.safeParse({ messages: [{ role: 'user', content: 'x', extra: 1 }] }).success);
  });
});
