import { parseGenerationConfig } from '../../sidecar/engine/config/parseGenerationConfig';
import { measureProcessorOverhead } from './processorOverhead';

export interface WatermarkOverhead {
  readonly case: string;
  readonly withoutMs: number;
  readonly withMs: number;
}

/**
 * ms per step spent choosing a token, without and with watermarking_config, for the three
 * shapes the processor meets: a dense row (greedy, and sampling without truncation: every id is
 * hashed) and a row already cut to 50 survivors by top-k (only those are hashed).
 */
export function measureWatermarkOverhead(vocab: number, steps: number): WatermarkOverhead[] {
  const cases: [string, Record<string, unknown>][] = [
    ['greedy', { do_sample: false }],
    ['sampling, no truncation', { do_sample: true, top_k: 0 }],
    ['sampling, top_k 50 + top_p 0.95', { do_sample: true, temperature: 0.7, top_k: 50, top_p: 0.95 }],
  ];
  return cases.map(([name, json]) => {
    const without = parseGenerationConfig({ ...json, seed: 3 }).config;
    const withWatermark = parseGenerationConfig({ ...json, seed: 3, watermarking_config: {} }).config;
    // Interleaved twice so that a slow stretch of a shared machine hits both alike.
    const a1 = measureProcessorOverhead(vocab, without, steps);
    const b1 = measureProcessorOverhead(vocab, withWatermark, steps);
    const a2 = measureProcessorOverhead(vocab, without, steps);
    const b2 = measureProcessorOverhead(vocab, withWatermark, steps);
    return { case: name, withoutMs: Math.min(a1, a2), withMs: Math.min(b1, b2) };
  });
}

if (require.main === module) {
  for (const r of measureWatermarkOverhead(151_936, 400)) {
    console.log(`${r.case}: ${r.withoutMs.toFixed(3)} ms/step without, ${r.withMs.toFixed(3)} ms/step with the watermark (+${(r.withMs - r.withoutMs).toFixed(3)})`);
  }
}
