import { existsSync, readFileSync } from 'node:fs';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import type { LanguageModel } from '../../../sidecar/engine/model/LanguageModel';

/** What hf_parity.py wrote: PREFIX.json + PREFIX.f32. */
export interface ParityFile {
  readonly impl: string;
  readonly vocab: number;
  readonly tolerance: number;
  readonly prompts: readonly (readonly number[])[];
  /** Per prompt, [length, vocab] row-major. */
  readonly logits: readonly Float32Array[];
}

export interface ParityResult {
  readonly prompt: number;
  readonly maxAbsDiff: number;
  readonly maxAbsReference: number;
  /** Positions where both sides pick the same next token, out of the prompt's length. */
  readonly argmaxAgree: number;
  readonly positions: number;
  readonly ok: boolean;
}

export function readParityFile(prefix: string): ParityFile {
  for (const file of [`${prefix}.json`, `${prefix}.f32`]) {
    if (!existsSync(file)) throw new InkwellError('model-not-found', `--parity: ${file} does not exist (write it with hf_parity.py)`, { details: { field: 'parity', file } });
  }
  const meta = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as Omit<ParityFile, 'logits'>;
  const bytes = readFileSync(`${prefix}.f32`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const expected = meta.prompts.reduce((n, p) => n + p.length * meta.vocab, 0);
  if (all.length !== expected) {
    throw new InkwellError('model-invalid', `${prefix}.f32 holds ${all.length} floats; the prompts in ${prefix}.json need ${expected}`, { details: { field: 'parity' } });
  }
  const logits: Float32Array[] = [];
  let at = 0;
  for (const p of meta.prompts) {
    logits.push(all.subarray(at, at + p.length * meta.vocab));
    at += p.length * meta.vocab;
  }
  return { ...meta, logits };
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/**
 * Runs each prompt through `model` in one forward pass and compares every position's logits with
 * the file's: ok when max |Δ| ≤ tolerance · max(1, max |reference|) (hf_parity.py's rule).
 */
export async function compareParity(model: LanguageModel, parity: ParityFile): Promise<ParityResult[]> {
  if (model.info.vocabSize !== parity.vocab) {
    throw new InkwellError('model-invalid', `the model's logits are ${model.info.vocabSize} wide, the parity file's ${parity.vocab}`, { details: { field: 'vocab' } });
  }
  const results: ParityResult[] = [];
  for (const [index, prompt] of parity.prompts.entries()) {
    const n = prompt.length;
    const cache = await model.createCache(1);
    const { cache: used, output } = await model.forward(cache, {
      inputIds: Int32Array.from(prompt), batch: 1, seqLen: n, attentionMask: new Uint8Array(n).fill(1),
      positionIds: Int32Array.from({ length: n }, (_, i) => i), logits: 'all',
    });
    const reference = parity.logits[index]!;
    let maxAbsDiff = 0;
    let maxAbsReference = 0;
    let argmaxAgree = 0;
    const v = parity.vocab;
    for (let t = 0; t < n; t++) {
      const mine = output.logits.subarray(t * v, (t + 1) * v);
      const theirs = reference.subarray(t * v, (t + 1) * v);
      for (let i = 0; i < v; i++) {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(mine[i]! - theirs[i]!));
        maxAbsReference = Math.max(maxAbsReference, Math.abs(theirs[i]!));
      }
      if (argmax(mine) === argmax(theirs)) argmaxAgree++;
    }
    await model.releaseCache(used);
    results.push({ prompt: index, maxAbsDiff, maxAbsReference, argmaxAgree, positions: n, ok: maxAbsDiff <= parity.tolerance * Math.max(1, maxAbsReference) });
  }
  return results;
}
