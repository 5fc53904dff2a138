import type { WatermarkingConfig } from '../config/WatermarkingConfig';
import { fmix32 } from '../watermark/fmix32';
import { greenThreshold } from '../watermark/greenThreshold';
import { idHashes } from '../watermark/idHashes';
import { watermarkSeed } from '../watermark/watermarkSeed';
import type { LogitsProcessor } from './LogitsProcessor';

/**
 * inkwell-wm-v1 at generation: adds δ to the scores of the tokens that are green at this
 * position (seeded by the last context_width ids). Rows with fewer ids than that are left
 * alone, as HF's WatermarkLogitsProcessor does. A masked (-Infinity) entry stays masked, and a
 * sparse row (after top-k/top-p) only touches its survivors.
 */
export function watermark(config: WatermarkingConfig, width: number): LogitsProcessor {
  const hashes = idHashes(width);
  const threshold = greenThreshold(config.greenlistRatio);
  const { bias, hashingKey, contextWidth } = config;
  return {
    name: 'watermark',
    apply(row, { ids }) {
      if (ids.length < contextWidth || bias === 0) return;
      const seed = watermarkSeed(ids, ids.length, hashingKey, contextWidth);
      const s = row.scores;
      if (row.sparse) {
        for (let i = 0; i < row.count; i++) {
          const id = row.candidates[i]!;
          if (fmix32(seed ^ hashes[id]!) < threshold) s[id] = s[id]! + bias;
        }
      } else {
        for (let id = 0; id < s.length; id++) {
          if (fmix32(seed ^ hashes[id]!) < threshold) s[id] = s[id]! + bias;
        }
      }
    },
  };
}
