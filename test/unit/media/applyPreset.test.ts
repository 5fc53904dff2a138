import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPreset, matchingPreset } from '../../../media/panel/applyPreset';
import type { Preset } from '../../../sidecar/protocol';

const precise: Preset = { name: 'Precise', description: '', generation: { do_sample: false } };
const balanced: Preset = { name: 'Balanced', description: '', generation: { do_sample: true, temperature: 0.4, top_k: 40, top_p: 0.9 } };
const creative: Preset = { name: 'Creative', description: '', generation: { do_sample: true, temperature: 0.75, top_k: 50, top_p: 0.95, repetition_penalty: 1.1 } };
const all = [precise, balanced, creative];

describe('applyPreset', () => {
  it("resets what any preset sets, so one preset does not inherit another's keys", () => {
    const fromCreative = applyPreset(creative.generation, balanced, all);
    assert.deepEqual(fromCreative, balanced.generation);
    assert.deepEqual(applyPreset(creative.generation, precise, all), { do_sample: false });
  });

  it('keeps keys no preset touches', () => {
    assert.deepEqual(applyPreset({ max_new_tokens: 64, stop_strings: ['\n\n'], temperature: 2 }, balanced, all), { max_new_tokens: 64, stop_strings: ['\n\n'], ...balanced.generation });
  });
});

describe('matchingPreset', () => {
  it('finds the preset a config matches on every governed key', () => {
    assert.equal(matchingPreset({ ...creative.generation, max_new_tokens: 10 }, all)?.name, 'Creative');
    assert.equal(matchingPreset({ do_sample: false }, all)?.name, 'Precise');
    assert.equal(matchingPreset({ ...balanced.generation, temperature: 0.5 }, all), undefined);
  });
});
