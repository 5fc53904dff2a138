import { basename, dirname } from 'node:path';

/**
 * transformers.js (@huggingface/transformers) on one of our model folders, offline: the
 * independent reference for greedy decoding and the peer the benchmark compares against.
 */
export interface TransformersJsModel {
  /** Greedy continuation of `promptIds`; exactly `maxNewTokens` tokens (EOS suppressed by min_new_tokens). */
  greedy(promptIds: readonly number[], maxNewTokens: number): Promise<{ ids: number[]; firstTokenMs: number; totalMs: number }>;
  dispose(): Promise<void>;
}

export async function loadTransformersJs(
  dir: string,
  options: { dtype: 'fp32' | 'q4' | 'fp16'; threads: number; device?: 'cpu' | 'webgpu' | 'cuda' },
): Promise<TransformersJsModel> {
  const tf = await import('@huggingface/transformers');
  tf.env.allowRemoteModels = false;
  tf.env.allowLocalModels = true;
  tf.env.localModelPath = `${dirname(dir)}/`;
  const model = await tf.AutoModelForCausalLM.from_pretrained(basename(dir), {
    dtype: options.dtype,
    device: options.device ?? 'cpu',
    session_options: options.threads > 0 ? { intraOpNumThreads: options.threads } : {},
  });

  class TimingStreamer extends tf.BaseStreamer {
    calls = 0;
    firstTokenAt = 0;
    override put(): void {
      // The first put carries the prompt; the second is the first generated token.
      this.calls++;
      if (this.calls === 2) this.firstTokenAt = performance.now();
    }
    override end(): void {}
  }

  return {
    async greedy(promptIds, maxNewTokens) {
      const n = promptIds.length;
      const input_ids = new tf.Tensor('int64', BigInt64Array.from(promptIds.map(BigInt)), [1, n]);
      const attention_mask = new tf.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);
      const streamer = new TimingStreamer();
      const started = performance.now();
      const out = (await model.generate({
        input_ids,
        attention_mask,
        max_new_tokens: maxNewTokens,
        min_new_tokens: maxNewTokens,
        do_sample: false,
        streamer,
      } as never)) as { data: BigInt64Array };
      const totalMs = performance.now() - started;
      const ids = Array.from(out.data as BigInt64Array, Number).slice(n);
      return { ids, firstTokenMs: streamer.firstTokenAt - started, totalMs };
    },
    async dispose() {
      await model.dispose();
    },
  };
}
