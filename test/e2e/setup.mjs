// Installs what the e2e tests need on a fresh machine, idempotently (well under a second when
// everything is there): Debian's Chromium and ripgrep plus the toolchain code-server's native
// modules build with, and code-server itself into test/tools (its own lockfile, so the project's
// `npm ci` never pays for it). The recipe and why each step exists: shared/docs/vscode-e2e.md.
//
//   node test/e2e/setup.mjs                 everything the e2e tests need
//   node test/e2e/setup.mjs --server-only   code-server alone (npm start), no Chromium
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptBlocker, aptInstallArgs } from './aptInstall.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsDir = join(repoRoot, 'test', 'tools');
const chromium = '/usr/bin/chromium';
const ripgrep = '/usr/bin/rg';
const serverOnly = process.argv.includes('--server-only');
const aptPackages = [...(serverOnly ? [] : ['chromium']), 'ripgrep', 'libkrb5-dev', 'pkg-config', 'python3', 'make', 'g++'];
const requiredPaths = serverOnly ? [ripgrep] : [chromium, ripgrep];
// code-server 4.100.3 installs @vscode/ripgrep 1.15.11 in its postinstall, which looks for this
// archive in $TMPDIR before downloading it from a host these machines cannot reach.
const ripgrepCache = { dir: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };
// Written after a complete `npm ci`: a half-finished install or a changed lockfile reinstalls.
const stampFile = join(toolsDir, 'node_modules', '.inkwell-setup');

const started = performance.now();
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function step(what, action) {
  const t = performance.now();
  console.log(`[e2e setup] ${what} ...`);
  try {
    action();
  } catch (error) {
    console.error(`[e2e setup] FAILED: ${what}: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  console.log(`[e2e setup] ${what}: done in ${seconds(t)}`);
}

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: 'inherit', ...options });
}

function lockHash() {
  return createHash('sha256').update(readFileSync(join(toolsDir, 'package-lock.json'))).digest('hex');
}

let changed = false;

if (requiredPaths.some((path) => !existsSync(path))) {
  changed = true;
  console.log(`[e2e setup] the end-to-end tests need ${requiredPaths.filter((p) => !existsSync(p)).join(' and ')}: installing Debian packages ${aptPackages.join(' ')} (no recommended extras)`);
  const blocker = aptBlocker();
  if (blocker) {
    console.error(`[e2e setup] FAILED: ${blocker}`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  step('apt-get update', () => run('apt-get', ['update', '-qq'], { env }));
  step(`apt-get ${aptInstallArgs(aptPackages).join(' ')}`, () => run('apt-get', aptInstallArgs(aptPackages), { env }));
  for (const path of requiredPaths) {
    if (!existsSync(path)) {
      console.error(`[e2e setup] FAILED: apt-get finished but ${path} is still missing`);
      process.exit(1);
    }
  }
}

const installed = existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === lockHash();
if (!installed) {
  changed = true;
  // A TMPDIR of our own, so the ripgrep archive is found whatever the caller's TMPDIR is.
  const tmpDir = join(repoRoot, 'test', '.cache', 'e2e', 'setup-tmp');
  step(`ripgrep archive for @vscode/ripgrep in ${tmpDir}`, () => {
    const cache = join(tmpDir, ripgrepCache.dir);
    mkdirSync(cache, { recursive: true });
    run('tar', ['-czf', join(cache, ripgrepCache.file), '-C', dirname(ripgrep), 'rg']);
  });
  step(`npm ci in ${toolsDir} (code-server)`, () =>
    run('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: toolsDir,
      env: {
        ...process.env,
        TMPDIR: tmpDir,
        npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
        npm_config_unsafe_perm: 'true', // code-server's postinstall refuses root without it
        npm_config_ignore_scripts: 'false', // code-server and node-pty need their install scripts
      },
    }));
  const bin = join(toolsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(bin)) {
    console.error(`[e2e setup] FAILED: npm ci finished but ${bin} is missing`);
    process.exit(1);
  }
  writeFileSync(stampFile, `${lockHash()}\n`);
}

console.log(`[e2e setup] ${changed ? 'installed' : 'everything present'} in ${seconds(started)}`);
