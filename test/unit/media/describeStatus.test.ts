import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeStatus } from '../../../media/panel/StatusLine';
import type { StatusInfo } from '../../../sidecar/protocol';

const base: StatusInfo = {
  state: 'ready',
  model: { dir: '/m/coder', name: 'coder', modelType: 'llama', dtype: 'q4', executionProvider: 'cpu', vocabSize: 8, maxPositions: 64, loadMs: 5, attempts: [], fim: true },
  memory: { rssMb: 100, heapUsedMb: 20 },
  queue: { running: 0, waiting: 0 },
  completions: { requests: 0, served: 0, cacheHits: 0, cancelled: 0, reusedTokens: 0, prefillTokens: 0 },
};

describe('describeStatus', () => {
  it('names the state, model, provider and dtype', () => {
    assert.equal(describeStatus(base), 'ready · coder · cpu · q4');
  });

  it('adds speed, the assistant and its acceptance when there are any', () => {
    const status: StatusInfo = {
      ...base,
      lastTokensPerSecond: 41.25,
      model: { ...base.model!, assistant: { dir: '/m/tiny', name: 'tiny', dtype: 'q4' } },
      completions: { ...base.completions, assisted: { drafted: 40, accepted: 30, acceptanceRate: 0.75, tokensPerMainForward: 2.5 } },
    };
    assert.equal(describeStatus(status), 'ready · coder · cpu · q4 · 41.3 tok/s · assistant tiny · drafts 75% accepted, 2.50 tok/forward');
  });

  it("shows the model's warnings (an unused generation_config.json)", () => {
    const status: StatusInfo = { ...base, model: { ...base.model!, warnings: ["the model's generation_config.json is not used (HF's defaults apply instead): top_p = 2 is out of range: must be > 0 and <= 1"] } };
    assert.equal(describeStatus(status), "ready · coder · cpu · q4 · warning: the model's generation_config.json is not used (HF's defaults apply instead): top_p = 2 is out of range: must be > 0 and <= 1");
  });
});
