import type { TextTokenizer } from '../model/TextTokenizer';
import { detectWatermark, type DetectionOptions, type TokenStatus, type WatermarkDetection, type WatermarkKey } from './detectWatermark';
import { tokenSpans } from './tokenSpans';

export interface TokenVerdict {
  readonly start: number;
  readonly end: number;
  readonly status: TokenStatus;
}

export interface TextWatermarkDetection extends Omit<WatermarkDetection, 'statuses'> {
  /** Every token with a non-empty span, with its status. */
  readonly tokens: readonly TokenVerdict[];
  /** False when decoding the ids does not give the text back, so offsets are approximate. */
  readonly spansExact: boolean;
}

/**
 * Encodes `text` without special tokens (or takes `ids`, that encoding made elsewhere), scores it,
 * and maps each token to its characters.
 */
export function detectWatermarkInText(
  text: string,
  tokenizer: TextTokenizer,
  key: WatermarkKey,
  options: DetectionOptions = {},
  ids: readonly number[] = tokenizer.encode(text, { addSpecialTokens: false }),
): TextWatermarkDetection {
  const { statuses, ...detection } = detectWatermark(ids, key, options);
  const { spans, text: decoded } = tokenSpans(tokenizer, ids);
  const tokens: TokenVerdict[] = [];
  for (let i = 0; i < ids.length; i++) {
    const span = spans[i]!;
    if (span.end > span.start) tokens.push({ start: span.start, end: span.end, status: statuses[i]! });
  }
  return { ...detection, tokens, spansExact: decoded === text };
}
