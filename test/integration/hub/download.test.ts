import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../sidecar/cli/main';
import { InkwellError } from '../../../sidecar/engine';
import { downloadModel } from '../../../sidecar/hub/downloadModel';
import { HubDownloadError } from '../../../sidecar/hub/HubDownloadError';
import { readHubSettings } from '../../../sidecar/hub/hubSettings';
import { DownloadEventSchema, type DownloadEvent } from '../../../sidecar/protocol/downloadEvents';
import { readModelFolder } from '../../../sidecar/runtime/model/modelFolder';
import { FakeHub, repoFile, repoFromFolder, type FakeRepo } from '../../support/FakeHub';
import { testModel } from '../../support/testModels';

// Every test runs against test/support/FakeHub (a local server speaking the Hub's file API): the
// real Hub cannot be reached from the machines these tests run on.

const REPO = 'inkwell-test/tiny-coder';
const PRIVATE = 'inkwell-test/private-coder';
const TOKEN = 'hf_secret_test_token_1234';

function tinyModel(): string {
  return testModel('hub-tiny', { layers: 1, hidden: 32, heads: 2, kvHeads: 1, intermediate: 64, vocab: 1024, seed: 5, dtypes: ['fp32', 'q4'], maxPositions: 128 });
}

function withConfig(repo: FakeRepo, repoId: string, patch: Record<string, unknown>): FakeRepo {
  const files = repo.files.map((f) => (f.path === 'config.json' ? repoFile('config.json', Buffer.from(JSON.stringify({ ...JSON.parse(f.content.toString()), ...patch }))) : f));
  return { ...repo, repoId, files, commit: 'c'.repeat(40), refs: { main: 'c'.repeat(40) } };
}

