import type { LanguageModel } from '../../sidecar/engine/model/LanguageModel';

/**
 * The model's logits at every position of `ids` (positions × vocab), from one forward pass over
 * a fresh cache: what the model predicts after each prefix, whatever was actually chosen there.
 */
export async function teacherForcedLogits(model: LanguageModel, ids: readonly number[], signal?: AbortSignal): Promise<Float32Array> {
  const cache = await model.createCache(1);
  try {
    const { output } = await model.forward(
      cache,
      {
        inputIds: Int32Array.from(ids),
        batch: 1,
        seqLen: ids.length,
        attentionMask: new Uint8Array(ids.length).fill(1),
        positionIds: Int32Array.from(ids, (_, i) => i),
        logits: 'all',
      },
      signal,
    );
    return output.logits;
  } finally {
    await model.releaseCache(cache);
  }
}
