import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusInfo } from '../../../sidecar/protocol';
import { formatStatusBar } from '../../../extension/status/formatStatusBar';

const base: StatusInfo = {
  state: 'ready',
  memory: { rssMb: 300, heapUsedMb: 40 },
  queue: { running: 1, waiting: 2 },
  completions: { requests: 0, served: 0, cacheHits: 0, cancelled: 0, reusedTokens: 0, prefillTokens: 0 },
};
const model = {
  dir: '/m/demo', name: 'demo', modelType: 'llama', dtype: 'q4', executionProvider: 'cpu', vocabSize: 8192,
  maxPositions: 2048, loadMs: 100, attempts: [], fim: false,
};

describe('formatStatusBar', () => {
  it('ready shows the provider and the last tokens/s', () => {
    const view = formatStatusBar({ lifecycle: 'running', status: { ...base, model, lastTokensPerSecond: 41.6 }, completionsEnabled: true });
    assert.equal(view.text, '$(sparkle) Inkwell: ready · cpu · 42 tok/s');
    assert.match(view.tooltip, /Model: demo/);
    assert.match(view.tooltip, /Dtype: q4/);
    assert.match(view.tooltip, /Provider: cpu/);
    assert.match(view.tooltip, /Memory: 300 MB/);
    assert.match(view.tooltip, /Queue: 1 running, 2 waiting/);
    assert.equal(view.error, false);
  });

  it('every state word', () => {
    const text = (input: Parameters<typeof formatStatusBar>[0]) => formatStatusBar(input).text.replace('$(sparkle) ', '');
    assert.equal(text({ lifecycle: 'starting', completionsEnabled: true }), 'Inkwell: starting');
    assert.equal(text({ lifecycle: 'running', status: { ...base, state: 'starting' }, completionsEnabled: true }), 'Inkwell: starting');
    assert.equal(text({ lifecycle: 'running', status: { ...base, state: 'loading' }, completionsEnabled: true }), 'Inkwell: loading');
    assert.equal(text({ lifecycle: 'running', status: { ...base, model }, completionsEnabled: true }), 'Inkwell: ready · cpu');
    assert.equal(text({ lifecycle: 'running', status: { ...base, state: 'error', error: { code: 'model-invalid', message: 'x' } }, completionsEnabled: true }), 'Inkwell: error');
    assert.equal(text({ lifecycle: 'running', status: { ...base, model }, completionsEnabled: false }), 'Inkwell: off');
    assert.equal(text({ lifecycle: 'restarting', status: { ...base, model }, completionsEnabled: true }), 'Inkwell: restarting');
    assert.equal(text({ lifecycle: 'failed', completionsEnabled: true }), 'Inkwell: error');
  });

  it('a failed load with a previous model still serving stays ready, with the error in the tooltip', () => {
    const view = formatStatusBar({ lifecycle: 'running', status: { ...base, model, error: { code: 'model-not-found', message: '/x does not exist' } }, completionsEnabled: true });
    assert.equal(view.text, '$(sparkle) Inkwell: ready · cpu');
    assert.match(view.tooltip, /Last error: \/x does not exist/);
  });
});
