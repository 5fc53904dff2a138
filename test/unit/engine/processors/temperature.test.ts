import assert from 'node:assert/strict';
import { it } from 'node:test';
import { temperature } from '../../../../sidecar/engine/processors/temperature';
import { NEG, runProcessor } from '../support/runProcessor';

it('temperature: divides every score', () => {
  assert.deepEqual(runProcessor(temperature(2), [2, -4, 1, NEG]), [1, -2, 0.5, NEG]);
  assert.deepEqual(runProcessor(temperature(0.5), [2, -4]), [4, -8]);
});
