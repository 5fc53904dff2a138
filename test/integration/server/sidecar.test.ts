import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, ErrorCodes, InlineCompletionRequest, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { InkwellNotifications, InkwellRequests, type GenerateProgress, type InvalidParamsData } from '../../../sidecar/protocol';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel } from '../../support/testModels';

/** The sidecar over real stdio with a generated model: what any LSP editor sees. */
describe('sidecar over stdio', () => {
  const model = smallModel();
  let sidecar: SidecarProcess;

  before(async () => {
    sidecar = await SidecarProcess.start({ init: { modelDir: model, device: 'cpu', generation: { do_sample: false } } });
    await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
  });
  after(async () => sidecar?.stop());

  async function rejection(promise: Promise<unknown>): Promise<ResponseError<unknown>> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${String(error)}`);
      return error;
    }
    assert.fail('expected the request to fail');
  }

  it('reports the loaded model in status', async () => {
    const status = await sidecar.connection.sendRequest(InkwellRequests.status);
    assert.equal(status.state, 'ready');
    assert.equal(status.model?.dir, model);
    assert.equal(status.model?.executionProvider, 'cpu');
    assert.equal(status.model?.fim, true);
    assert.ok(status.memory.rssMb > 0);
  });

  it('streams inkwell/generate tokens whose deltas concatenate to the final text', async () => {
    const deltas: string[] = [];
    const sub = sidecar.connection.onNotification(InkwellNotifications.generateProgress, (p: GenerateProgress) => {
      if (p.streamId === 's1') deltas.push(p.delta);
    });
    const result = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'def add(a, b):', streamId: 's1', config: { max_new_tokens: 24 } });
    sub.dispose();
    assert.equal(result.sequences.length, 1);
    assert.equal(deltas.join(''), result.sequences[0]!.text);
    assert.ok(result.sequences[0]!.tokenIds.length > 0 && result.sequences[0]!.tokenIds.length <= 24);
    assert.ok(result.timings.totalMs > 0);
  });

  it('inkwell/generate runs contrastive search from the request config (the model has last_hidden_state)', async () => {
    const deltas: string[] = [];
    const sub = sidecar.connection.onNotification(InkwellNotifications.generateProgress, (p: GenerateProgress) => {
      if (p.streamId === 'cs') deltas.push(p.delta);
    });
    const config = { penalty_alpha: 0.6, top_k: 4, max_new_tokens: 8, min_new_tokens: 8 };
    const result = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'def add(a, b):', streamId: 'cs', config });
    sub.dispose();
    assert.equal(result.sequences.length, 1);
    assert.equal(result.sequences[0]!.tokenIds.length, 8);
    assert.equal(deltas.join(''), result.sequences[0]!.text);
  });

  it('inkwell/generate in a beam mode returns each sequence\'s score, best first; greedy returns none', async () => {
    const config = { num_beams: 2, num_return_sequences: 2, max_new_tokens: 6, min_new_tokens: 6 };
    const beam = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'def add(a, b):', config });
    assert.equal(beam.sequences.length, 2);
    const scores = beam.sequenceScores;
    assert.equal(scores?.length, 2);
    assert.ok(scores!.every((s) => Number.isFinite(s) && s <= 0), `scores ${scores}`);
    assert.ok(scores![0]! >= scores![1]!, `best first: ${scores}`);
    assert.notDeepEqual(beam.sequences[0]!.tokenIds, beam.sequences[1]!.tokenIds);
    const greedy = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'def add(a, b):', config: { max_new_tokens: 6 } });
    assert.equal(greedy.sequenceScores, undefined);
  });

  it('cancelling inkwell/generate stops it within a step and keeps the partial text', async () => {
    const source = new CancellationTokenSource();
    let seen = 0;
    let atCancel: number | undefined;
    const sub = sidecar.connection.onNotification(InkwellNotifications.generateProgress, (p: GenerateProgress) => {
      if (p.streamId !== 'c1' || p.finishReason) return;
      seen++;
      if (seen === 5) {
        atCancel = seen;
        source.cancel();
      }
    });
    const result = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'x = 1', streamId: 'c1', config: { max_new_tokens: 400, min_new_tokens: 400 } }, source.token);
    sub.dispose();
    const generated = result.sequences[0]!.tokenIds.length;
    assert.equal(result.sequences[0]!.finishReason, 'aborted');
    assert.ok(atCancel !== undefined);
    // Measured in the server: tokens the engine produced after the cancellation arrived. At most
    // the one step whose forward pass was already running.
    console.log(`generate: ${generated - atCancel} token(s) after the client cancelled, ${result.tokensAfterCancel} after the server saw it`);
    assert.ok(result.tokensAfterCancel !== undefined && result.tokensAfterCancel <= 1, `generation went on for ${result.tokensAfterCancel} tokens after cancellation`);
  });

  it('rejects invalid params with the field path, and the server keeps serving', async () => {
    const bad = await rejection(sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 5 } as never));
    assert.equal(bad.code, ErrorCodes.InvalidParams);
    assert.deepEqual((bad.data as InvalidParamsData).issues.map((i) => i.path), ['prompt']);

    const range = await rejection(sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: true, top_p: 1.5 } }));
    assert.equal(range.code, ErrorCodes.InvalidParams);
    assert.match(range.message, /top_p = 1\.5 is out of range: must be > 0 and <= 1/);
    assert.deepEqual((range.data as InvalidParamsData).issues.map((i) => i.path), ['generation.top_p']);

    const extra = await rejection(sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir: '/x', colour: 'red' } as never));
    assert.equal(extra.code, ErrorCodes.InvalidParams);

    const topN = await rejection(sidecar.connection.sendRequest(InkwellRequests.nextTokenDistribution, { prompt: 'a', topN: 1000 }));
    assert.deepEqual((topN.data as InvalidParamsData).issues.map((i) => i.path), ['topN']);

    const unknownKey = await rejection(sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'a', config: { temprature: 0.5 } }));
    assert.equal(unknownKey.code, ErrorCodes.InvalidParams);
    assert.match(unknownKey.message, /temprature is not a generation config field/);

    const unknownMethod = await rejection(sidecar.connection.sendRequest('inkwell/noSuchMethod', {}));
    assert.equal(unknownMethod.code, ErrorCodes.MethodNotFound);

    const state = await sidecar.connection.sendRequest(InkwellRequests.getConfig);
    assert.equal(state.generation.top_p, undefined, 'a rejected setConfig changed nothing');
  });

  it('survives malformed JSON-RPC messages', async () => {
    const garbage = '{"jsonrpc": "2.0", "id": 77, "method": ';
    sidecar.child.stdin.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
    sidecar.child.stdin.write(`Content-Length: 2\r\n\r\n[]`);
    const status = await sidecar.connection.sendRequest(InkwellRequests.status);
    assert.equal(status.state, 'ready');
    assert.equal(sidecar.child.exitCode, null);
  });

  it('setConfig applies to the next request and getConfig returns the fields with help', async () => {
    const state = await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: true, temperature: 0.7, seed: 3 } });
    assert.equal(state.generation.temperature, 0.7);
    const temperature = state.fields.find((f) => f.key === 'temperature');
    assert.ok(temperature && temperature.help.length > 0 && temperature.samplingOnly);
    const a = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'import os', config: { max_new_tokens: 8 } });
    const b = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'import os', config: { max_new_tokens: 8 } });
    assert.deepEqual(a.sequences[0]!.tokenIds, b.sequences[0]!.tokenIds, 'seeded sampling repeats');
    assert.equal(a.seed, 3);
    await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false } });
  });

  it('presets are valid configs', async () => {
    const { presets } = await sidecar.connection.sendRequest(InkwellRequests.presets);
    assert.deepEqual(presets.map((p) => p.name), ['Precise', 'Balanced', 'Creative']);
    for (const preset of presets) await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: preset.generation });
    await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false } });
  });

  it('nextTokenDistribution reports each processor stage', async () => {
    const result = await sidecar.connection.sendRequest(InkwellRequests.nextTokenDistribution, {
      prompt: 'for i in range(',
      config: { do_sample: true, temperature: 0.5, top_k: 5, top_p: 0.9 },
      topN: 8,
    });
    assert.deepEqual(result.stages.map((s) => s.name), ['raw', 'temperature', 'top-k', 'top-p']);
    const raw = result.stages[0]!;
    assert.equal(raw.kept, 1024);
    assert.ok(result.stages[2]!.kept <= 5);
    assert.ok(result.stages[3]!.kept <= result.stages[2]!.kept);
    for (const stage of result.stages) {
      const sum = stage.probs.reduce((a, b) => a + b, 0);
      assert.ok(sum <= 1 + 1e-5);
    }
    // A lower temperature sharpens: the top token gains probability.
    assert.ok(result.stages[1]!.probs[0]! >= raw.probs[0]!);
    assert.equal(result.tokens.length, raw.probs.length);
  });

  it('a model that fails to load is reported and the previous model keeps serving', async () => {
    const failed = await rejection(sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir: '/nonexistent/model' }));
    assert.equal((failed.data as { code: string }).code, 'model-not-found');
    const status = await sidecar.connection.sendRequest(InkwellRequests.status);
    assert.equal(status.state, 'ready');
    assert.equal(status.model?.dir, model);
    assert.match(status.error?.message ?? '', /nonexistent/);
    const result = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'x', config: { max_new_tokens: 2 } });
    assert.ok(result.sequences[0]!.tokenIds.length > 0);
  });

  it('a request that arrives cancelled answers RequestCancelled', async () => {
    const source = new CancellationTokenSource();
    source.cancel();
    await sidecar.openDocument('file:///c.py', 'def f():\n    ');
    const error = await rejection(sidecar.connection.sendRequest(InlineCompletionRequest.type, {
      textDocument: { uri: 'file:///c.py' }, position: { line: 1, character: 4 }, context: { triggerKind: 2 },
    }, source.token));
    assert.equal(error.code, LSPErrorCodes.RequestCancelled);
  });
  // Hostile and out-of-range configs. Each request must be answered
  // (the timeouts catch a request that never is) and the sidecar must keep serving.
  /**
   * Sends a request written by hand and resolves with the raw response: a 5,000-level value
   * overflows the stack of the client's own JSON.stringify, so the message is built as text.
   */
  function rawRequest(id: string, method: string, paramsJson: string): Promise<{ error?: { code: number; message: string; data?: InvalidParamsData } }> {
    return new Promise((resolve) => {
      // A second reader of stdout next to the connection's: it sees the same chunks.
      let buffer = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const headerEnd = buffer.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const length = Number(/Content-Length: (\d+)/.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
          if (buffer.length < headerEnd + 4 + length) return;
          const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
          buffer = buffer.subarray(headerEnd + 4 + length);
          if (message.id === id) {
            sidecar.child.stdout.off('data', onData);
            resolve(message);
            return;
          }
        }
      };
      sidecar.child.stdout.on('data', onData);
      const message = `{"jsonrpc":"2.0","id":"${id}","method":"${method}","params":${paramsJson}}`;
      sidecar.child.stdin.write(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
    });
  }

  it('a config value nested 5,000 levels deep is refused with a clear error, and the request is answered', { timeout: 30_000 }, async () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const unknownKey = await rawRequest('deep-1', InkwellRequests.generate.method, `{"prompt":"a","config":{"colour":${deep}}}`);
    assert.equal(unknownKey.error?.code, ErrorCodes.InvalidParams);
    assert.match(unknownKey.error.message, /colour is not a generation config field/);
    const known = await rawRequest('deep-2', InkwellRequests.generate.method, `{"prompt":"a","config":{"stop_strings":${deep}}}`);
    assert.match(known.error?.message ?? '', /stop_strings is nested too deeply: a generation config value may nest at most 32 levels/);
    const set = await rawRequest('deep-3', InkwellRequests.setConfig.method, `{"generation":{"chat_format":${deep}}}`);
    assert.deepEqual(set.error?.data?.issues.map((i) => i.path), ['generation.chat_format']);
    assert.match(set.error?.message ?? '', /chat_format is nested too deeply/);
    assert.equal((await sidecar.connection.sendRequest(InkwellRequests.status)).state, 'ready');
  });

  it('an error about a 10 MB value does not send the value back', { timeout: 30_000 }, async () => {
    const huge = 'x'.repeat(10_000_000);
    const error = await rejection(sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'a', config: { colour: huge } }));
    assert.match(error.message, /colour is not a generation config field/);
    assert.ok(JSON.stringify(error.toJson()).length < 2000, `${JSON.stringify(error.toJson()).length} characters`);
  });

  it('"__proto__" in a config is refused like any unknown key', async () => {
    const raw = JSON.parse('{"__proto__": {"do_sample": true}}') as Record<string, unknown>;
    const generate = await rejection(sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'a', config: raw }));
    assert.equal(generate.code, ErrorCodes.InvalidParams);
    assert.match(generate.message, /__proto__ is not a generation config field/);
    const set = await rejection(sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: raw }));
    assert.deepEqual((set.data as InvalidParamsData).issues.map((i) => i.path), ['generation.__proto__']);
  });

  it('max_new_tokens 1e20 is out of range, with the field and the range', async () => {
    const error = await rejection(sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'a', config: { max_new_tokens: 1e20 } }));
    assert.equal(error.code, ErrorCodes.InvalidParams);
    assert.match(error.message, /^max_new_tokens = 100000000000000000000 is out of range: must be >= 1 and <= 9007199254740991$/);
    assert.equal((error.data as { details: { field: string } }).details.field, 'max_new_tokens');
  });

  it('setConfig refuses out-of-range sampling values while do_sample is off; in-range ones are kept with a warning', async () => {
    for (const [generation, pattern] of [
      [{ do_sample: false, top_p: 2 }, /top_p = 2 is out of range: must be > 0 and <= 1/],
      [{ do_sample: false, temperature: -1 }, /temperature = -1 is out of range: must be > 0/],
    ] as const) {
      const error = await rejection(sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation }));
      assert.equal(error.code, ErrorCodes.InvalidParams);
      assert.match(error.message, pattern);
    }
    const kept = await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false, top_p: 0.5 } });
    assert.deepEqual(kept.warnings, ['generation config: top_p = 0.5 has no effect without do_sample = true']);
    await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false } });
  });

  it("a model folder's invalid generation_config.json shows in the status and in getConfig's warnings", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkwell-badgen-'));
    try {
      cpSync(model, dir, { recursive: true });
      writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ do_sample: true, top_p: 2, eos_token_id: 1017 }));
      const status = await sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir, device: 'cpu' });
      const warning = /generation_config\.json field top_p is not used: top_p = 2 is out of range: must be > 0 and <= 1/;
      assert.equal(status.model?.dir, dir);
      assert.equal(status.model?.warnings?.length, 1);
      assert.match(status.model!.warnings![0]!, warning);
      const config = await sidecar.connection.sendRequest(InkwellRequests.getConfig);
      assert.ok(config.warnings.some((w) => warning.test(w)), JSON.stringify(config.warnings));
      assert.equal(config.generation.top_p, undefined, "HF's default, not the file's");
      assert.equal(config.generation.do_sample, true, "the file's other fields apply");
    } finally {
      const back = await sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir: model, device: 'cpu' });
      assert.equal(back.model?.warnings, undefined, 'a valid file clears the warning');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
