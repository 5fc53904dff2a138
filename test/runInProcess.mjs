// Runs every *.test.ts under the folders given in this one process (node:test runs what the
// imports register and sets the exit code), instead of one tsx process per file as `node --test`
// does on Node 20: the unit tests share nothing that needs a process of their own, and starting
// tsx 126 times costs more than running them. `node --import tsx test/runInProcess.mjs test/unit`
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const files = [];
function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(path);
  }
}
for (const root of process.argv.slice(2)) walk(root);
if (files.length === 0) {
  console.error(`no *.test.ts files under ${process.argv.slice(2).join(', ')}`);
  process.exit(1);
}
process.env.ORT_DISABLE_TELEMETRY = '1';
for (const file of files) await import(pathToFileURL(resolve(file)).href);
