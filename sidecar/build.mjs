// Bundles the sidecar's entry points with esbuild. onnxruntime-node stays external: it loads
// a native binding from its own package folder.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
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
  build({ ...common, entryPoints: ['sidecar/cli/main.ts'], outfile: 'dist/inkwell.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['sidecar/runtime/worker/modelWorker.ts'], outfile: 'dist/modelWorker.js' }),
]);
