// `npm run package`: builds dist/, makes sure a default model ships, and writes
// inkwell-<version>.vsix with @vscode/vsce. What goes in is decided by .vscodeignore (an allow
// list: dist/, media/, the default model, README, and onnxruntime-node + onnxruntime-common with
// only the linux-x64 binaries). onnxruntime-node stays a real node_modules package because it
// loads its native binding from its own folder; vsce collects it through `npm list --production`
// and .vscodeignore drops every other dependency (esbuild bundled them into dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function run(command, args) {
  console.log(`> ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

run(process.execPath, ['sidecar/build.mjs']);

// The shipped default: models/default (trained by models/pipeline, committed with its manifest).
if (!existsSync(join(root, 'models', 'default', 'config.json'))) {
  console.error('models/default is missing: the bundled default model ships from the repository (models/README.md)');
  process.exit(1);
}

const out = `inkwell-${version}.vsix`;
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// No repository field (private project): --allow-missing-repository; the README's relative
// links stay as they are (--no-rewrite-relative-links).
run(process.execPath, [vsce, 'package', '--out', out, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links']);
console.log(`wrote ${out} (${(statSync(join(root, out)).size / 1024 / 1024).toFixed(1)} MB)`);
