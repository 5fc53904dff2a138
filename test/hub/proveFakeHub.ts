// Dev script (never run by npm test or CI: they need no Python). Proves test/support/FakeHub
// faithful to the Hub with the real huggingface_hub client from PyPI, and the two caches
// interchangeable:
//   python3 -m venv test/hub/.venv && test/hub/.venv/bin/pip install -r test/hub/requirements.txt
//   node sidecar/build.mjs && node --import tsx test/hub/proveFakeHub.ts
// Writes test/hub/fixtures/huggingface_hub-proof.json (committed): each check and what was seen.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { downloadModel } from '../../sidecar/hub/downloadModel';
import type { DownloadEvent } from '../../sidecar/protocol/downloadEvents';
import { FakeHub, repoFromFolder } from '../support/FakeHub';
import { testModel } from '../support/testModels';

const root = join(__dirname, '..', '..');
const python = join(__dirname, '.venv', 'bin', 'python');
const REPO = 'inkwell-test/tiny-coder';
const PRIVATE = 'inkwell-test/private-coder';
const TOKEN = 'hf_proof_token_0000';
const checks: { check: string; ok: boolean; seen: unknown }[] = [];
const check = (name: string, ok: boolean, seen: unknown) => {
  checks.push({ check: name, ok, seen });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${JSON.stringify(seen)}`}`);
};

