import type { GenerationConfig } from '../../sidecar/engine/config/GenerationConfig';
import { TokenChooser } from '../../sidecar/engine/generation/TokenChooser';
import { buildLogitsPipeline } from '../../sidecar/engine/processors/buildLogitsPipeline';
import { Xoshiro128 } from '../../sidecar/engine/sampling/Xoshiro128';

/**
 * Mean milliseconds per decode step that the engine spends choosing one token on a `vocab`-wide
 * row under `config`: copying the logits row, every logits processor, sampling (or argmax) and
 * the log-probability when config.outputLogprobs. The model is not involved: logits are
 * LM-like (Zipf-shaped with noise, a different row each step) and the history is 512 tokens,
 * so repetition_penalty and no_repeat_ngram_size do realistic work.
 */
export function measureProcessorOverhead(vocab: number, config: GenerationConfig, steps: number): number {
  const rng = new Xoshiro128(1234);
  const rows = Array.from({ length: 8 }, () => lmLikeLogits(vocab, rng));
  const ids = Array.from({ length: 512 }, () => Math.floor(rng.nextFloat() * vocab));
  const eosTokenIds = config.eosTokenId ?? [vocab - 1];
  const pipeline = buildLogitsPipeline(config, { width: vocab, tokenizerVocabSize: vocab, eosTokenIds });
  const chooser = new TokenChooser(config, pipeline, new Xoshiro128(config.seed ?? 1), vocab, false);
  const context = { ids, promptLength: 256, maxLength: ids.length + steps + 10 };
  // Warm up so the JIT has compiled the hot loops before timing.
  for (let i = 0; i < Math.min(50, steps); i++) chooser.choose(rows[i % rows.length]!, context);
  const start = performance.now();
  for (let i = 0; i < steps; i++) chooser.choose(rows[i % rows.length]!, context);
  return (performance.now() - start) / steps;
}

function lmLikeLogits(vocab: number, rng: Xoshiro128): Float32Array {
  const logits = new Float32Array(vocab);
  for (let rank = 0; rank < vocab; rank++) logits[rank] = 12 - 1.2 * Math.log(rank + 1) + 2 * (rng.nextFloat() - 0.5);
  // Shuffle so the likely tokens sit at random ids, not at the front.
  for (let i = vocab - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    const t = logits[i]!;
    logits[i] = logits[j]!;
    logits[j] = t;
  }
  return logits;
}
