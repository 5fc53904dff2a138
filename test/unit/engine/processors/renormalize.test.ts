import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renormalize } from '../../../../sidecar/engine/processors/renormalize';
import { NEG, runProcessor } from '../support/runProcessor';

it('renormalize: log-softmax over the finite scores', () => {
  const [a, b, c] = runProcessor(renormalize(), [0, Math.log(3), NEG]);
  assert.ok(Math.abs(a! - Math.log(0.25)) < 1e-6, String(a));
  assert.ok(Math.abs(b! - Math.log(0.75)) < 1e-6, String(b));
  assert.equal(c, NEG);
});
