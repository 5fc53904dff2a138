import assert from 'node:assert/strict';
import { it } from 'node:test';
import { expNonPositive } from '../../../../sidecar/engine/math/expNonPositive';

it('expNonPositive: within 1e-8 of Math.exp on [−32, 0], 0 below, NaN stays NaN', () => {
  let worst = 0;
  for (let x = -32; x <= 0; x += 0.00731) worst = Math.max(worst, Math.abs(expNonPositive(x) / Math.exp(x) - 1));
  assert.ok(worst < 1e-8, `relative error ${worst}`);
  assert.equal(expNonPositive(0), 1);
  assert.equal(expNonPositive(-33), 0);
  assert.equal(expNonPositive(-Infinity), 0);
  assert.ok(Number.isNaN(expNonPositive(Number.NaN)));
});