/** Runs one step of python_client.py; async, since the fake hub answers from this process's event loop. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- python_client.py's JSON, a different shape per step
function py(step: string, cache: string, repo: string, env: Record<string, string>, extra: string[] = []): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(__dirname, 'python_client.py'), step, cache, repo, ...extra], { env: { ...process.env, HF_HUB_DISABLE_TELEMETRY: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => void (out += c));
    child.stderr.on('data', (c: Buffer) => void (err += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`python ${step} exited ${code}:\n${err}`))));
  });
}

async function main(): Promise<void> {
  const dir = testModel('hub-tiny', { layers: 1, hidden: 32, heads: 2, kvHeads: 1, intermediate: 64, vocab: 1024, seed: 5, dtypes: ['fp32', 'q4'], maxPositions: 128 });
  const base = repoFromFolder(REPO, dir);
  const repo = { ...base, refs: { main: base.commit, v1: base.commit } };
  const q4 = repo.files.find((f) => f.path === 'onnx/model_q4.onnx')!;
  const hub = await new FakeHub([repo, { ...repo, repoId: PRIVATE, token: TOKEN }]).start();
  const env = { HF_ENDPOINT: hub.url };
  const work = mkdtempSync(join(tmpdir(), 'inkwell-proof-'));
  const folder = (cache: string) => join(cache, 'models--inkwell-test--tiny-coder');
  try {
    // 1. huggingface_hub downloads; Inkwell loads from its cache.
    const cacheA = join(work, 'written-by-huggingface_hub');
    const a = await py('download', cacheA, REPO, env);
    const wanted = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_q4.onnx'].filter((p) => repo.files.some((f) => f.path === p)).sort();
    check('huggingface_hub snapshot_download(allow_patterns) fetches the q4 files into snapshots/<commit>', a.snapshot === join(folder(cacheA), 'snapshots', repo.commit) && JSON.stringify(a.files.sort()) === JSON.stringify(wanted), { snapshot: relative(work, a.snapshot), files: a.files });
    check('model_info(sha, siblings), list_repo_tree (paged by Link), get_paths_info (lfs sha256, size) read as the fake serves them', a.sha === repo.commit && a.siblings === repo.files.length && JSON.stringify(a.tree) === JSON.stringify(repo.files.map((f) => f.path).sort()) && a.q4_lfs_sha256 === q4.lfs!.sha256 && a.q4_size === q4.content.length, { sha: a.sha, siblings: a.siblings, tree: a.tree.length, q4_lfs_sha256: a.q4_lfs_sha256 });
    check('hf_hub_download(revision="v1") records refs/v1', readFileSync(join(folder(cacheA), 'refs', 'v1'), 'utf8') === repo.commit, relative(work, a.tagged));
    const generated = spawnSync(process.execPath, [join(root, 'dist', 'inkwell.js'), 'generate', '--model', REPO, '--prompt', 'def f(x):', '--set', 'max_new_tokens=4', '--device', 'cpu', '--json'], { env: { ...process.env, HF_HUB_CACHE: cacheA, HF_HUB_OFFLINE: '1', ORT_DISABLE_TELEMETRY: '1' }, encoding: 'utf8' });
    check('a cache written by huggingface_hub loads in Inkwell: inkwell generate --model org/name with HF_HUB_OFFLINE=1', generated.status === 0, generated.status === 0 ? { tokens: JSON.parse(generated.stdout).sequences[0].token_ids.length } : generated.stderr.trim());

    // 2. Inkwell downloads; huggingface_hub finds it offline.
    const cacheB = join(work, 'written-by-inkwell');
    const settings = { endpoint: hub.url, cacheDir: cacheB, offline: false, accessToken: undefined };
    const ours = await downloadModel({ repoId: REPO, revision: 'main', dtype: 'q4', settings });
    const mark = hub.requests.length;
    const b = await py('offline', cacheB, REPO, { ...env, HF_HUB_OFFLINE: '1' });
    check('a cache written by Inkwell is found by huggingface_hub with HF_HUB_OFFLINE=1 (snapshot_download, hf_hub_download), no request made', b.snapshot === ours.path && b.q4 === join(ours.path, 'onnx', 'model_q4.onnx') && hub.requests.length === mark, { snapshot: relative(work, b.snapshot), requests: hub.requests.length - mark });
    check('scan_cache_dir reads Inkwell\'s cache without warnings', b.warnings.length === 0 && b.repos.length === 1 && b.repos[0].refs.join() === 'main' && b.repos[0].nb_files === wanted.length, b);

    // 3. Partial files. huggingface_hub 2.x writes a process-unique <etag>.<uuid>.incomplete
    //    (huggingface_hub PR #4228): it never resumes another process's partial file, ours included,
    //    and must not be corrupted by it. Within one call it resumes a dropped connection with Range.
    const cacheC = join(work, 'partial');
    const cut = 40_000;
    const small = repo.files.filter((f) => ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'].includes(f.path)).reduce((s, f) => s + f.content.length, 0);
    hub.addFault({ match: new RegExp(`^GET /cdn/${q4.lfs!.sha256}`), stallAfterBytes: cut });
    await downloadModel({
      repoId: REPO, revision: 'main', dtype: 'q4', settings: { ...settings, cacheDir: cacheC }, retries: 0, progressIntervalMs: 0,
      onEvent: (e: DownloadEvent) => e.event === 'progress' && e.bytes === small + cut && hub.dropStalled(),
    }).catch(() => undefined);
    const kept = statSync(join(folder(cacheC), 'blobs', `${q4.lfs!.sha256}.incomplete`)).size;
    const mark2 = hub.requests.length;
    const c = await py('resume', cacheC, REPO, env);
    const ranges = hub.requests.slice(mark2).filter((r) => r.url.startsWith('/cdn/') && r.method === 'GET').map((r) => r.range ?? 'none');
    const sha = createHash('sha256').update(readFileSync(c.path)).digest('hex');
    check("huggingface_hub ignores the <etag>.incomplete Inkwell left (no Range: it fetches the whole file into its own temp file) and the blob's sha256 matches", kept === cut && ranges.join() === 'none' && sha === q4.lfs!.sha256, { kept, ranges, sha256Matches: sha === q4.lfs!.sha256 });
    const cacheD = join(work, 'dropped');
    hub.addFault({ match: new RegExp(`^GET /cdn/${q4.lfs!.sha256}`), dropAfterBytes: 50_000 });
    const mark3 = hub.requests.length;
    const d0 = await py('resume', cacheD, REPO, env);
    const ranges3 = hub.requests.slice(mark3).filter((r) => r.url.startsWith('/cdn/') && r.method === 'GET').map((r) => r.range ?? 'none');
    const sha3 = createHash('sha256').update(readFileSync(d0.path)).digest('hex');
    // Its retry sends Range only for bytes it already wrote; here the drop came before it wrote any
    // (as with fetch, a body that errors loses what was buffered), so the retry is a plain GET.
    check('a connection the fake drops mid-file: huggingface_hub retries and the file completes with the right sha256', ranges3.length === 2 && ranges3[0] === 'none' && sha3 === q4.lfs!.sha256, { ranges: ranges3, sha256Matches: sha3 === q4.lfs!.sha256 });

    // 4. Errors as the Hub gives them: huggingface_hub maps them to its own exception types.
    const d = await py('private', join(work, 'private'), PRIVATE, env, [TOKEN]);
    check('401 / EntryNotFound / RepoNotFound / RevisionNotFound headers become huggingface_hub\'s exceptions', d.without_token.startsWith('GatedRepoError 401') && d.with_token === 'config.json' && d.missing_file === 'RemoteEntryNotFoundError' && d.missing_repo === 'RepositoryNotFoundError' && d.missing_revision === 'RevisionNotFoundError', d);
  } finally {
    await hub.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const version = spawnSync(python, ['-c', 'import huggingface_hub, sys; print(huggingface_hub.__version__, sys.version.split()[0])'], { encoding: 'utf8' }).stdout.trim().split(' ');
  mkdirSync(join(__dirname, 'fixtures'), { recursive: true });
  writeFileSync(join(__dirname, 'fixtures', 'huggingface_hub-proof.json'), `${JSON.stringify({ huggingface_hub: version[0], python: version[1], hub_js: JSON.parse(readFileSync(join(root, 'node_modules', '@huggingface', 'hub', 'package.json'), 'utf8')).version, checks }, null, 2)}\n`);
  process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
}

void main();
