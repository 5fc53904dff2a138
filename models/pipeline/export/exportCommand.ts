import { join } from 'node:path';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { loadModel } from '../../../sidecar/runtime/loadModel';
import type { Flags } from '../main';
import { workPaths } from '../workPaths';
import { compareParity, readParityFile } from './compareParity';
import { exportModel } from './exportModel';

/** `export --checkpoint DIR --out DIR [--tokenizer DIR] [--parity PREFIX]`. */
export async function exportCommand(flags: Flags): Promise<void> {
  const checkpoint = flags.get('checkpoint');
  const out = flags.get('out');
  if (!checkpoint || !out) throw new InkwellError('invalid-argument', 'export needs --checkpoint DIR and --out DIR', { details: { field: checkpoint ? 'out' : 'checkpoint' } });
  const made = exportModel({ checkpoint, out, tokenizerDir: flags.get('tokenizer') ?? workPaths().tokenizerDir });
  console.log(`exported ${made.files.length} files to ${made.dir}: ${made.files.join(', ')}`);
  const parity = flags.get('parity');
  if (!parity) return;
  const file = readParityFile(parity);
  const loaded = await loadModel({ dir: made.dir, dtype: 'fp32', device: 'cpu', inWorker: false });
  try {
    const results = await compareParity(loaded.model, file);
    for (const r of results) {
      console.log(`parity (${file.impl} vs onnx fp32) prompt ${r.prompt}: max |Δ| ${r.maxAbsDiff.toExponential(2)} (max |logit| ${r.maxAbsReference.toFixed(2)}), argmax ${r.argmaxAgree}/${r.positions} ${r.ok ? 'ok' : 'FAIL'}`);
    }
    if (results.some((r) => !r.ok)) {
      throw new InkwellError('model-invalid', `parity failed against ${join(parity)}: logits differ beyond ${file.tolerance} · max(1, max |logit|)`, { details: { field: 'parity' } });
    }
  } finally {
    await loaded.model.dispose();
  }
}
