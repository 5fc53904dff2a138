import assert from 'node:assert/strict';
import { it } from 'node:test';
import { removeInvalidValues } from '../../../../sidecar/engine/processors/removeInvalidValues';
import { runProcessor } from '../support/runProcessor';

it('removeInvalidValues: NaN → 0, ±Infinity → ±largest float32', () => {
  const max = 3.4028234663852886e38; // (2 − 2^-23) · 2^127
  assert.equal(max, (2 - 2 ** -23) * 2 ** 127);
  assert.deepEqual(runProcessor(removeInvalidValues(), [Number.NaN, Infinity, -Infinity, 1.5]), [0, max, -max, 1.5]);
});
