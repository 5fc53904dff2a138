import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { exportModel } from '../export/exportModel';
import { workPaths } from '../workPaths';
import { fileEntryOf, listModelFiles, type ModelManifest } from './modelManifest';
import { trainingDataSummary } from './trainingDataSummary';

export const shipUsage = `ship --checkpoint DIR --out models/NAME [--tokenizer DIR] [--corpus-manifest FILE]
    Copies a released checkpoint (release_checkpoint.py's folder) to models/checkpoints/NAME, exports
    it to models/NAME as q4 only (what the extension loads), and writes manifest.json (sizes and sha256
    of the checkpoint and of every model file) and training-data.json (the training split's packages
    and licenses). A test exports the committed checkpoint again and requires the same bytes.`;

const REPO = resolve(__dirname, '..', '..', '..');

export async function shipCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { checkpoint: { type: 'string' }, out: { type: 'string' }, tokenizer: { type: 'string' }, 'corpus-manifest': { type: 'string' } } });
  if (!values.checkpoint || !values.out) throw new InkwellError('invalid-argument', 'ship needs --checkpoint DIR and --out models/NAME', { details: { field: values.checkpoint ? 'out' : 'checkpoint' } });
  const out = resolve(values.out);
  const name = basename(out);
  const committed = join(REPO, 'models', 'checkpoints', name);
  if (resolve(values.checkpoint) !== committed) {
    rmSync(committed, { recursive: true, force: true });
    mkdirSync(committed, { recursive: true });
    for (const file of ['config.json', 'model.safetensors', 'train_log.json']) {
      if (!existsSync(join(values.checkpoint, file))) throw new InkwellError('model-not-found', `${join(values.checkpoint, file)} does not exist (run release_checkpoint.py first)`, { details: { file } });
      cpSync(join(values.checkpoint, file), join(committed, file));
    }
  }
  rmSync(out, { recursive: true, force: true });
  const dtypes = ['q4'] as const;
  exportModel({ checkpoint: committed, out, tokenizerDir: values.tokenizer ?? workPaths().tokenizerDir, dtypes });
  const files = Object.fromEntries(listModelFiles(out).map((f) => [f, fileEntryOf(join(out, f))]));
  const checkpointFiles = Object.fromEntries(readdirSync(committed).sort().filter((f) => f !== 'train_log.json').map((f) => [f, fileEntryOf(join(committed, f))]));
  const manifest: ModelManifest = { name, checkpoint: relative(REPO, committed).split('\\').join('/'), checkpointFiles, dtypes: [...dtypes], files };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const corpusManifest = values['corpus-manifest'] ?? workPaths().manifest;
  if (existsSync(corpusManifest)) writeFileSync(join(out, 'training-data.json'), `${JSON.stringify(trainingDataSummary(corpusManifest), null, 1)}\n`);
  process.stdout.write(`shipped ${name}: ${Object.entries(files).map(([f, e]) => `${f} ${(e.bytes / 1e6).toFixed(2)} MB`).join(', ')}\n`);
}
