import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodingCaption, formatProb, shapeDistribution } from '../../../media/panel/chartData';
import type { NextTokenDistributionResult } from '../../../sidecar/protocol';

const result: NextTokenDistributionResult = {
  tokens: [
    { id: 7, text: ' return' },
    { id: 3, text: '\n' },
    { id: 9, text: 'x' },
  ],
  stages: [
    { name: 'raw', probs: [0.5, 0.3, 0.2], kept: 151936, entropy: 1.03 },
    { name: 'temperature', probs: [0.7, 0.25, 0.05], kept: 151936, entropy: 0.74 },
    { name: 'top-k', probs: [0.74, 0.26, 0], kept: 2, entropy: 0.57 },
  ],
  decoding: 'sample',
  promptTokens: 5,
  forwardMs: 12,
  warnings: [],
};

describe('shapeDistribution', () => {
  const data = shapeDistribution(result);

  it('lists the stages in pipeline order with what each kept', () => {
    assert.deepEqual(
      data.stages.map((s) => [s.name, s.index, s.kept]),
      [
        ['raw', 0, 151936],
        ['temperature', 1, 151936],
        ['top-k', 2, 2],
      ],
    );
  });

  it('gives one row per token, in the sidecar order, with whitespace made visible', () => {
    assert.deepEqual(
      data.rows.map((r) => [r.tokenId, r.label]),
      [
        [7, '␣return'],
        [3, '⏎'],
        [9, 'x'],
      ],
    );
    assert.equal(data.rows[1]!.title, '"\\n" (id 3)');
  });

  it('gives one bar per stage, sized by probability, and marks removed tokens', () => {
    const x = data.rows[2]!;
    assert.deepEqual(
      x.bars.map((b) => [b.stage, b.fraction, b.label, b.removed]),
      [
        ['raw', 0.2, '20.0%', false],
        ['temperature', 0.05, '5.0%', false],
        ['top-k', 0, 'removed', true],
      ],
    );
  });

  it('treats missing or broken probabilities as zero and clamps to [0, 1]', () => {
    const odd = shapeDistribution({ ...result, stages: [{ name: 'raw', probs: [Number.NaN, 1.2], kept: 1, entropy: 0 }] });
    assert.deepEqual(
      odd.rows.map((r) => r.bars[0]!.fraction),
      [0, 1, 0],
    );
  });
});

describe('formatProb', () => {
  it('shows percentages, tiny values and removals', () => {
    assert.equal(formatProb(0.4123), '41.2%');
    assert.equal(formatProb(0.0004), '<0.1%');
    assert.equal(formatProb(0), 'removed');
  });
});

describe('decodingCaption', () => {
  it('says how each decoding mode uses the last stage, never just the mode name', () => {
    const modes = ['greedy', 'sample', 'beam', 'beam-sample', 'group-beam', 'contrastive'] as const;
    const captions = modes.map(decodingCaption);
    assert.equal(new Set(captions).size, modes.length);
    captions.forEach((caption, i) => assert.ok(caption.length > modes[i]!.length + 10 && caption.includes(':'), caption));
  });
});
