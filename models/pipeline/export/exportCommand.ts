import { parseArgs } from 'node:util';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { loadModel } from '../../../sidecar/runtime/loadModel';
import { workPaths } from '../workPaths';
import { compareParity, readParityFile } from './compareParity';
import { exportModel } from './exportModel';

export const exportUsage = `export --checkpoint DIR --out DIR [--tokenizer DIR] [--parity PREFIX]
    A train.py checkpoint (model.safetensors or shards + index, config.json) through the builder
    into a model folder (fp32 + q4 ONNX, completion generation_config.json). --parity compares the
    fp32 graph's logits with PREFIX.json/.f32 written by train/hf_parity.py.`;

export async function exportCommand(argv: readonly string[], signal: AbortSignal): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { checkpoint: { type: 'string' }, out: { type: 'string' }, tokenizer: { type: 'string' }, parity: { type: 'string' } } });
  const { checkpoint, out, parity } = values;
  if (!checkpoint || !out) throw new InkwellError('invalid-argument', 'export needs --checkpoint DIR and --out DIR', { details: { field: checkpoint ? 'out' : 'checkpoint' } });
  const made = exportModel({ checkpoint, out, tokenizerDir: values.tokenizer ?? workPaths().tokenizerDir });
  process.stdout.write(`exported to ${made.dir}: ${made.files.join(', ')}\n`);
  if (!parity || signal.aborted) return;
  const file = readParityFile(parity);
  const loaded = await loadModel({ dir: made.dir, dtype: 'fp32', device: 'cpu', inWorker: false });
  try {
    const results = await compareParity(loaded.model, file);
    for (const r of results) {
      process.stdout.write(`parity (${file.impl} vs onnx fp32) prompt ${r.prompt}: max |Δ| ${r.maxAbsDiff.toExponential(2)} (max |logit| ${r.maxAbsReference.toFixed(2)}), argmax ${r.argmaxAgree}/${r.positions} ${r.ok ? 'ok' : 'FAIL'}\n`);
    }
    if (results.some((r) => !r.ok)) {
      throw new InkwellError('model-invalid', `parity failed against ${parity}: logits differ beyond ${file.tolerance} · max(1, max |logit|)`, { details: { field: 'parity' } });
    }
  } finally {
    await loaded.model.dispose();
  }
}
