import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebviewMessage } from '../../../../extension/panel/webviewMessageSchema';

describe('parseWebviewMessage', () => {
  it('accepts each message the webview sends', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'setConfig', seq: 3, generation: { temperature: 0.5 } },
      { type: 'generate', runId: 1, prompt: 'def f():', generation: {} },
      { type: 'stopGenerate', runId: 1 },
      { type: 'distribution', seq: 9, prompt: 'x', generation: { do_sample: true }, topN: 10 },
    ]) {
      assert.deepEqual(parseWebviewMessage(message), { ok: true, message });
    }
  });

  it('rejects unknown types, extra fields and wrong shapes', () => {
    for (const raw of [
      null,
      'ready',
      { type: 'delete-everything' },
      { type: 'ready', extra: 1 },
      { type: 'setConfig', seq: -1, generation: {} },
      { type: 'setConfig', seq: 1, generation: [] },
      { type: 'distribution', seq: 1, prompt: 'x', generation: {}, topN: 1000 },
      { type: 'generate', runId: 1, generation: {} },
    ]) {
      assert.equal(parseWebviewMessage(raw).ok, false, JSON.stringify(raw));
    }
  });
});
