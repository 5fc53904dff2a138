import assert from 'node:assert/strict';
import { it } from 'node:test';
import { minP } from '../../../../sidecar/engine/processors/minP';
import { NEG, runProcessor } from '../support/runProcessor';

it('minP: drops tokens below minP × the top probability', () => {
  // Threshold 0.2 · 0.5 = 0.1: 0.09 goes, 0.11 stays.
  const out = runProcessor(minP(0.2), [0.5, 0.3, 0.09, 0.11].map(Math.log));
  assert.deepEqual(out.map((v) => v !== NEG), [true, true, false, true]);
  // min_p = 1 keeps only the top token; min_p = 0 keeps all.
  assert.deepEqual(runProcessor(minP(1), [1, 3, 2]).map((v) => v !== NEG), [false, true, false]);
  assert.deepEqual(runProcessor(minP(0), [1, 3, 2]), [1, 3, 2]);
});
