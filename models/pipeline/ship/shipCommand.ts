import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { exportModel } from '../export/exportModel';
import { workPaths } from '../workPaths';
import { modelCard } from './modelCard';
import { fileEntryOf, listModelFiles, type ModelManifest } from './modelManifest';
import { trainingDataSummary } from './trainingDataSummary';

export const shipUsage = `ship --checkpoint DIR --out models/NAME [--tokenizer DIR] [--corpus-manifest FILE] [--fim-order psm|spm]
    Copies a released checkpoint (release_checkpoint.py's folder) to models/checkpoints/NAME, exports
    it to models/NAME as q4 only (what the extension loads), and writes manifest.json (sizes and sha256
    of the checkpoint and of every model file), training-data.json (the training split's packages
    and licenses) and README.md (a model card). --fim-order writes inkwell.json: the FIM prompt order
    the server uses for it (measure both with eval --fim-order). A test exports the committed
    checkpoint again and requires the same bytes.`;

const REPO = resolve(__dirname, '..', '..', '..');

export async function shipCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { checkpoint: { type: 'string' }, out: { type: 'string' }, tokenizer: { type: 'string' }, 'corpus-manifest': { type: 'string' }, 'fim-order': { type: 'string' } } });
  const fimOrder = values['fim-order'];
  if (fimOrder !== undefined && fimOrder !== 'psm' && fimOrder !== 'spm') throw new InkwellError('invalid-argument', `--fim-order must be psm or spm, got ${fimOrder}`, { details: { field: 'fim-order', value: fimOrder } });
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
  exportModel({ checkpoint: committed, out, tokenizerDir: values.tokenizer ?? workPaths().tokenizerDir, dtypes, ...(fimOrder && { fimOrder }) });
  const files = Object.fromEntries(listModelFiles(out).map((f) => [f, fileEntryOf(join(out, f))]));
  const checkpointFiles = Object.fromEntries(readdirSync(committed).sort().filter((f) => f !== 'train_log.json').map((f) => [f, fileEntryOf(join(committed, f))]));
  const manifest: ModelManifest = { name, checkpoint: relative(REPO, committed).split('\\').join('/'), checkpointFiles, dtypes: [...dtypes], ...(fimOrder && { fimOrder }), files };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const corpusManifest = values['corpus-manifest'] ?? workPaths().manifest;
  const data = existsSync(corpusManifest) ? trainingDataSummary(corpusManifest) : undefined;
  if (data) writeFileSync(join(out, 'training-data.json'), `${JSON.stringify(data, null, 1)}\n`);
  const trainLog = existsSync(join(committed, 'train_log.json')) ? (JSON.parse(readFileSync(join(committed, 'train_log.json'), 'utf8')) as Record<string, unknown>) : undefined;
  writeFileSync(join(out, 'README.md'), modelCard(name, JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>, data, trainLog, fimOrder));
  process.stdout.write(`shipped ${name}: ${Object.entries(files).map(([f, e]) => `${f} ${(e.bytes / 1e6).toFixed(2)} MB`).join(', ')}\n`);
}
