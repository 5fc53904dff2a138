import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, InlineCompletionRequest, LSPErrorCodes, ResponseError, type InlineCompletionList } from 'vscode-languageserver-protocol/node';
import { InkwellRequests } from '../../../sidecar/protocol';
import { HfTokenizer, readModelFolder } from '../../../sidecar/runtime';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel } from '../../support/testModels';

const PY = [
  'import math',
  '',
  'def area(radius):',
  '    """Area of a circle."""',
  '    return math.pi * radius ** 2',
  '',
  'def circumference(radius):',
  '    return 2 * math.pi * radius',
  '',
  'class Shape:',
  '    def __init__(self, name):',
  '        self.name = name',
  '',
  '    def describe(self):',
  '        ',
  '',
  'def main():',
  '    print(area(2), circumference(2))',
  '',
].join('\n');

/** textDocument/inlineCompletion through the real sidecar process with a generated FIM model. */
describe('inline completions over stdio', () => {
  const model = smallModel();
  let sidecar: SidecarProcess;
  let n = 0;

  before(async () => {
    sidecar = await SidecarProcess.start({ init: { modelDir: model, device: 'cpu', generation: { do_sample: false }, completion: { maxLines: 4 } } });
    await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
  });
  after(async () => sidecar?.stop());

  function complete(uri: string, line: number, character: number, token?: CancellationTokenSource['token']): Promise<InlineCompletionList> {
    return sidecar.connection.sendRequest(InlineCompletionRequest.type, { textDocument: { uri }, position: { line, character }, context: { triggerKind: 2 } }, token) as Promise<InlineCompletionList>;
  }
  const fresh = () => `file:///doc${++n}.py`;
  /**
   * Tokens the line rules stop at (line breaks, control characters, broken UTF-8): suppressing
   * them, with min_new_tokens, makes a completion that cannot end by itself.
   */
  function endingTokens(): number[] {
    const folder = readModelFolder(model);
    const tokenizer = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig);
    const ids: number[] = [];
    for (let id = 0; id < tokenizer.vocabSize; id++) {
      if (/[\u0000-\u001f\u007f-\u009f\ufffd]/.test(tokenizer.decode([id]))) ids.push(id);
    }
    assert.ok(ids.length > 0);
    return ids;
  }
  const status = () => sidecar.connection.sendRequest(InkwellRequests.status);

  it('single line when text is right of the cursor; at most maxLines at a line end', async () => {
    const uri = fresh();
    const text = 'def f(a, b):\n    return max(a, b)\n';
    await sidecar.openDocument(uri, text);
    const mid = await complete(uri, 1, '    return max('.length);
    for (const item of mid.items) assert.ok(!String(item.insertText).includes('\n'), `single line: ${JSON.stringify(item.insertText)}`);
    await sidecar.openDocument(fresh(), PY);
    const end = await complete(`file:///doc${n}.py`, 14, 8);
    for (const item of end.items) assert.ok(String(item.insertText).split('\n').length <= 4, `maxLines: ${JSON.stringify(item.insertText)}`);
  });

  it('typing one more character reuses the KV cache instead of prefilling the whole prompt', async () => {
    const uri = fresh();
    let text = PY;
    await sidecar.openDocument(uri, text);
    const line = 14;
    let character = 8;
    await complete(uri, line, character);
    const before = (await status()).completions;
    const typed = 'return self.name';
    for (const ch of typed) {
      const lines = text.split('\n');
      lines[line] = lines[line]!.slice(0, character) + ch + lines[line]!.slice(character);
      text = lines.join('\n');
      character++;
      await sidecar.changeDocument(uri, text);
      await complete(uri, line, character);
    }
    const after = (await status()).completions;
    const prefilled = after.prefillTokens - before.prefillTokens;
    const reused = after.reusedTokens - before.reusedTokens;
    const share = reused / (reused + prefilled);
    console.log(`KV reuse over ${typed.length} keystrokes: ${reused} prompt tokens reused, ${prefilled} prefilled (${(100 * share).toFixed(0)}% reused); ${after.cacheHits - before.cacheHits} answered from the completion cache`);
    assert.ok(reused + prefilled > 0 || after.cacheHits > before.cacheHits, 'the model ran or the cache answered');
    assert.ok(share > 0.6, `only ${(100 * share).toFixed(0)}% of the prompt tokens were reused`);
  });

  it('answers from the completion cache when the user types what was suggested', async () => {
    // Find a spot where this (random-weight) model suggests something; greedy is deterministic.
    let found: { uri: string; text: string; line: number; character: number; suggestion: string } | undefined;
    for (let line = 2; line < 19 && !found; line++) {
      const uri = fresh();
      await sidecar.openDocument(uri, PY);
      const character = PY.split('\n')[line]!.length;
      const result = await complete(uri, line, character);
      const suggestion = String(result.items[0]?.insertText ?? '');
      if (suggestion.trim().length >= 2) found = { uri, text: PY, line, character, suggestion };
    }
    assert.ok(found, 'no position of the sample file got a suggestion of 2+ characters');
    const before = (await status()).completions;
    const lines = found.text.split('\n');
    const typed = found.suggestion[0]!;
    lines[found.line] = lines[found.line]! + typed;
    await sidecar.changeDocument(found.uri, lines.join('\n'));
    const next = await complete(found.uri, found.line, found.character + 1);
    const afterStats = (await status()).completions;
    assert.equal(afterStats.cacheHits, before.cacheHits + 1);
    assert.equal(next.items[0]?.insertText, found.suggestion.slice(1));
  });

  it('$/cancelRequest stops a completion within one step', async () => {
    const lineBreaks = endingTokens();
    await sidecar.connection.sendRequest(InkwellRequests.setConfig, {
      generation: { do_sample: false, max_new_tokens: 400, min_new_tokens: 400, suppress_tokens: lineBreaks },
      completion: { maxLines: 200 },
    });
    try {
      const uri = fresh();
      await sidecar.openDocument(uri, PY);
      const source = new CancellationTokenSource();
      const pending = complete(uri, 14, 8, source.token);
      setTimeout(() => source.cancel(), 20);
      await assert.rejects(pending, (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
      const stats = (await status()).completions;
      console.log(`completion: ${stats.lastStepsAfterCancel} token(s) after the server saw $/cancelRequest`);
      assert.ok(stats.lastStepsAfterCancel !== undefined && stats.lastStepsAfterCancel <= 1);
    } finally {
      await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false }, completion: { maxLines: 4 } });
    }
  });

  it('a newer completion pre-empts the running one', async () => {
    // The first request cannot finish by itself within the gap (see endingTokens).
    await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false, max_new_tokens: 300, min_new_tokens: 300, suppress_tokens: endingTokens() }, completion: { maxLines: 200 } });
    try {
      const a = fresh();
      const b = fresh();
      await sidecar.openDocument(a, PY);
      await sidecar.openDocument(b, PY);
      const first = complete(a, 14, 8);
      await new Promise((r) => setTimeout(r, 5));
      const started = Date.now();
      const second = complete(b, 16, 11);
      const [firstResult] = await Promise.all([first, second]);
      assert.deepEqual(firstResult.items, [], 'the pre-empted request answers with no items');
      assert.ok(Date.now() - started < 60_000);
    } finally {
      await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false }, completion: { maxLines: 4 } });
    }
  });

  it('completes with beam search too (no KV reuse there), returning its best beams as items', async () => {
    await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { num_beams: 3, num_return_sequences: 2, max_new_tokens: 8 } });
    try {
      const uri = fresh();
      await sidecar.openDocument(uri, PY);
      const result = await complete(uri, 16, 11);
      assert.ok(result.items.length >= 1 && result.items.length <= 2, `${result.items.length} items`);
      // Each beam is collected as its own sequence (a second beam once leaked in as "undefined…").
      for (const item of result.items) assert.ok(!String(item.insertText).startsWith('undefined'), JSON.stringify(item.insertText));
      assert.equal(sidecar.child.exitCode, null);
    } finally {
      await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false } });
    }
  });

  it('returns num_return_sequences alternatives as several items', async () => {
    await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: true, num_return_sequences: 3, seed: 1, temperature: 1.5 } });
    try {
      let most = 0;
      for (let line = 2; line < 19 && most < 2; line++) {
        const uri = fresh();
        await sidecar.openDocument(uri, PY);
        const result = await complete(uri, line, PY.split('\n')[line]!.length);
        assert.ok(result.items.length <= 3);
        assert.equal(new Set(result.items.map((i) => i.insertText)).size, result.items.length, 'alternatives are distinct');
        most = Math.max(most, result.items.length);
      }
      assert.ok(most >= 2, `never more than ${most} alternative(s)`);
    } finally {
      await sidecar.connection.sendRequest(InkwellRequests.setConfig, { generation: { do_sample: false } });
    }
  });

  it('200 rapid requests with cancellations: every one answered, memory bounded, still serving', async () => {
    const uri = fresh();
    let text = PY;
    await sidecar.openDocument(uri, text);
    const rssBefore = (await status()).memory.rssMb;
    const pending: Promise<'ok' | 'cancelled'>[] = [];
    let character = 8;
    for (let i = 0; i < 200; i++) {
      const lines = text.split('\n');
      lines[14] = lines[14]!.slice(0, character) + 'x' + lines[14]!.slice(character);
      text = lines.join('\n');
      character++;
      await sidecar.changeDocument(uri, text);
      const source = new CancellationTokenSource();
      pending.push(
        complete(uri, 14, character, source.token).then(
          () => 'ok' as const,
          (e: unknown) => {
            if (e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled) return 'cancelled' as const;
            throw e;
          },
        ),
      );
      if (i % 2 === 0) source.cancel();
      else setTimeout(() => source.cancel(), 5);
    }
    const outcomes = await Promise.all(pending);
    assert.equal(outcomes.length, 200);
    const last = await complete(uri, 14, character);
    assert.ok(Array.isArray(last.items));
    const rssAfter = (await status()).memory.rssMb;
    console.log(`200 requests: ${outcomes.filter((o) => o === 'ok').length} answered, ${outcomes.filter((o) => o === 'cancelled').length} cancelled; RSS ${rssBefore} → ${rssAfter} MB`);
    // RSS is logged, not bounded: memory is a benchmark's measure (npm run bench: peak RSS per case).
  });
});
