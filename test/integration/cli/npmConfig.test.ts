import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const repoRoot = join(__dirname, '..', '..', '..');

/** The project's .npmrc: only settings npm knows, and no dependency install scripts. */
describe('.npmrc', () => {
  it('npm reads it without warnings and skips install scripts (onnxruntime-node\'s CUDA download among them)', () => {
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (/^npm_config_/i.test(key)) delete env[key]; // as a user's shell has it
    const result = spawnSync('npm', ['config', 'get', 'ignore-scripts'], { cwd: repoRoot, env, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /warn/i);
    assert.equal(result.stdout.trim(), 'true');
  });
});
