import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { InkwellError } from '../../../sidecar/engine';
import { InkwellErrorCodes } from '../../../sidecar/protocol';
import { ConfigStore } from '../../../sidecar/server/ConfigStore';
import { toResponseError } from '../../../sidecar/server/toResponseError';

describe('ConfigStore', () => {
  it("overlays the user's settings on the model's generation_config.json", () => {
    const store = new ConfigStore({ temperature: 0.5 });
    store.setModelDefaults({ do_sample: true, top_p: 0.8, temperature: 0.9, transformers_version: '4.51' });
    assert.equal(store.config.doSample, true);
    assert.equal(store.config.topP, 0.8);
    assert.equal(store.config.temperature, 0.5, 'the user wins');
    assert.deepEqual(store.state().warnings, [], 'bookkeeping keys are not warned about');
  });

  it('an invalid change leaves the previous config in place', () => {
    const store = new ConfigStore({ do_sample: true, top_k: 10 });
    assert.throws(() => store.setUser({ do_sample: true, top_p: 2 }), (e: InkwellError) => e.code === 'invalid-config' && e.details.field === 'top_p');
    assert.equal(store.config.topK, 10);
    assert.equal(store.config.topP, 1);
  });

  it('per-request overrides reject unknown keys and leave the store alone', () => {
    const store = new ConfigStore();
    assert.equal(store.forRequest({ max_new_tokens: 5 }).maxNewTokens, 5);
    assert.equal(store.config.maxNewTokens, undefined);
    assert.throws(() => store.forRequest({ temprature: 1 }), /temprature is not a generation config field/);
  });

  it("keeps as the user's own only what differs from the model's and HF's defaults", () => {
    const store = new ConfigStore();
    store.setModelDefaults({ do_sample: true, temperature: 0.7, eos_token_id: 2, pad_token_id: 0 });
    // What a panel sends back: the whole effective config with one field changed.
    store.setUser({ do_sample: true, temperature: 0.42, eos_token_id: 2, pad_token_id: 0, top_k: 50, max_new_tokens: 32 });
    assert.deepEqual(store.state().user, { temperature: 0.42, max_new_tokens: 32 });
    assert.equal(store.config.temperature, 0.42);
    store.setUser({ do_sample: false });
    assert.deepEqual(store.state().user, { do_sample: false }, 'switching a model default back to HF default is a choice');
  });

  it("a model's generation_config.json field out of range is left out, named, and the rest of the file applies", () => {
    const store = new ConfigStore({ max_new_tokens: 12 });
    store.setModelDefaults({ do_sample: true, temperature: 0.3 });
    store.setModelDefaults({ do_sample: false, temperature: 0, top_p: 2, eos_token_id: 9 });
    assert.equal(store.config.temperature, 1, "HF's default, not the file's 0 nor the previous model's 0.3");
    assert.equal(store.config.topP, 1);
    assert.deepEqual(store.config.eosTokenId, [9], "the file's stop token still applies");
    assert.equal(store.config.maxNewTokens, 12, "the user's settings still apply");
    assert.equal(store.modelWarnings.length, 2, store.modelWarnings.join('\n'));
    assert.match(store.modelWarnings[0]!, /^the model's generation_config\.json field temperature is not used: temperature = 0 /);
    assert.match(store.modelWarnings[1]!, /^the model's generation_config\.json field top_p is not used: top_p = 2 is out of range: must be > 0 and <= 1/);
    assert.deepEqual(store.state().warnings, store.modelWarnings);
    store.setModelDefaults({ do_sample: true });
    assert.deepEqual(store.state().warnings, [], 'a valid file clears the warnings');
  });

  it("a model's generation_config.json field that conflicts with another is left out, the other kept", () => {
    const store = new ConfigStore();
    store.setModelDefaults({ do_sample: true, temperature: 0.3 });
    store.setModelDefaults({ num_beams: 2, num_beam_groups: 3, eos_token_id: 9 });
    assert.equal(store.config.temperature, 1, "nothing of the previous model's defaults is left");
    assert.equal(store.config.numBeams, 2);
    assert.equal(store.config.numBeamGroups, 1);
    assert.deepEqual(store.modelWarnings, ["the model's generation_config.json field num_beam_groups is not used: num_beam_groups = 3 is out of range: must divide num_beams (2)"]);
  });

  it('completion options merge', () => {
    const store = new ConfigStore({}, { maxLines: 3 });
    store.setCompletion({ enabled: false });
    assert.deepEqual(store.completion, { enabled: false, maxLines: 3, contextTokens: 1024, promptLookupTokens: 0 });
  });
});

describe('toResponseError', () => {
  it('config errors are InvalidParams with the field path under the params prefix', () => {
    const error = toResponseError(new InkwellError('invalid-config', 'top_p = 2 is out of range', { details: { field: 'top_p' } }), 'generation');
    assert.equal(error.code, ErrorCodes.InvalidParams);
    assert.deepEqual((error.data as { issues: unknown }).issues, [{ path: 'generation.top_p', message: 'top_p = 2 is out of range' }]);
  });

  it('cuts what an error echoes: a 10 MB value, a 5,000-level value and a 10 MB message stay short and serialisable', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    const huge = 'x'.repeat(10_000_000);
    for (const value of [huge, deep, { [huge]: 1 }]) {
      const error = toResponseError(new InkwellError('invalid-config', 'colour is not a generation config field', { details: { field: 'colour', value } }), 'config');
      const json = JSON.stringify(error.toJson());
      assert.ok(json.length < 2000, `${json.length} characters`);
      assert.deepEqual((error.data as { issues: unknown }).issues, [{ path: 'config.colour', message: 'colour is not a generation config field' }]);
    }
    const long = toResponseError(new InkwellError('model-invalid', huge));
    assert.ok(long.message.length < 2100);
    assert.ok(toResponseError(new Error(huge)).message.length < 2100);
  });

  it('other InkwellErrors keep their code; unknown errors are internal errors', () => {
    const missing = toResponseError(new InkwellError('model-not-found', 'no config.json'));
    assert.equal(missing.code, InkwellErrorCodes['model-not-found']);
    assert.deepEqual(missing.data, { code: 'model-not-found', details: {} });
    const internal = toResponseError(new TypeError('x is undefined'));
    assert.equal(internal.code, ErrorCodes.InternalError);
    assert.match(internal.message, /x is undefined/);
    const passed = new ResponseError(1, 'as is');
    assert.equal(toResponseError(passed), passed);
  });
});
