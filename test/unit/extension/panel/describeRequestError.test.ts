import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRequestError, fieldOfPath } from '../../../../extension/panel/describeRequestError';

/** Shaped like vscode-jsonrpc's ResponseError (what LanguageClient.sendRequest rejects with). */
function responseError(code: number, message: string, data?: unknown): Error & { code: number; data?: unknown } {
  return Object.assign(new Error(message), { code, data });
}

describe('describeRequestError', () => {
  it("puts InvalidParams issues under their fields, by HF key", () => {
    const error = responseError(-32602, 'temperature must be > 0', { code: 'invalid-config', details: { field: 'temperature' }, issues: [{ path: 'generation.temperature', message: 'temperature must be > 0, got 0' }] });
    assert.deepEqual(describeRequestError(error), { message: 'temperature must be > 0', fieldErrors: [{ field: 'temperature', message: 'temperature must be > 0, got 0' }], cancelled: false });
  });

  it('uses details.field when the issue path names no field, or there are no issues', () => {
    const noPath = responseError(-32602, 'bad', { code: 'invalid-config', details: { field: 'top_k' }, issues: [{ path: 'generation', message: 'top_k must be ≥ 0' }] });
    assert.deepEqual(describeRequestError(noPath).fieldErrors, [{ field: 'top_k', message: 'top_k must be ≥ 0' }]);
    const noIssues = responseError(-32001, 'top_p must be ≤ 1', { code: 'invalid-config', details: { field: 'top_p' } });
    assert.deepEqual(describeRequestError(noIssues).fieldErrors, [{ field: 'top_p', message: 'top_p must be ≤ 1' }]);
  });

  it('reports other failures without fields, and cancellation as cancellation', () => {
    assert.deepEqual(describeRequestError(responseError(-32009, 'no model is loaded yet', { code: 'no-model' })), { message: 'no model is loaded yet', fieldErrors: [], cancelled: false });
    assert.equal(describeRequestError(responseError(-32800, 'Request got cancelled')).cancelled, true);
    assert.equal(describeRequestError(Object.assign(new Error('Canceled'), { name: 'Canceled' })).cancelled, true);
    assert.deepEqual(describeRequestError('boom'), { message: 'boom', fieldErrors: [], cancelled: false });
  });
});

describe('fieldOfPath', () => {
  it('strips the params prefix and keeps the HF key', () => {
    assert.equal(fieldOfPath('generation.temperature'), 'temperature');
    assert.equal(fieldOfPath('config.stop_strings.0'), 'stop_strings');
    assert.equal(fieldOfPath('top_k'), 'top_k');
    assert.equal(fieldOfPath('generation'), undefined);
    assert.equal(fieldOfPath(''), undefined);
  });
});
