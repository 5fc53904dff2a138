import type { WatermarkingConfig } from '../config/WatermarkingConfig';
import { InkwellError } from '../InkwellError';
import { normalUpperTail } from '../math/normalUpperTail';
import { greenThreshold } from './greenThreshold';
import { fmix32 } from './fmix32';
import { watermarkSeed } from './watermarkSeed';

/** What the detector needs of the scheme (the bias plays no part in detection). */
export type WatermarkKey = Pick<WatermarkingConfig, 'greenlistRatio' | 'hashingKey' | 'contextWidth'>;

export interface DetectionOptions {
  /** z at or above which the text is called watermarked (default 4). */
  readonly zThreshold?: number;
  /** Fewer scored tokens than this is "too-short", whatever z says (default 16). */
  readonly minTokens?: number;
  /** Count each distinct (h+1)-gram once: repeated code lines otherwise count again and again. */
  readonly ignoreRepeatedNgrams?: boolean;
}

/** 'unscored': one of the first h tokens (no full context); 'repeated': an (h+1)-gram seen before. */
export type TokenStatus = 'green' | 'red' | 'unscored' | 'repeated';

export type WatermarkVerdict = 'watermarked' | 'not-watermarked' | 'too-short';

export interface WatermarkDetection {
  /** T: positions scored. */
  readonly scored: number;
  /** G: of those, green. */
  readonly green: number;
  /** G / T (0 when T = 0). */
  readonly greenFraction: number;
  /** (G − γT) / sqrt(T γ (1 − γ)); 0 when T = 0. */
  readonly z: number;
  /** One-sided P(Z >= z) under "no watermark"; 1 when T = 0. */
  readonly p: number;
  readonly verdict: WatermarkVerdict;
  readonly zThreshold: number;
  readonly minTokens: number;
  /** One per input id. */
  readonly statuses: readonly TokenStatus[];
}

/** Scores token ids (encoded without special tokens) against inkwell-wm-v1 with `key`. */
export function detectWatermark(ids: readonly number[], key: WatermarkKey, options: DetectionOptions = {}): WatermarkDetection {
  const zThreshold = options.zThreshold ?? 4;
  const minTokens = options.minTokens ?? 16;
  if (!Number.isFinite(zThreshold)) throw invalid('zThreshold', zThreshold, 'must be a finite number');
  if (!(Number.isInteger(minTokens) && minTokens >= 1)) throw invalid('minTokens', minTokens, 'must be an integer >= 1');
  const h = key.contextWidth;
  const gamma = key.greenlistRatio;
  const threshold = greenThreshold(gamma);
  const seen = options.ignoreRepeatedNgrams ? new Set<string>() : undefined;
  const statuses: TokenStatus[] = new Array<TokenStatus>(ids.length);
  let scored = 0;
  let green = 0;
  for (let i = 0; i < ids.length; i++) {
    if (i < h) {
      statuses[i] = 'unscored';
      continue;
    }
    if (seen) {
      const gram = ids.slice(i - h, i + 1).join(',');
      if (seen.has(gram)) {
        statuses[i] = 'repeated';
        continue;
      }
      seen.add(gram);
    }
    const seed = watermarkSeed(ids, i, key.hashingKey, h);
    const isGreen = fmix32(seed ^ fmix32(ids[i]!)) < threshold;
    statuses[i] = isGreen ? 'green' : 'red';
    scored++;
    if (isGreen) green++;
  }
  const z = scored === 0 ? 0 : (green - gamma * scored) / Math.sqrt(scored * gamma * (1 - gamma));
  const p = scored === 0 ? 1 : normalUpperTail(z);
  const verdict: WatermarkVerdict = scored < minTokens ? 'too-short' : z >= zThreshold ? 'watermarked' : 'not-watermarked';
  return { scored, green, greenFraction: scored === 0 ? 0 : green / scored, z, p, verdict, zThreshold, minTokens, statuses };
}

function invalid(field: string, value: unknown, allowed: string): InkwellError {
  return new InkwellError('invalid-argument', `${field} = ${String(value)} is out of range: ${allowed}`, {
    details: { field, value, allowed },
  });
}
