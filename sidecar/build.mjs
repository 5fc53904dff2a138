// Bundles the product with esbuild:
// - dist/inkwell.js (CLI + `serve`, the sidecar), dist/modelWorker.js (the model's worker thread) and
//   dist/templateProcess.js (the child process that renders chat templates under limits);
//   onnxruntime-node stays external: it loads a native binding from its own package folder.
// - dist/extension.js: the VS Code extension (vscode is provided by the host).
// - dist/media/panel.js: the panel's webview script (browser, no Node).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['onnxruntime-node', '@huggingface/transformers', 'sharp'],
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  build({ ...node, entryPoints: ['sidecar/cli/main.ts'], outfile: 'dist/inkwell.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...node, entryPoints: ['sidecar/runtime/worker/modelWorker.ts'], outfile: 'dist/modelWorker.js' }),
  build({ ...node, entryPoints: ['sidecar/runtime/tokenizer/templateProcess.ts'], outfile: 'dist/templateProcess.js' }),
  build({ ...node, entryPoints: ['sidecar/runtime/tokenizer/tokenizerWorker.ts'], outfile: 'dist/tokenizerWorker.js' }),
  build({ ...node, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: 'linked',
    logLevel: 'warning',
    absWorkingDir: root,
    entryPoints: ['media/panel/main.ts'],
    outfile: 'dist/media/panel.js',
  }),
]);
