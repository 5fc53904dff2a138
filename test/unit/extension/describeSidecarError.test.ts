import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSidecarError, isCancellation } from '../../../extension/sidecar/describeSidecarError';

describe('describeSidecarError', () => {
  it('names the field of each InvalidParams issue unless the message does', () => {
    const engine = { code: -32602, message: 'temperature = -1: must be > 0', data: { issues: [{ path: 'generation.temperature', message: 'temperature = -1: must be > 0' }] } };
    assert.equal(describeSidecarError(engine), 'temperature = -1: must be > 0');
    const zod = { code: -32602, message: 'invalid params', data: { issues: [{ path: 'completion.maxLines', message: 'Too big: expected number to be <=200' }, { path: 'generation', message: 'Expected object' }] } };
    assert.equal(describeSidecarError(zod), 'maxLines: Too big: expected number to be <=200; Expected object');
  });
  it('other errors give their message', () => {
    assert.equal(describeSidecarError(new Error('boom')), 'boom');
    assert.equal(describeSidecarError({ code: -32003, message: '/m does not exist', data: { code: 'model-not-found' } }), '/m does not exist');
    assert.equal(describeSidecarError('x'), 'x');
  });
  it('cancellation is recognised', () => {
    assert.equal(isCancellation({ code: -32800, message: 'request cancelled' }), true);
    assert.equal(isCancellation(new Error('no')), false);
  });
});