async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let out = '';
  let err = '';
  try {
    const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) }, new AbortController().signal);
    return { code, out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function events(out: string): DownloadEvent[] {
  return out.trim().split('\n').map((line) => DownloadEventSchema.parse(JSON.parse(line)));
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('inkwell download against a local Hub', () => {
  let hub: FakeHub;
  let repo: FakeRepo;
  let q4: { sha256: string; size: number };
  const caches: string[] = [];
  const newCache = () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkwell-hub-'));
    caches.push(dir);
    return dir;
  };
  const repoFolder = (cache: string) => join(cache, 'models--inkwell-test--tiny-coder');
  const settings = (cache: string) => ({ endpoint: hub.url, cacheDir: cache, offline: false, accessToken: undefined });

  before(async () => {
    repo = repoFromFolder(REPO, tinyModel(), { extraRefs: { v1: undefined as unknown as string } });
    repo = { ...repo, refs: { main: repo.commit, v1: repo.commit } };
    const file = repo.files.find((f) => f.path === 'onnx/model_q4.onnx')!;
    q4 = { sha256: file.lfs!.sha256, size: file.content.length };
    hub = await new FakeHub([
      repo,
      { ...repo, repoId: PRIVATE, token: TOKEN },
      withConfig(repo, 'inkwell-test/mamba', { model_type: 'mamba' }),
      { ...repo, repoId: 'inkwell-test/no-onnx', files: repo.files.filter((f) => !f.path.startsWith('onnx/')) },
    ]).start();
  });
  after(async () => {
    await hub.stop();
    for (const dir of caches) rmSync(dir, { recursive: true, force: true });
  });

  it('fetches only the dtype asked for into the standard cache layout, and --model REPO_ID then generates offline', async () => {
    const cache = newCache();
    const run = await cli(['download', REPO, '--dtype', 'q4', '--endpoint', hub.url, '--cache-dir', cache, '--json']);
    assert.equal(run.code, 0, run.err);
    const evs = events(run.out);
    const plan = evs.find((e) => e.event === 'plan')!;
    assert.ok(plan.event === 'plan');
    assert.deepEqual(plan.files.map((f) => f.path).sort(), ['config.json', 'generation_config.json', 'onnx/model_q4.onnx', 'tokenizer.json', 'tokenizer_config.json'].filter((p) => repo.files.some((f) => f.path === p)).sort());
    const done = evs.at(-1)!;
    assert.ok(done.event === 'done');
    assert.equal(done.commit, repo.commit);
    assert.equal(done.downloadedBytes, plan.downloadBytes);

    const folder = repoFolder(cache);
    const snapshot = join(folder, 'snapshots', repo.commit);
    assert.equal(done.path, snapshot);
    assert.equal(readFileSync(join(folder, 'refs', 'main'), 'utf8'), repo.commit);
    // snapshots/ holds relative links into blobs/, named by sha256 (LFS) or git blob id.
    const link = join(snapshot, 'onnx', 'model_q4.onnx');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), join('..', '..', '..', 'blobs', q4.sha256));
    assert.equal(sha256(link), q4.sha256);
    assert.ok(!existsSync(join(snapshot, 'onnx', 'model.onnx')), 'the fp32 graph is not fetched for --dtype q4');
    assert.deepEqual(readdirSync(join(folder, 'blobs')).filter((n) => n.endsWith('.incomplete')), []);

    const generated = await cli(['generate', '--model', REPO, '--prompt', 'def add(a, b):', '--set', 'max_new_tokens=4', '--device', 'cpu', '--json'], { HF_HUB_CACHE: cache, HF_HUB_OFFLINE: '1' });
    assert.equal(generated.code, 0, generated.err);
    const sequence = JSON.parse(generated.out).sequences[0];
    assert.ok(sequence.token_ids.length >= 1 && sequence.token_ids.length <= 4, generated.out);
  });

  it('a second download of the same repo fetches nothing and reports every file cached', async () => {
    const cache = newCache();
    await downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache) });
    const before = hub.contentRequests().length;
    const evs: DownloadEvent[] = [];
    const result = await downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache), onEvent: (e) => evs.push(e) });
    assert.equal(result.downloadedBytes, 0);
    assert.equal(hub.contentRequests().length, before);
    assert.ok(evs.filter((e) => e.event === 'file').every((e) => e.event === 'file' && e.cached));
  });

  /** Bytes of the files fetched before the q4 graph (config and tokenizer files). */
  const smallBytes = () => repo.files.filter((f) => ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'].includes(f.path)).reduce((s, f) => s + f.content.length, 0);
  /** Drops the held connection once the client has written `cut` bytes of the graph (progress events come after each write). */
  const dropAt = (cut: number) => (e: DownloadEvent) => {
    if (e.event === 'progress' && e.file === 'onnx/model_q4.onnx' && e.bytes === smallBytes() + cut) hub.dropStalled();
  };

  it('resumes an interrupted download with a Range request from where the partial file ends', async () => {
    const cache = newCache();
    const cut = 40_000;
    hub.addFault({ match: new RegExp(`^GET /cdn/${q4.sha256}`), stallAfterBytes: cut });
    await assert.rejects(
      downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache), retries: 0, progressIntervalMs: 0, onEvent: dropAt(cut) }),
      (e: unknown) => HubDownloadError.is(e) && e.reason === 'interrupted' && /broke off at 40000 of \d+ bytes .*run the same command again to resume/.test(e.message),
    );
    const incomplete = join(repoFolder(cache), 'blobs', `${q4.sha256}.incomplete`);
    assert.equal(statSync(incomplete).size, cut);
    // Nothing partial under snapshots/, and no ref to a snapshot that is not complete.
    assert.ok(!existsSync(join(repoFolder(cache), 'snapshots', repo.commit, 'onnx', 'model_q4.onnx')));
    assert.ok(!existsSync(join(repoFolder(cache), 'refs', 'main')));

    const mark = hub.requests.length;
    const evs: DownloadEvent[] = [];
    await downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache), onEvent: (e) => evs.push(e) });
    const resumed = hub.requests.slice(mark).filter((r) => r.url.startsWith(`/cdn/${q4.sha256}`) && r.range !== 'bytes=0-0');
    assert.deepEqual(resumed.map((r) => r.range), [`bytes=${cut}-`]);
    const fileEvent = evs.find((e) => e.event === 'file' && e.path === 'onnx/model_q4.onnx');
    assert.ok(fileEvent?.event === 'file' && fileEvent.resumedFrom === cut);
    const plan = evs.find((e) => e.event === 'plan');
    assert.ok(plan?.event === 'plan');
    // The first run fetched the small files and 40,000 bytes of the graph: only the rest is left.
    assert.equal(plan.downloadBytes, q4.size - cut, 'the plan counts only the bytes still missing');
    assert.equal(sha256(join(repoFolder(cache), 'snapshots', repo.commit, 'onnx', 'model_q4.onnx')), q4.sha256);
    assert.ok(!existsSync(incomplete));
  });

  it('a dropped connection and a 500 within one run are resumed by its own retries', async () => {
    const cache = newCache();
    hub.addFault({ match: new RegExp(`^GET /cdn/${q4.sha256}`), stallAfterBytes: 10_000 });
    hub.addFault({ match: new RegExp(`^GET /cdn/${q4.sha256}`), status: 500 });
    const mark = hub.requests.length;
    await downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache), retries: 3, retryDelayMs: 0, progressIntervalMs: 0, onEvent: dropAt(10_000) });
    const ranges = hub.requests.slice(mark).filter((r) => r.url.startsWith(`/cdn/${q4.sha256}`) && r.range !== 'bytes=0-0').map((r) => r.range);
    assert.deepEqual(ranges, [undefined, 'bytes=10000-', 'bytes=10000-']);
    assert.equal(sha256(join(repoFolder(cache), 'snapshots', repo.commit, 'onnx', 'model_q4.onnx')), q4.sha256);
  });

  it('a connection dropped at once (no bytes read) is retried from wherever the partial file ends', async () => {
    const cache = newCache();
    hub.addFault({ match: new RegExp(`^GET /cdn/${q4.sha256}`), dropAfterBytes: 5_000 });
    await downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache), retries: 1, retryDelayMs: 0 });
    assert.equal(sha256(join(repoFolder(cache), 'snapshots', repo.commit, 'onnx', 'model_q4.onnx')), q4.sha256);
  });

  it('two downloads of one repo at once into one cache: each blob is fetched once and nothing is corrupted', async () => {
    const cache = newCache();
    const mark = hub.requests.length;
    const [a, b] = await Promise.all([
      downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache) }),
      downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache) }),
    ]);
    assert.equal(a.path, b.path);
    const bodies = hub.requests.slice(mark).filter((r) => r.url.startsWith(`/cdn/${q4.sha256}`) && r.range !== 'bytes=0-0');
    assert.equal(bodies.length, 1, 'the second waited for the first and found the blob');
    assert.equal(a.downloadedBytes + b.downloadedBytes, repo.files.filter((f) => ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_q4.onnx'].includes(f.path)).reduce((s, f) => s + f.content.length, 0));
    for (const f of repo.files.filter((f) => f.path !== 'onnx/model.onnx')) {
      const path = join(a.path, f.path);
      if (existsSync(path)) assert.deepEqual(readFileSync(path), f.content, f.path);
    }
    readModelFolder(a.path);
  });

  it('a corrupt body is detected by its sha256, deleted, and never linked; the next run fetches it clean', async () => {
    const cache = newCache();
    hub.addFault({ match: new RegExp(`^GET /cdn/${q4.sha256}`), corrupt: true });
    await assert.rejects(downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache) }), (e: unknown) => HubDownloadError.is(e) && e.reason === 'corrupt' && e.message.includes(q4.sha256));
    const blobs = join(repoFolder(cache), 'blobs');
    assert.ok(!existsSync(join(blobs, q4.sha256)) && !existsSync(join(blobs, `${q4.sha256}.incomplete`)));
    assert.ok(!existsSync(join(repoFolder(cache), 'snapshots', repo.commit, 'onnx', 'model_q4.onnx')));
    await downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache) });
    assert.equal(sha256(join(blobs, q4.sha256)), q4.sha256);
  });

  it('a corrupt small (git) file is caught by its git blob id', async () => {
    const cache = newCache();
    hub.addFault({ match: /^GET \/inkwell-test\/tiny-coder\/resolve\/[0-9a-f]{40}\/tokenizer\.json$/, corrupt: true });
    await assert.rejects(downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache) }), (e: unknown) => HubDownloadError.is(e) && e.reason === 'corrupt' && /tokenizer\.json.*git blob id/.test(e.message));
  });

  it('a private repo: 401 without HF_TOKEN exits 2 naming HF_TOKEN; with it, it downloads; the token is never printed', async () => {
    const cache = newCache();
    const denied = await cli(['download', PRIVATE, '--endpoint', hub.url, '--cache-dir', cache], { HF_TOKEN: undefined, HF_HOME: cache });
    assert.equal(denied.code, 2);
    assert.match(denied.err, /^inkwell: inkwell-test\/private-coder \(revision main\) at http:\/\/127\.0\.0\.1:\d+: 401 Unauthorized; the repo is private or gated: set HF_TOKEN/);
    assert.equal(denied.err.trim().split('\n').length, 1);

    const wrong = await cli(['download', PRIVATE, '--endpoint', hub.url, '--cache-dir', cache, '--json'], { HF_TOKEN: 'hf_wrong_token_5678' });
    assert.equal(wrong.code, 2);
    assert.ok(!`${wrong.out}${wrong.err}`.includes('hf_wrong_token_5678'));
    assert.match(wrong.err, /HF_TOKEN is set but has no access/);

    const ok = await cli(['download', PRIVATE, '--endpoint', hub.url, '--cache-dir', cache, '--json'], { HF_TOKEN: TOKEN });
    assert.equal(ok.code, 0, ok.err);
    assert.ok(!`${ok.out}${ok.err}`.includes(TOKEN));
  });

  it('bad input exits 2 with one line naming what is wrong', async () => {
    const cache = newCache();
    const cases: [string[], RegExp][] = [
      [['download', 'inkwell-test/nope'], /inkwell-test\/nope \(revision main\) was not found at .*no such model repo or revision/],
      [['download', REPO, '--revision', 'v9'], /revision v9\) was not found/],
      [['download', REPO, '--dtype', 'fp16'], /has no onnx\/model_fp16\.onnx for --dtype fp16; it has: q4, fp32/],
      [['download', REPO, '--dtype', 'fp64'], /--dtype = fp64 is not allowed/],
      [['download', 'not a repo'], /REPO_ID "not a repo" is not of the form org\/name/],
      [['download', `${REPO}@../../etc`], /revision after "@"/],
      [['download'], /expected one REPO_ID/],
      [['download', 'inkwell-test/mamba'], /model_type "mamba" is not supported/],
      [['download', 'inkwell-test/no-onnx'], /has no ONNX export/],
      [['download', REPO, '--endpoint', 'ftp://example.com'], /--endpoint "ftp:\/\/example\.com" must be an http or https URL/],
    ];
    for (const [argv, pattern] of cases) {
      const run = await cli([...argv, ...(argv.includes('--endpoint') ? [] : ['--endpoint', hub.url]), '--cache-dir', cache]);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.err}`);
      assert.match(run.err, pattern, argv.join(' '));
      assert.equal(run.err.trim().split('\n').length, 1, argv.join(' '));
    }
    // The unsupported model stopped at config.json: no graph was fetched.
    assert.ok(!existsSync(join(cache, 'models--inkwell-test--mamba', 'snapshots', 'c'.repeat(40), 'onnx')));
  });

  it('not enough disk space stops before any large file is fetched', async () => {
    const cache = newCache();
    const mark = hub.contentRequests().length;
    await assert.rejects(
      downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache), freeBytes: () => 1000 }),
      (e: Error) => /not enough disk space for inkwell-test\/tiny-coder \(q4\): needs [\d.]+ KB, 1.0 KB free/.test(e.message),
    );
    assert.deepEqual(hub.contentRequests().slice(mark).map((r) => r.url.split('/').pop()), ['config.json']);
  });

  it('5xx from the Hub exits 1 with one line; the revision given by --revision is recorded under refs/', async () => {
    const cache = newCache();
    hub.addFault({ match: /^GET \/api\/models\/inkwell-test\/tiny-coder\/revision/, status: 503 });
    const failed = await cli(['download', REPO, '--endpoint', hub.url, '--cache-dir', cache]);
    assert.equal(failed.code, 1);
    assert.match(failed.err, /^inkwell: inkwell-test\/tiny-coder \(revision main\): the Hub at .* answered 503; try again later\n$/);
    const ok = await cli(['download', REPO, '--revision', 'v1', '--endpoint', hub.url, '--cache-dir', cache]);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out.trim(), join(repoFolder(cache), 'snapshots', repo.commit));
    assert.equal(readFileSync(join(repoFolder(cache), 'refs', 'v1'), 'utf8'), repo.commit);
  });

  it('HF_HUB_OFFLINE=1: a cached model is reported without a request; a missing one exits 2 without a request', async () => {
    const cache = newCache();
    await downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings: settings(cache) });
    const mark = hub.requests.length;
    const cached = await cli(['download', REPO, '--endpoint', hub.url, '--cache-dir', cache], { HF_HUB_OFFLINE: '1' });
    assert.equal(cached.code, 0, cached.err);
    assert.equal(cached.out.trim(), join(repoFolder(cache), 'snapshots', repo.commit));
    const fp32 = await cli(['download', REPO, '--dtype', 'fp32', '--endpoint', hub.url, '--cache-dir', cache], { HF_HUB_OFFLINE: '1' });
    assert.equal(fp32.code, 2);
    assert.match(fp32.err, /HF_HUB_OFFLINE is set and inkwell-test\/tiny-coder@main is not complete for --dtype fp32/);
    const missing = await cli(['download', PRIVATE, '--endpoint', hub.url, '--cache-dir', cache], { HF_HUB_OFFLINE: '1' });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /HF_HUB_OFFLINE is set and inkwell-test\/private-coder@main is not in /);
    assert.equal(hub.requests.length, mark, 'offline: no request reached the Hub');
  });

  it('readHubSettings: HF_ENDPOINT and the token file; a token that is not hf_… is refused without echoing it', () => {
    const home = newCache();
    writeFileSync(join(home, 'token'), `${TOKEN}\n`);
    const s = readHubSettings({}, { HF_HOME: home, HF_ENDPOINT: 'http://hub.example:8080/' });
    assert.equal(s.endpoint, 'http://hub.example:8080');
    assert.equal(s.accessToken, TOKEN);
    assert.equal(s.cacheDir, join(home, 'hub'));
    assert.throws(() => readHubSettings({}, { HF_TOKEN: 'ghp_notatoken' }), (e: Error) => /not a Hugging Face access token/.test(e.message) && !e.message.includes('ghp_notatoken'));
  });

  it('--list gives each dtype with the bytes a download of it fetches, and fetches nothing', async () => {
    const cache = newCache();
    const run = await cli(['download', REPO, '--list', '--endpoint', hub.url, '--cache-dir', cache, '--json']);
    assert.equal(run.code, 0, run.err);
    const [listed] = events(run.out);
    assert.ok(listed?.event === 'variants');
    assert.equal(listed.commit, repo.commit);
    assert.deepEqual(listed.variants.map((v) => v.dtype), ['q4', 'fp32']);
    const small = repo.files.filter((f) => ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'].includes(f.path)).reduce((n, f) => n + f.content.length, 0);
    for (const v of listed.variants) {
      const graph = repo.files.find((f) => f.path === `onnx/${v.dtype === 'q4' ? 'model_q4.onnx' : 'model.onnx'}`)!;
      assert.equal(v.bytes, small + graph.content.length, v.dtype);
    }
    assert.ok(listed.freeBytes > 0);
    assert.deepEqual(readdirSync(cache), [], 'nothing written to the cache');
    const human = await cli(['download', REPO, '--list', '--endpoint', hub.url, '--cache-dir', cache]);
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, /--dtype q4 .* in 5 files/);
    const noOnnx = await cli(['download', 'inkwell-test/no-onnx', '--list', '--endpoint', hub.url, '--cache-dir', cache, '--json']);
    assert.equal(noOnnx.code, 2);
    assert.match(events(noOnnx.out)[0]!.event === 'error' ? (events(noOnnx.out)[0] as { message: string }).message : '', /no ONNX export/);
    const both = await cli(['download', REPO, '--list', '--dtype', 'q4', '--endpoint', hub.url, '--cache-dir', cache]);
    assert.equal(both.code, 2);
  });

  it('inkwell models lists what the cache holds that Inkwell can load, as a reference --model takes', async () => {
    const cache = newCache();
    const empty = await cli(['models', '--cache-dir', cache, '--json']);
    assert.deepEqual(JSON.parse(empty.out), { cacheDir: cache, models: [] });
    assert.equal((await cli(['download', REPO, '--dtype', 'q4', '--endpoint', hub.url, '--cache-dir', cache, '--json'])).code, 0);
    // Not a model Inkwell can load: a dataset-like repo folder and a snapshot without a graph.
    const stray = join(cache, 'models--someone--not-a-model', 'snapshots', 'd'.repeat(40));
    mkdirSync(stray, { recursive: true });
    writeFileSync(join(stray, 'config.json'), '{"model_type": "bert"}');
    const run = await cli(['models', '--cache-dir', cache, '--json']);
    assert.equal(run.code, 0, run.err);
    const { models } = JSON.parse(run.out) as { models: { reference: string; dtypes: string[]; modelType: string; bytes: number; commit: string }[] };
    assert.deepEqual(models.map((m) => [m.reference, m.dtypes, m.commit]), [[REPO, ['q4'], repo.commit]]);
    const snapshot = join(repoFolder(cache), 'snapshots', repo.commit);
    assert.equal(models[0]!.modelType, readModelFolder(snapshot).architecture.modelType);
    const files = repo.files.filter((f) => ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_q4.onnx'].includes(f.path));
    assert.equal(models[0]!.bytes, files.reduce((n, f) => n + f.content.length, 0));
    // A snapshot no ref points at is listed by its commit.
    rmSync(join(repoFolder(cache), 'refs', 'main'));
    const byCommit = JSON.parse((await cli(['models', '--cache-dir', cache, '--json'])).out) as { models: { reference: string }[] };
    assert.deepEqual(byCommit.models.map((m) => m.reference), [`${REPO}@${repo.commit}`]);
    const human = await cli(['models', '--cache-dir', cache]);
    assert.match(human.out, new RegExp(`^${REPO}@${repo.commit}\tq4\t`));
  });

  it('HTTP_PROXY: the Hub requests and the downloads go through the proxy; NO_PROXY exempts a host', async () => {
    // A forward proxy of our own (CONNECT tunnels, as undici's proxy agent uses), counting what it carried.
    const tunnels: string[] = [];
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const cache = newCache();
      const hubHost = new URL(hub.url).host;
      const run = await cli(['download', REPO, '--dtype', 'q4', '--endpoint', hub.url, '--cache-dir', cache, '--json'], { HTTP_PROXY: proxyUrl, NO_PROXY: undefined, no_proxy: undefined });
      assert.equal(run.code, 0, run.err);
      assert.ok(tunnels.includes(hubHost), `the Hub's API through the proxy (tunnels: ${tunnels.join(', ')})`);
      assert.ok(tunnels.length >= 2 && tunnels.some((t) => t !== hubHost), `the file transfers (the CDN host) through the proxy too (tunnels: ${tunnels.join(', ')})`);
      assert.equal(sha256(join(repoFolder(cache), 'snapshots', repo.commit, 'onnx', 'model_q4.onnx')), q4.sha256);

      tunnels.length = 0;
      const exempt = await cli(['download', REPO, '--list', '--endpoint', hub.url, '--cache-dir', newCache(), '--json'], { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
      assert.equal(exempt.code, 0, exempt.err);
      assert.deepEqual(tunnels, [], 'NO_PROXY=127.0.0.1: nothing through the proxy');

      const dead = await cli(['download', REPO, '--list', '--endpoint', hub.url, '--cache-dir', newCache(), '--json'], { HTTP_PROXY: 'http://127.0.0.1:9' });
      assert.equal(dead.code, 1, 'an unreachable proxy is a network failure (exit 1), not a hang');
      assert.match(events(dead.out)[0]!.event === 'error' ? (events(dead.out)[0] as { message: string }).message : '', /./);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it('a real full disk and a read-only cache (tmpfs mounts): exit 2 with one line naming the cache; the partial file stays', async (t) => {
    const mounts: string[] = [];
    const mount = (options: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'inkwell-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
      mounts.push(dir);
      return dir;
    };
    try {
      try {
        mount('size=200k');
      } catch (error) {
        return t.skip(`cannot mount a tmpfs here (needs root and mount rights): ${(error as Error).message.split('\n')[0]}`);
      }
      const small = mounts[0]!;
      // statfs sees the 200 KB: the plan is refused before the graph is fetched.
      const refused = await cli(['download', REPO, '--dtype', 'fp32', '--endpoint', hub.url, '--cache-dir', small, '--json']);
      assert.equal(refused.code, 2, refused.err);
      assert.match(refused.err, /not enough disk space .* free in /);
      // Told there is room, the write itself runs out: ENOSPC, not "interrupted, try again".
      await assert.rejects(
        downloadModel({ repoId: REPO, revision: 'main', dtype: 'fp32', settings: settings(small), freeBytes: () => 1e12, retries: 3, retryDelayMs: 0 }),
        (e: unknown) => InkwellError.is(e) && e.code === 'invalid-argument' && /^no space left in the Hugging Face cache .* while writing onnx\/model\.onnx \(ENOSPC\); the partial file is kept/.test(e.message),
      );
      const graph = repo.files.find((f) => f.path === 'onnx/model.onnx')!;
      const partial = join(repoFolder(small), 'blobs', `${graph.lfs!.sha256}.incomplete`);
      assert.ok(statSync(partial).size > 0 && statSync(partial).size < graph.content.length, 'the partial file is kept');
      assert.ok(!existsSync(join(repoFolder(small), 'snapshots', repo.commit, 'onnx', 'model.onnx')), 'nothing half-written under snapshots/');

      const readOnly = mount('ro,size=200k');
      const denied = await cli(['download', REPO, '--dtype', 'q4', '--endpoint', hub.url, '--cache-dir', readOnly, '--json']);
      assert.equal(denied.code, 2, denied.err);
      const [event] = events(denied.out);
      assert.ok(event?.event === 'error' && event.code === 'invalid-argument' && /cannot write to the Hugging Face cache .*: a read-only file system \(EROFS\); pass --cache-dir/.test(event.message), JSON.stringify(event));
    } finally {
      for (const dir of mounts) {
        execFileSync('umount', [dir], { stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

