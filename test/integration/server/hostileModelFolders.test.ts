import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { InkwellRequests } from '../../../sidecar/protocol';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel, testModel } from '../../support/testModels';

// A hostile model folder must end in a clear
// error, and the sidecar must stay up and answer the next request. Today's sidecar died on
// range(10**9) in a chat template (V8's fatal "invalid size"), stopped answering on a nested loop
// or a FIFO, read /dev/zero until memory ran out, said "does not exist" for a symlink loop,
// quoted a file that is not JSON, and reported config.json's position count for a graph whose
// position table is smaller. Each `timeout` is only a hang detector.

const HANG = { timeout: 120_000 };
const GPT2 = { modelType: 'gpt2', layers: 2, hidden: 64, heads: 4, vocab: 1024, maxPositions: 128, seed: 21, dtypes: ['fp32'] } as const;

describe('the sidecar and hostile model folders', () => {
  const model = smallModel();
  const scratch = mkdtempSync(join(tmpdir(), 'inkwell-hostile-server-'));
  let sidecar: SidecarProcess;
  let serial = 0;

  before(async () => {
    sidecar = await SidecarProcess.start({ init: { modelDir: model, device: 'cpu', generation: { do_sample: false } } });
    await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
  });
  after(async () => {
    await sidecar?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  function copyOf(source: string, change: (dir: string) => void): string {
    const dir = join(scratch, `m${serial++}`);
    cpSync(source, dir, { recursive: true });
    change(dir);
    return dir;
  }

  async function rejection(promise: Promise<unknown>): Promise<ResponseError<{ code?: string } | undefined>> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${String(error)}`);
      return error as ResponseError<{ code?: string } | undefined>;
    }
    assert.fail('expected the request to fail');
  }

  /** The sidecar still answers, and serves `dir`. */
  async function stillServes(dir: string): Promise<void> {
    const result = await sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'def', config: { max_new_tokens: 2 } });
    assert.ok(result.sequences[0]!.tokenIds.length > 0);
    const status = await sidecar.connection.sendRequest(InkwellRequests.status);
    assert.equal(status.model?.dir, dir);
  }

  const chat = { messages: [{ role: 'user' as const, content: 'hi' }], config: { max_new_tokens: 2 } };

  for (const [what, template, pattern] of [
    ['range(10**9)', '{% for i in range(10**9) %}{% endfor %}', /the chat template \(chat_template\.jinja\) (ended its process|ran longer than the 3000 ms)/],
    ['a nested loop of 10^12 steps', '{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}', /the chat template \(chat_template\.jinja\) ran longer than the 3000 ms Inkwell allows a template and was stopped/],
  ] as const) {
    it(`a chat template with ${what} fails its request, and the sidecar answers the next one`, HANG, async () => {
      const dir = copyOf(model, (d) => writeFileSync(join(d, 'chat_template.jinja'), template));
      await sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir, device: 'cpu' });
      const failed = await rejection(sidecar.connection.sendRequest(InkwellRequests.generate, chat));
      assert.match(failed.message, pattern);
      assert.equal(failed.data?.code, 'tokenizer-invalid');
      await stillServes(dir);
    });
  }

  for (const [what, damage, pattern] of [
    ['a FIFO as tokenizer.json', (d: string) => execFileSync('mkfifo', [join(d, 'tokenizer.json')]), /tokenizer\.json is a FIFO \(named pipe\), not a regular file/],
    ['tokenizer.json linked to /dev/zero', (d: string) => symlinkSync('/dev/zero', join(d, 'tokenizer.json')), /tokenizer\.json is a character device, not a regular file/],
    ['tokenizer.json linked to /dev/urandom', (d: string) => symlinkSync('/dev/urandom', join(d, 'tokenizer.json')), /tokenizer\.json is a character device/],
    ['model.onnx as a FIFO', (d: string) => execFileSync('mkfifo', [join(d, 'onnx', 'model_q4.onnx')]), /model_q4\.onnx is a FIFO/],
    ['tokenizer.json in a symlink loop', (d: string) => symlinkSync(join(d, 'tokenizer.json'), join(d, 'tokenizer.json')), /tokenizer\.json is a symlink loop \(ELOOP\)/],
  ] as const) {
    it(`${what} is refused by name, and the previous model keeps serving`, HANG, async () => {
      await sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir: model, device: 'cpu' });
      const dir = copyOf(model, (d) => {
        const file = /onnx/.test(what) ? join(d, 'onnx', 'model_q4.onnx') : join(d, 'tokenizer.json');
        rmSync(file);
        damage(d);
      });
      const failed = await rejection(sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir, device: 'cpu' }));
      assert.equal(failed.data?.code, 'model-invalid');
      assert.match(failed.message, pattern);
      await stillServes(model);
    });
  }

  it('a model folder that is a symlink loop says so', HANG, async () => {
    const loop = join(scratch, `loop${serial++}`);
    symlinkSync(loop, loop);
    const failed = await rejection(sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir: loop, device: 'cpu' }));
    assert.match(failed.message, /is a symlink loop \(ELOOP\)/);
    assert.doesNotMatch(failed.message, /does not exist/);
  });

  it('a tokenizer.json that is some other file: neither the error nor the status quotes it', HANG, async () => {
    const secret = join(scratch, `secret${serial++}`);
    writeFileSync(secret, 'operator:x:1000:1000:do-not-quote-me:/home/operator:/bin/bash\n');
    const dir = copyOf(model, (d) => {
      rmSync(join(d, 'tokenizer.json'));
      symlinkSync(secret, join(d, 'tokenizer.json'));
    });
    const failed = await rejection(sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir, device: 'cpu' }));
    assert.match(failed.message, /tokenizer\.json is not valid JSON/);
    const status = await sidecar.connection.sendRequest(InkwellRequests.status);
    for (const text of [failed.message, JSON.stringify(failed.data), status.error?.message ?? '']) assert.doesNotMatch(text, /operator|do-not-quote/);
  });

  it("a graph with fewer positions than config.json serves the graph's count, with a warning in the status", HANG, async () => {
    const dir = copyOf(testModel('gpt2', GPT2), (d) => {
      const config = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...config, n_positions: 4096, n_ctx: 4096 }));
    });
    await sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir, device: 'cpu' });
    const status = await sidecar.connection.sendRequest(InkwellRequests.status);
    assert.equal(status.model?.maxPositions, 128);
    assert.ok(
      status.model?.warnings?.some((w) => /config\.json says 4096 positions .* but model\.onnx's transformer\.wpe\.weight holds only 128: using 128/.test(w)),
      JSON.stringify(status.model?.warnings),
    );
    const tooLong = await rejection(sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: 'x '.repeat(200), config: { max_new_tokens: 2 } }));
    assert.match(tooLong.message, /128/);
    await stillServes(dir);
  });
});
