import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hubCacheDir, hubModelIdOfSnapshot, hubOffline, parseHubModelId, resolveModelReference } from '../../../../sidecar/runtime/model/modelReference';

const COMMIT = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

describe('model references', () => {
  const root = mkdtempSync(join(tmpdir(), 'inkwell-ref-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const cache = join(root, 'hub');
  const repo = join(cache, 'models--org--coder');
  mkdirSync(join(repo, 'snapshots', COMMIT), { recursive: true });
  mkdirSync(join(repo, 'snapshots', OTHER), { recursive: true });
  mkdirSync(join(repo, 'refs', 'refs', 'pr'), { recursive: true });
  writeFileSync(join(repo, 'refs', 'main'), COMMIT);
  writeFileSync(join(repo, 'refs', 'v2'), `${OTHER}\n`);
  writeFileSync(join(repo, 'refs', 'refs', 'pr', '1'), OTHER);
  const env = { HF_HUB_CACHE: cache };

  it('parses org/name[@revision]; anything else is a path', () => {
    assert.deepEqual(parseHubModelId('onnx-community/Qwen2.5-Coder-0.5B-Instruct'), { repoId: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct', revision: 'main' });
    assert.deepEqual(parseHubModelId('org/name@refs/pr/1'), { repoId: 'org/name', revision: 'refs/pr/1' });
    for (const path of ['gpt2', './org/name', '/abs/path', 'a/b/c', 'C:\\models\\x', 'org/na me']) assert.equal(parseHubModelId(path), undefined, path);
    assert.throws(() => parseHubModelId('org/name@../../etc'), /revision after "@"/);
    assert.throws(() => parseHubModelId('org/name@'), /revision after "@"/);
    assert.throws(() => parseHubModelId('org/na--me'), /cannot contain "--"/);
  });

  it('resolves a repo id to its snapshot through refs/, a commit directly, a nested ref like refs/pr/1', () => {
    assert.equal(resolveModelReference('org/coder', { env, cwd: root }), join(repo, 'snapshots', COMMIT));
    assert.equal(resolveModelReference('org/coder@v2', { env, cwd: root }), join(repo, 'snapshots', OTHER));
    assert.equal(resolveModelReference(`org/coder@${OTHER}`, { env, cwd: root }), join(repo, 'snapshots', OTHER));
    assert.equal(resolveModelReference('org/coder@refs/pr/1', { env, cwd: root }), join(repo, 'snapshots', OTHER));
  });

  it('a folder that exists wins over a repo id of the same spelling; paths resolve against cwd', () => {
    mkdirSync(join(root, 'org', 'coder'), { recursive: true });
    try {
      assert.equal(resolveModelReference('org/coder', { env, cwd: root }), join(root, 'org', 'coder'));
    } finally {
      rmSync(join(root, 'org'), { recursive: true });
    }
    assert.equal(resolveModelReference('./missing', { env, cwd: root }), join(root, 'missing'));
    assert.equal(resolveModelReference('~/m', { env, cwd: root }), join(homedir(), 'm'));
  });

  it('a repo id the cache lacks names the cache and the download command', () => {
    assert.throws(() => resolveModelReference('org/other', { env, cwd: root }), (e: Error & { code?: string }) =>
      e.code === 'model-not-found' && e.message === `model org/other is neither a folder nor in the Hugging Face cache (${cache}); download it with: inkwell download org/other`);
    assert.throws(() => resolveModelReference('org/coder@v9', { env, cwd: root }), /has no snapshot for revision v9; download it with: inkwell download org\/coder@v9/);
  });

  it('finds the cache as huggingface_hub does, and reads HF_HUB_OFFLINE as it does', () => {
    assert.equal(hubCacheDir({ HF_HUB_CACHE: '/x/hub', HF_HOME: '/y' }), '/x/hub');
    assert.equal(hubCacheDir({ HF_HOME: '/y' }), '/y/hub');
    assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/z' }), '/z/huggingface/hub');
    assert.equal(hubCacheDir({}), join(homedir(), '.cache', 'huggingface', 'hub'));
    assert.deepEqual(['1', 'true', 'YES', 'on', '0', '', 'no'].map((v) => hubOffline({ HF_HUB_OFFLINE: v })), [true, true, true, true, false, false, false]);
    assert.equal(hubModelIdOfSnapshot(join(repo, 'snapshots', COMMIT)), 'org/coder');
    assert.equal(hubModelIdOfSnapshot('/models/coder'), undefined);
  });
});
