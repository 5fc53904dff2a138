import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { generateParamsSchema, loadModelParamsSchema, setConfigParamsSchema } from '../../../sidecar/protocol';
import { validateParams } from '../../../sidecar/server/validateParams';

describe('validateParams', () => {
  it('an unknown params key a megabyte long is not echoed whole', () => {
    const key = 'k'.repeat(1_000_000);
    assert.throws(
      () => validateParams(loadModelParamsSchema, { dir: '/m', [key]: 1 }),
      (e: unknown) => {
        assert.ok(e instanceof ResponseError);
        assert.equal(e.code, ErrorCodes.InvalidParams);
        assert.ok(JSON.stringify(e.toJson()).length < 2000, `${JSON.stringify(e.toJson()).length} characters`);
        return true;
      },
    );
  });

  it('passes a generation config through as sent, "__proto__" key included, for the engine to refuse', () => {
    const params = validateParams(setConfigParamsSchema, JSON.parse('{"generation": {"__proto__": {"top_p": 0.5}, "top_k": 3}}'));
    assert.deepEqual(Object.keys(params.generation!), ['__proto__', 'top_k']);
    const generate = validateParams(generateParamsSchema, JSON.parse('{"prompt": "a", "config": {"__proto__": 1}}'));
    assert.ok(Object.hasOwn(generate.config!, '__proto__'));
    assert.throws(() => validateParams(generateParamsSchema, { prompt: 'a', config: [1] }), /config: expected a generation config object/);
  });
});
