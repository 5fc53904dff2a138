import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { detectWatermark } from '../../../sidecar/engine/watermark/detectWatermark';
import { HfTokenizer, readModelFolder } from '../../../sidecar/runtime/index';
import { smallModel } from '../../support/testModels';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'inkwell.js');
const scratch = mkdtempSync(join(tmpdir(), 'inkwell-wm-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function inkwell(args: string[], input?: string) {
  assert.ok(existsSync(cli), `${cli} is missing: run npm run build`);
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input, timeout: 120_000 });
  const stderr = r.stderr.split('\n').filter((l) => l && !/Vulkan|BackendVk|^\s+at /.test(l));
  return { code: r.status, stdout: r.stdout, stderr };
}

describe('inkwell watermark detect', () => {
  const model = smallModel();
  const generated = (watermark: boolean): string => {
    const set = ['do_sample=true', 'top_k=0', 'temperature=0.6', 'max_new_tokens=200', 'min_new_tokens=200'];
    if (watermark) set.push('watermarking_config={"hashing_key": 99}');
    const r = inkwell(['generate', '--model', model, '--prompt', 'def main():', '--seed', '3', '--device', 'cpu', '--json', ...set.flatMap((s) => ['--set', s])]);
    assert.equal(r.code, 0, r.stderr.join('\n'));
    return (JSON.parse(r.stdout) as { sequences: { text: string }[] }).sequences[0]!.text;
  };

  it('finds the mark of `generate` with the same key, from a file and from stdin, and not with another key', () => {
    const text = generated(true);
    const file = join(scratch, 'marked.txt');
    writeFileSync(file, text);
    const fromFile = inkwell(['watermark', 'detect', '--model', model, '--key', '99', file, '--json']);
    assert.equal(fromFile.code, 0, fromFile.stderr.join('\n'));
    const json = JSON.parse(fromFile.stdout);
    assert.equal(json.verdict, 'watermarked', fromFile.stdout.slice(0, 300));
    // The same numbers from the engine on the text's token ids, repeats counted once.
    const folder = readModelFolder(model);
    const ids = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig, []).encode(text, { addSpecialTokens: false });
    const expected = detectWatermark(ids, { greenlistRatio: 0.25, hashingKey: 99, contextWidth: 1 }, { ignoreRepeatedNgrams: true });
    assert.deepEqual([json.scored, json.green, json.z], [expected.scored, expected.green, expected.z]);
    // Tokens ending inside a character (the random model writes split UTF-8) have no span of their own.
    assert.ok(json.tokens.length > 0.5 * ids.length && json.tokens.length <= ids.length);
    assert.equal(json.spansExact, true);
    assert.equal(json.tokens.map((t: { start: number; end: number }) => text.slice(t.start, t.end)).join(''), text);

    const fromStdin = inkwell(['watermark', 'detect', '--model', model, '--key', '99'], text);
    assert.equal(fromStdin.code, 0);
    assert.match(fromStdin.stdout, /^watermarked: z = \d+\.\d\d \(threshold 4\), p = /);

    const otherKey = JSON.parse(inkwell(['watermark', 'detect', '--model', model, file, '--json']).stdout);
    assert.equal(otherKey.verdict, 'not-watermarked');
  });

  it('does not find it in the same kind of text generated without the watermark', () => {
    const r = inkwell(['watermark', 'detect', '--model', model, '--key', '99', '--json'], generated(false));
    assert.equal(JSON.parse(r.stdout).verdict, 'not-watermarked');
  });

  it('bad flags exit 2 with one line naming the flag or field and the range', () => {
    const gamma = inkwell(['watermark', 'detect', '--model', model, '--gamma', '1.5'], 'x');
    assert.equal(gamma.code, 2);
    assert.deepEqual(gamma.stderr, ['inkwell: watermarking_config.greenlist_ratio = 1.5 is out of range: must be > 0 and < 1']);
    const width = inkwell(['watermark', 'detect', '--model', model, '--context-width', '0'], 'x');
    assert.equal(width.code, 2);
    assert.match(width.stderr[0]!, /--context-width = 0 is out of range: must be an integer from 1 to 1024/);
    const sub = inkwell(['watermark', 'embed'], 'x');
    assert.equal(sub.code, 2);
    assert.match(sub.stderr[0]!, /unknown subcommand "embed"/);
  });
});
