import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InlineCompletionRequest, ResponseError, type InlineCompletionList } from 'vscode-languageserver-protocol/node';
import { InkwellRequests } from '../../../sidecar/protocol';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel, testModel } from '../../support/testModels';

const PY = 'def area(r):\n    return 3.14159 * r * r\n\ndef volume(r, h):\n    return area(r) * h\n\ndef main():\n    print(area(2))\n    \n';

/** Completions with speculative decoding configured through the sidecar (assistant model and prompt lookup). */
describe('speculative completions over stdio', () => {
  const model = smallModel();
  let plain: SidecarProcess;
  let assisted: SidecarProcess;
  let lookup: SidecarProcess;

  before(async () => {
    const generation = { do_sample: false, max_new_tokens: 24 };
    [plain, assisted, lookup] = await Promise.all([
      SidecarProcess.start({ init: { modelDir: model, device: 'cpu', generation } }),
      // The model as its own assistant: every drafted token must be accepted.
      SidecarProcess.start({ init: { modelDir: model, assistantModelDir: model, device: 'cpu', generation } }),
      SidecarProcess.start({ init: { modelDir: model, device: 'cpu', generation, completion: { promptLookupTokens: 4 } } }),
    ]);
    await Promise.all([plain, assisted, lookup].map((s) => s.waitForStatus((x) => x.state === 'ready', 'model ready')));
  });
  after(async () => {
    await Promise.all([plain, assisted, lookup].map((s) => s?.stop()));
  });

  const complete = (s: SidecarProcess, uri: string, line: number, character: number) =>
    s.connection.sendRequest(InlineCompletionRequest.type, { textDocument: { uri }, position: { line, character }, context: { triggerKind: 2 } }) as Promise<InlineCompletionList>;

  it('gives the completions plain decoding gives, and reports the assistant and its acceptance', async () => {
    const status = await assisted.connection.sendRequest(InkwellRequests.status);
    assert.equal(status.model?.assistant?.dir, model);
    const lines = PY.split('\n');
    for (const [i, line] of lines.entries()) {
      const uri = `file:///a${i}.py`;
      for (const s of [plain, assisted, lookup]) await s.openDocument(uri, PY);
      const [a, b, c] = await Promise.all([plain, assisted, lookup].map((s) => complete(s, uri, i, line.length)));
      assert.deepEqual(b!.items.map((x) => x.insertText), a!.items.map((x) => x.insertText), `assistant, line ${i}`);
      assert.deepEqual(c!.items.map((x) => x.insertText), a!.items.map((x) => x.insertText), `prompt lookup, line ${i}`);
    }
    const stats = (await assisted.connection.sendRequest(InkwellRequests.status)).completions.assisted;
    assert.ok(stats && stats.drafted > 0, 'tokens were drafted');
    assert.equal(stats.acceptanceRate, 1, 'an assistant identical to the main model is always accepted');
    assert.ok(stats.tokensPerMainForward > 1);
    const looked = (await lookup.connection.sendRequest(InkwellRequests.status)).completions.assisted;
    assert.ok(looked, "prompt lookup ran");
    console.log(`completions: identical assistant ${stats.tokensPerMainForward.toFixed(2)} tokens/forward; prompt lookup ${(looked.acceptanceRate * 100).toFixed(0)}% of ${looked.drafted} drafted accepted`);
    assert.equal((await plain.connection.sendRequest(InkwellRequests.status)).completions.assisted, undefined);
  });

  it('an assistant with another vocabulary is refused by name and the main model keeps serving', async () => {
    const other = testModel('other-vocab', { layers: 1, hidden: 32, heads: 2, kvHeads: 1, intermediate: 64, vocab: 512, seed: 3, dtypes: ['fp32'] });
    // Also a model swap right after completions on many documents: the replaced model's cache
    // releases are still in flight (this crashed the sidecar before dispose waited for them).
    const status = await assisted.connection.sendRequest(InkwellRequests.loadModel, { dir: model, assistantDir: other, device: 'cpu' });
    assert.equal(assisted.child.exitCode, null);
    assert.equal(status.state, 'ready');
    assert.equal(status.model?.assistant, undefined);
    assert.match(status.error?.message ?? '', new RegExp(`assistant model ${other.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not share the vocabulary`));
    await assisted.openDocument('file:///after.py', PY);
    const result = await complete(assisted, 'file:///after.py', 8, 4);
    assert.ok(Array.isArray(result.items));
  });

  it('rejects a promptLookupTokens out of range with the field path', async () => {
    await assert.rejects(
      assisted.connection.sendRequest(InkwellRequests.setConfig, { completion: { promptLookupTokens: 500 } }),
      (e: unknown) => e instanceof ResponseError && JSON.stringify(e.data).includes('completion.promptLookupTokens'),
    );
  });
});
