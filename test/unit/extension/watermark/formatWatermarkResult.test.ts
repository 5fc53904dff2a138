import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DetectWatermarkResult } from '../../../../sidecar/protocol';
import { formatP, formatWatermarkResult } from '../../../../extension/watermark/formatWatermarkResult';

const result: DetectWatermarkResult = {
  verdict: 'watermarked',
  scored: 193,
  green: 103,
  greenFraction: 103 / 193,
  z: 9.0957,
  p: 4.46e-20,
  zThreshold: 4,
  minTokens: 16,
  ignoreRepeatedNgrams: true,
  hashingKey: 15485863,
  greenlistRatio: 0.25,
  contextWidth: 1,
  tokens: [
    { start: 0, end: 4, status: 'unscored' },
    { start: 4, end: 8, status: 'green' },
    { start: 8, end: 9, status: 'red' },
    { start: 9, end: 13, status: 'repeated' },
  ],
  spansExact: true,
  detectMs: 3.2,
};

describe('formatWatermarkResult', () => {
  it('summarises verdict, z, p, tokens scored and the green share in one line', () => {
    assert.equal(
      formatWatermarkResult(result, 'a.py').summary,
      'Inkwell: watermarked — z = 9.10, p = 4.46e-20, 193 tokens scored (53.4% green)',
    );
  });

  it('details name the place, threshold, counts, skipped tokens and key', () => {
    const details = formatWatermarkResult(result, 'a.py (lines 3–9)').details.join('\n');
    assert.match(details, /on a\.py \(lines 3–9\): watermarked/);
    assert.match(details, /threshold 4/);
    assert.match(details, /103 of 193 scored tokens green/);
    assert.match(details, /2 tokens skipped/);
    assert.match(details, /key 15485863, context width 1/);
    assert.doesNotMatch(details, /approximate/);
  });

  it('says when spans are approximate, and words the other verdicts', () => {
    const short = formatWatermarkResult({ ...result, verdict: 'too-short', spansExact: false }, 'x');
    assert.match(short.summary, /^Inkwell: too short to tell/);
    assert.match(short.details.join('\n'), /approximate/);
    assert.match(formatWatermarkResult({ ...result, verdict: 'not-watermarked' }, 'x').summary, /^Inkwell: not watermarked/);
  });

  it('formatP: exponent form in the tail, 3 significant digits otherwise', () => {
    assert.equal(formatP(0.0404), '0.0404');
    assert.equal(formatP(0.5), '0.500');
    assert.equal(formatP(6.96e-7), '6.96e-7');
    assert.equal(formatP(0), '0');
  });
});
