import assert from 'node:assert/strict';
import { it } from 'node:test';
import { epsilonCutoff } from '../../../../sidecar/engine/processors/epsilonCutoff';
import { etaCutoff } from '../../../../sidecar/engine/processors/etaCutoff';
import { NEG, runProcessor } from '../support/runProcessor';

const probs = [0.5, 0.3, 0.12, 0.08];

it('epsilonCutoff: drops tokens with probability below epsilon, never the top one', () => {
  assert.deepEqual(runProcessor(epsilonCutoff(0.1), probs.map(Math.log)).map((v) => v !== NEG), [true, true, true, false]);
  assert.deepEqual(runProcessor(epsilonCutoff(0.6), probs.map(Math.log)).map((v) => v !== NEG), [true, false, false, false]);
});

it('etaCutoff: the cut-off is min(ε, √ε·e^−H)', () => {
  const entropy = -probs.reduce((h, p) => h + p * Math.log(p), 0); // 1.1643 nats
  const eps = 0.2;
  const eta = Math.min(eps, Math.sqrt(eps) * Math.exp(-entropy)); // 0.1396
  assert.ok(eta > 0.12 && eta < 0.3, 'the hand-picked case cuts between 0.12 and 0.3');
  assert.deepEqual(runProcessor(etaCutoff(eps), probs.map(Math.log)).map((v) => v !== NEG), [true, true, false, false]);
  // A tiny ε only removes what is below ε itself.
  assert.deepEqual(runProcessor(etaCutoff(0.09), probs.map(Math.log)).map((v) => v !== NEG), [true, true, true, false]);
});
