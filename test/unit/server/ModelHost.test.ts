import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError, type LanguageModel } from '../../../sidecar/engine';
import type { LoadedModel } from '../../../sidecar/runtime';
import { ModelHost, type LoadRequest } from '../../../sidecar/server/ModelHost';

/** Just enough of a LoadedModel for the host (it never runs the model itself). */
function fakeLoaded(dir: string, disposed: string[]): LoadedModel {
  const model = {
    info: { modelType: 'llama', vocabSize: 8, hiddenSize: undefined, maxPositions: 64, dtype: 'q4', executionProvider: 'cpu' },
    dispose: async () => void disposed.push(dir),
  } as unknown as LanguageModel;
  return {
    model,
    tokenizer: { dispose: async () => undefined },
    folder: { dir, tokenizerJson: { added_tokens: [{ id: 5, content: '<|fim_prefix|>' }] } },
    attempts: [{ provider: 'cpu', ok: true, ms: 1 }],
    loadMs: 3,
  } as unknown as LoadedModel;
}

function host(failing: Set<string> = new Set()) {
  const loads: LoadRequest[] = [];
  const disposed: string[] = [];
  const logs: string[] = [];
  const h = new ModelHost(
    async (request) => {
      loads.push({ dir: request.dir, ...(request.device && { device: request.device }) });
      if (failing.has(request.dir)) throw new InkwellError('model-not-found', `model folder ${request.dir} does not exist`);
      return fakeLoaded(request.dir, disposed);
    },
    () => undefined,
    (line) => logs.push(line),
  );
  return { h, loads, disposed, logs };
}

describe('ModelHost', () => {
  it('a failed load keeps the previous model serving and reports why', async () => {
    const { h, disposed } = host(new Set(['/bad']));
    await h.loadModel({ dir: '/a' });
    await assert.rejects(h.loadModel({ dir: '/bad' }), /does not exist/);
    assert.equal(h.current?.status.dir, '/a');
    assert.equal(h.current?.status.fim, true);
    assert.equal(h.lastError?.code, 'model-not-found');
    assert.deepEqual(disposed, []);
  });

  it('a replaced model is retired at once and disposed after its last request', async () => {
    const { h, disposed } = host();
    await h.loadModel({ dir: '/a' });
    let finish!: () => void;
    let retired: AbortSignal | undefined;
    const running = h.use(async (serving) => {
      retired = serving.retired;
      await new Promise<void>((r) => (finish = r));
      return 'done';
    });
    await h.loadModel({ dir: '/b' });
    assert.equal(retired?.aborted, true, 'requests on the old model are told to stop');
    assert.deepEqual(disposed, [], 'not while a request still uses it');
    finish();
    assert.equal(await running, 'done');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(disposed, ['/a']);
    assert.equal(h.current?.status.dir, '/b');
  });

  it('loads the same model again after its worker crashed, at most once per interval', async () => {
    const { h, loads, logs } = host();
    await h.loadModel({ dir: '/a', device: 'cpu' });
    const crash = () => h.use(async () => {
      throw new InkwellError('worker-crashed', 'the model worker exited');
    });
    await assert.rejects(crash(), /worker exited/);
    await assert.rejects(crash(), /worker exited/);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(loads, [{ dir: '/a', device: 'cpu' }, { dir: '/a', device: 'cpu' }]);
    assert.ok(logs.some((l) => l.includes('worker crashed')));
  });

  it('a model that finishes loading after dispose() is disposed, not served', async () => {
    const disposed: string[] = [];
    let finishLoad!: () => void;
    const h = new ModelHost(
      async (request) => {
        await new Promise<void>((r) => (finishLoad = r));
        return fakeLoaded(request.dir, disposed);
      },
      () => undefined,
      () => undefined,
    );
    const loading = h.loadModel({ dir: '/a' });
    await new Promise((r) => setImmediate(r));
    await h.dispose();
    finishLoad();
    await assert.rejects(loading, { name: 'AbortError' });
    assert.equal(h.current, undefined);
    assert.deepEqual(disposed, ['/a']);
    assert.equal(h.lastError, undefined, 'not a failed load');
    await assert.rejects(h.loadModel({ dir: '/b' }), { name: 'AbortError' });
  });

  it('use() without a model answers undefined', async () => {
    const { h } = host();
    assert.equal(await h.use(async () => 1), undefined);
  });
});
