// `npm run check`: the fast lane before a commit — type-check, lint and the unit tests, side by
// side. Prints each part's output when it fails, one summary line per part, and exits 1 if any failed.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const parts = [
  { name: 'typecheck', command: bin('tsc'), args: ['-b'] },
  { name: 'lint', command: bin('eslint'), args: ['.'] },
  { name: 'unit tests', command: process.execPath, args: ['--import', 'tsx', 'test/runInProcess.mjs', 'test/unit'] },
];
const started = performance.now();
const results = await Promise.all(
  parts.map(
    (part) =>
      new Promise((done) => {
        const t = performance.now();
        const child = spawn(part.command, part.args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
        let output = '';
        child.stdout.on('data', (c) => (output += c));
        child.stderr.on('data', (c) => (output += c));
        child.on('close', (code) => done({ ...part, code, output, seconds: (performance.now() - t) / 1000 }));
      }),
  ),
);
for (const r of results.filter((r) => r.code !== 0)) process.stdout.write(`\n── ${r.name} failed ──\n${r.output}\n`);
for (const r of results) {
  const summary = r.name === 'unit tests' ? (r.output.match(/^# (pass|fail) \d+/gm) ?? []).join(', ') : '';
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)${summary ? `: ${summary.replaceAll('# ', '')}` : ''}`);
}
console.log(`npm run check: ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
