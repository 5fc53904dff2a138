import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickStrategies, strategyOverrides, strategyUsageLines, SWEEP_STRATEGIES } from '../../../../sidecar/cli/sweep/sweepStrategies';
import { mergeConfig } from '../../../../sidecar/engine/config/mergeConfig';
import { parseGenerationConfig } from '../../../../sidecar/engine/config/parseGenerationConfig';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';

/** What each strategy must be (HF's config fields for it), written out by hand. */
const EXPECTED: Record<string, { mode: string; numBeams: number; earlyStopping?: boolean | 'never'; check?: (c: ReturnType<typeof merged>) => void }> = {
  greedy: { mode: 'greedy', numBeams: 1 },
  sample: { mode: 'sample', numBeams: 1 },
  beam: { mode: 'beam', numBeams: 4, earlyStopping: false },
  'beam-early': { mode: 'beam', numBeams: 4, earlyStopping: true },
  'beam-never': { mode: 'beam', numBeams: 4, earlyStopping: 'never' },
  'beam-sample': { mode: 'beam-sample', numBeams: 4 },
  diverse: { mode: 'group-beam', numBeams: 4, check: (c) => (assert.equal(c.numBeamGroups, 2), assert.equal(c.diversityPenalty, 1)) },
  contrastive: { mode: 'contrastive', numBeams: 1, check: (c) => (assert.equal(c.penaltyAlpha, 0.6), assert.equal(c.topK, 4)) },
};

function merged(name: string, base: Record<string, unknown>) {
  const strategy = SWEEP_STRATEGIES.find((s) => s.name === name)!;
  return mergeConfig(parseGenerationConfig(base).config, strategyOverrides(strategy));
}

describe('sweep strategies', () => {
  it('each overlay gives the decoding mode it is named after, from HF defaults and from a config that samples with contrastive fields', () => {
    assert.deepEqual(SWEEP_STRATEGIES.map((s) => s.name), Object.keys(EXPECTED));
    const sampling = { do_sample: true, temperature: 0.7, top_k: 20, penalty_alpha: 0.3, num_beams: 2, early_stopping: true };
    for (const base of [{}, sampling]) {
      for (const [name, want] of Object.entries(EXPECTED)) {
        const c = merged(name, base);
        assert.equal(c.mode, want.mode, `${name} from ${JSON.stringify(base)}`);
        assert.equal(c.numBeams, want.numBeams, name);
        if (want.earlyStopping !== undefined) assert.equal(c.earlyStopping, want.earlyStopping, name);
        want.check?.(c);
      }
    }
  });

  it('picks all, or the names given in the order given', () => {
    assert.equal(pickStrategies('all').length, SWEEP_STRATEGIES.length);
    assert.equal(pickStrategies('').length, SWEEP_STRATEGIES.length);
    assert.deepEqual(pickStrategies('contrastive, greedy').map((s) => s.name), ['contrastive', 'greedy']);
  });

  it('refuses an unknown or repeated name with the allowed names', () => {
    for (const list of ['beam,gredy', 'beam,beam']) {
      assert.throws(
        () => pickStrategies(list),
        (e: unknown) => InkwellError.is(e) && e.code === 'invalid-argument' && e.details.field === 'strategies' && /greedy, sample, beam, beam-early, beam-never, beam-sample, diverse, contrastive/.test(e.message),
      );
    }
  });

  it('the usage lines show every overlay value', () => {
    const text = strategyUsageLines().join('\n');
    for (const s of SWEEP_STRATEGIES) for (const [k, v] of Object.entries(s.overlay)) assert.match(text, new RegExp(`${s.name}\\s.*${k}=${v.replace('.', '\\.')}`));
  });
});
