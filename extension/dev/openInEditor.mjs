// `npm start`: packages Inkwell (with its bundled default model) and opens it in a VS Code.
// - With a `code` CLI on PATH: installs the .vsix into that VS Code and opens the sample workspace.
// - Otherwise: installs code-server into test/tools (node test/e2e/setup.mjs --server-only, once),
//   installs the .vsix into a profile under test/.cache/product/ (kept between runs, so settings
//   survive), serves VS Code on http://127.0.0.1:PORT and prints the URL. Ctrl-C stops it.
//
//   npm start                # PORT from INKWELL_PORT, default 8080 (the next free one if taken)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `inkwell-${version}.vsix`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

run(process.execPath, ['extension/packageVsix.mjs']);

if (onPath('code') && process.env.INKWELL_FORCE_CODE_SERVER !== '1') {
  run('code', ['--install-extension', vsix, '--force']);
  run('code', [join(root, 'test', 'e2e', 'workspace')]);
  console.log('Inkwell is installed in your VS Code; the sample workspace is open. Type in sample.py to see completions.');
  process.exit(0);
}

run(process.execPath, ['test/e2e/setup.mjs', '--server-only']);
const product = join(root, 'test', '.cache', 'product');
const userData = join(product, 'user-data');
const extensions = join(product, 'extensions');
const workspace = join(product, 'workspace');
const config = join(product, 'config.yaml');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
mkdirSync(join(product, 'tmp'), { recursive: true });
writeFileSync(config, 'auth: none\ncert: false\n');
if (!existsSync(workspace)) cpSync(join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
const settingsFile = join(userData, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  writeFileSync(settingsFile, `${JSON.stringify({
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'security.workspace.trust.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
  }, null, 2)}\n`);
}

const codeServer = join(root, 'test', 'tools', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const dirs = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
const env = { ...process.env, EXTENSIONS_GALLERY: '{}', TMPDIR: join(product, 'tmp') };
for (const key of Object.keys(env)) if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
execFileSync(process.execPath, [codeServer, ...dirs, '--install-extension', vsix, '--force'], { env, stdio: 'inherit' });

const port = await freePort(Number(process.env.INKWELL_PORT ?? 8080));
const server = spawn(process.execPath, [
  codeServer, ...dirs,
  '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  workspace,
], { env, stdio: ['ignore', 'pipe', 'pipe'] });
server.stdout.on('data', (chunk) => {
  if (String(chunk).includes('HTTP server listening')) {
    console.log(`\nInkwell is running in VS Code (code-server) at http://127.0.0.1:${port}/?folder=${encodeURI(workspace)}`);
    console.log('Open it in a browser, open sample.py and type: ghost text appears; Tab accepts. The Inkwell icon in the activity bar opens the panel. Ctrl-C stops.');
  }
});
server.stderr.on('data', (chunk) => process.stderr.write(chunk));
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));

function freePort(preferred) {
  const tryPort = (p) =>
    new Promise((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(undefined));
      probe.listen(p, '127.0.0.1', () => probe.close(() => resolve(p)));
    });
  return (async () => {
    for (let p = preferred; p < preferred + 50; p++) if ((await tryPort(p)) !== undefined) return p;
    return tryPort(0).then(() => preferred);
  })();
}
