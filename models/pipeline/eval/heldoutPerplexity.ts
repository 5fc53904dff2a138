import { InkwellError } from '../../../sidecar/engine/InkwellError';
import type { LanguageModel } from '../../../sidecar/engine/model/LanguageModel';

export interface PerplexityOptions {
  /** Ids per window (the model's context, at most its maxPositions). */
  readonly window: number;
  /** Most windows scored (from the stream's start); default all. */
  readonly maxWindows?: number;
  readonly signal?: AbortSignal;
}

export interface PerplexityResult {
  readonly windows: number;
  /** Positions scored: window − 1 per window (a window's first id is context only). */
  readonly tokens: number;
  /** Mean negative log-likelihood in nats. */
  readonly meanNll: number;
  /** exp(meanNll). */
  readonly perplexity: number;
  /** Positions whose argmax logit is the next id. */
  readonly accuracy: number;
}

/**
 * Perplexity and next-token accuracy over non-overlapping windows (stride = window) of a token
 * stream, each window a fresh context: every id but a window's first is scored once, with between
 * 0 and window − 2 ids of context, as train.py's held-out loss does. Log-softmax in float64.
 */
export async function heldoutPerplexity(model: LanguageModel, ids: Uint16Array | readonly number[], options: PerplexityOptions): Promise<PerplexityResult> {
  const { window } = options;
  if (!Number.isInteger(window) || window < 2 || window > model.info.maxPositions) {
    throw new InkwellError('invalid-argument', `window must be an integer in [2, ${model.info.maxPositions}], got ${window}`, { details: { field: 'window', value: window } });
  }
  const available = Math.floor(ids.length / window);
  if (available < 1) throw new InkwellError('invalid-argument', `the held-out stream has ${ids.length} ids, fewer than one window of ${window}`, { details: { field: 'window', value: window } });
  const windows = Math.min(available, options.maxWindows ?? available);
  const v = model.info.vocabSize;
  let nll = 0;
  let correct = 0;
  let tokens = 0;
  for (let w = 0; w < windows; w++) {
    if (options.signal?.aborted) throw options.signal.reason;
    const chunk = Int32Array.from({ length: window }, (_, i) => ids[w * window + i]!);
    const cache = await model.createCache(1);
    const { cache: used, output } = await model.forward(
      cache,
      { inputIds: chunk, batch: 1, seqLen: window, attentionMask: new Uint8Array(window).fill(1), positionIds: Int32Array.from({ length: window }, (_, i) => i), logits: 'all' },
      options.signal,
    );
    for (let t = 0; t + 1 < window; t++) {
      const row = output.logits.subarray(t * v, (t + 1) * v);
      let max = -Infinity;
      let best = 0;
      for (let i = 0; i < v; i++) if (row[i]! > max) [max, best] = [row[i]!, i];
      let sum = 0;
      for (let i = 0; i < v; i++) sum += Math.exp(row[i]! - max);
      const target = chunk[t + 1]!;
      nll += max + Math.log(sum) - row[target]!;
      if (best === target) correct++;
      tokens++;
    }
    await model.releaseCache(used);
  }
  const meanNll = nll / tokens;
  return { windows, tokens, meanNll, perplexity: Math.exp(meanNll), accuracy: correct / tokens };
}
