import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InkwellError, isAbortError } from '../../../../sidecar/engine/InkwellError';
import { TemplateRenderer, type TemplateLimits } from '../../../../sidecar/runtime/tokenizer/TemplateRenderer';

const renderers: TemplateRenderer[] = [];
after(() => renderers.forEach((r) => r.dispose()));

function renderer(limits: Partial<TemplateLimits> = {}): TemplateRenderer {
  const r = new TemplateRenderer({ timeMs: 60_000, memoryMb: 512, baseOutputChars: 1000, ...limits });
  renderers.push(r);
  return r;
}

const request = (source: string, context: Record<string, unknown> = {}) => ({ source, context, inputChars: 0, origin: 'test.jinja' });

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(InkwellError.is(e), `expected an InkwellError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('TemplateRenderer: limits, each followed by a render that works', () => {
  it('renders with the context it is given, one render at a time', async () => {
    const r = renderer();
    const results = await Promise.all([1, 2, 3].map((n) => r.render(request('{{ n * 2 }}', { n }))));
    assert.deepEqual(results, ['2', '4', '6']);
  });

  it('the memory limit stops a template that builds a huge list', { timeout: 120_000 }, async () => {
    const r = renderer({ memoryMb: 64 });
    await rejectsWith(r.render(request('{% for i in range(10**8) %}{% endfor %}')), 'tokenizer-invalid', /\(test\.jinja\) ended its process \(SIGABRT\): it built a value over the 64 MB of memory/);
    assert.equal(await r.render(request('ok')), 'ok');
  });

  it('the time limit stops a template that loops', { timeout: 120_000 }, async () => {
    const r = renderer({ timeMs: 300 });
    await rejectsWith(r.render(request('{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}')), 'tokenizer-invalid', /\(test\.jinja\) ran longer than the 300 ms/);
    assert.equal(await r.render(request('ok')), 'ok');
  });

  it('the output limit counts the input the output may repeat', async () => {
    const r = renderer();
    const long = { source: '{{ text }}', context: { text: 'y'.repeat(3000) }, origin: 'test.jinja' };
    await rejectsWith(r.render({ ...long, inputChars: 0 }), 'tokenizer-invalid', /rendered 3000 characters, over the limit of 1000/);
    assert.equal((await r.render({ ...long, inputChars: 3000 })).length, 3000);
  });

  it('errors of the template itself keep the template usable', async () => {
    const r = renderer();
    await rejectsWith(r.render(request('{{ raise_exception("roles must alternate") }}')), 'invalid-argument', /\(test\.jinja\) failed to render: roles must alternate/);
    await rejectsWith(r.render(request('{% if %}')), 'tokenizer-invalid', /\(test\.jinja\) does not parse/);
    assert.equal(await r.render(request('ok')), 'ok');
  });

  it('an abort stops a render in flight', { timeout: 120_000 }, async () => {
    const r = renderer();
    const controller = new AbortController();
    const running = r.render(request('{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}'), controller.signal);
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(running, (e: unknown) => isAbortError(e));
    assert.equal(await r.render(request('ok')), 'ok');
  });

  it('an idle template process does not keep the parent alive', { timeout: 120_000 }, () => {
    const source = join(__dirname, '../../../../sidecar/runtime/tokenizer/TemplateRenderer.ts');
    const script = `const { TemplateRenderer } = require(${JSON.stringify(source)}); new TemplateRenderer().render({ source: '{{ 1 + 1 }}', context: {}, inputChars: 0, origin: 't' }).then((t) => console.log(t));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 90_000 });
    assert.equal(child.signal, null, 'the process did not exit by itself');
    assert.equal(child.stdout.trim(), '2', child.stderr);
  });
});
