// Dev script, not a test: `node sidecar/build.mjs && node --import tsx test/hub/measureDownload.ts [--mb 256]`.
// Serves a generated model with a large random external-data file from test/support/FakeHub (the
// real Hub is out of reach here), then runs the built CLI: one full download (rate), one stopped
// by SIGINT half way and run again (resume: the Range asked for, the bytes kept, the sha256).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeHub, repoFromFolder } from '../support/FakeHub';
import { testModel } from '../support/testModels';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '256' } } });
const size = Number(values.mb) * 1024 * 1024;
const cli = join(__dirname, '..', '..', 'dist', 'inkwell.js');
const dir = testModel('hub-tiny', { layers: 1, hidden: 32, heads: 2, kvHeads: 1, intermediate: 64, vocab: 1024, seed: 5, dtypes: ['fp32', 'q4'], maxPositions: 128 });
const big = randomBytes(size);
const repo = repoFromFolder('inkwell-test/big', dir, { extraFiles: { 'onnx/model.onnx_data': big } });
const bigSha = createHash('sha256').update(big).digest('hex');

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI's --json events, read loosely in this dev script */
function run(cache: string, hub: FakeHub, onLine?: (event: { event: string; bytes?: number; file?: string }, child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; events: any[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'download', 'inkwell-test/big', '--dtype', 'fp32', '--endpoint', hub.url, '--cache-dir', cache, '--json']);
    const events: any[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const event = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        events.push(event);
        onLine?.(event, child);
      }
    });
    child.stderr.pipe(process.stderr);
    child.on('exit', (code) => resolve({ code, events }));
  });
}

async function main(): Promise<void> {
  const hub = await new FakeHub([repo]).start();
  try {
    const full = mkdtempSync(join(tmpdir(), 'inkwell-measure-'));
    const a = await run(full, hub);
    const done = a.events.at(-1);
    console.log(`full download: exit ${a.code}, ${(done.downloadedBytes / 1e6).toFixed(1)} MB in ${done.seconds.toFixed(2)} s = ${(done.downloadedBytes / 1e6 / done.seconds).toFixed(0)} MB/s`);
    rmSync(full, { recursive: true, force: true });

    const cache = mkdtempSync(join(tmpdir(), 'inkwell-measure-'));
    let stopped = false;
    const b = await run(cache, hub, (event, child) => {
      if (!stopped && event.event === 'progress' && event.file === 'onnx/model.onnx_data' && (event.bytes ?? 0) > size / 2) {
        stopped = true;
        child.kill('SIGINT');
      }
    });
    const blob = join(cache, 'models--inkwell-test--big', 'blobs', bigSha);
    const kept = statSync(`${blob}.incomplete`).size;
    console.log(`interrupted by SIGINT: exit ${b.code}, ${kept} bytes kept in ${bigSha.slice(0, 12)}….incomplete (${b.events.at(-1).event}: ${b.events.at(-1).message})`);
    const mark = hub.requests.length;
    const c = await run(cache, hub);
    const ranges = hub.requests.slice(mark).filter((r) => r.url === `/cdn/${bigSha}` && r.range !== 'bytes=0-0').map((r) => r.range);
    const resumed = c.events.find((e) => e.event === 'file' && e.path === 'onnx/model.onnx_data');
    const ok = createHash('sha256').update(readFileSync(blob)).digest('hex') === bigSha;
    console.log(`resumed: exit ${c.code}, Range ${ranges.join(', ')}, resumedFrom ${resumed.resumedFrom} (= kept: ${resumed.resumedFrom === kept}), downloaded ${c.events.at(-1).downloadedBytes} bytes (= rest: ${c.events.at(-1).downloadedBytes === size - kept}), sha256 ${ok ? 'matches' : 'DIFFERS'}`);
    rmSync(cache, { recursive: true, force: true });
  } finally {
    await hub.stop();
  }
}

void main();
