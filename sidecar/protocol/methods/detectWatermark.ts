import { RequestType } from 'vscode-languageserver-protocol';
import { z } from 'zod';

/**
 * Scores a text for the inkwell-wm-v1 watermark with the loaded model's tokenizer. Scheme fields
 * left out take the sidecar's generation config `watermarking_config` (the key Inkwell marks
 * with), else the scheme's defaults (key 15485863, γ 0.25, width 1).
 */
export const detectWatermarkParamsSchema = z.strictObject({
  // Its length is checked against InputLimits by the feature (an error naming the limit).
  text: z.string(),
  /** uint32. */
  hashingKey: z.number().int().min(0).max(0xffff_ffff).optional(),
  /** γ in (0, 1). */
  greenlistRatio: z.number().gt(0).lt(1).optional(),
  /** h >= 1. */
  contextWidth: z.number().int().min(1).max(1024).optional(),
  /** Default 4. */
  zThreshold: z.number().finite().optional(),
  /** Default 16. */
  minTokens: z.number().int().min(1).optional(),
  /** Count each distinct (h+1)-gram once (default true: code repeats itself). */
  ignoreRepeatedNgrams: z.boolean().optional(),
});

export type DetectWatermarkParams = Readonly<z.infer<typeof detectWatermarkParamsSchema>>;

export type WatermarkTokenStatus = 'green' | 'red' | 'unscored' | 'repeated';

export interface DetectWatermarkResult {
  readonly verdict: 'watermarked' | 'not-watermarked' | 'too-short';
  readonly scored: number;
  readonly green: number;
  readonly greenFraction: number;
  readonly z: number;
  /** One-sided p-value of z (exact far into the tail; 0 only below ~1e-308). */
  readonly p: number;
  readonly zThreshold: number;
  readonly minTokens: number;
  readonly ignoreRepeatedNgrams: boolean;
  readonly hashingKey: number;
  readonly greenlistRatio: number;
  readonly contextWidth: number;
  /** UTF-16 offsets into params.text of every token with characters of its own, in order. */
  readonly tokens: readonly { readonly start: number; readonly end: number; readonly status: WatermarkTokenStatus }[];
  /** False when the tokenizer does not decode back to the text, so offsets are approximate. */
  readonly spansExact: boolean;
  readonly detectMs: number;
}

/** Scores a text for the inkwell-wm-v1 watermark: verdict, z, p and each token's span and colour. */
export const detectWatermarkRequest = new RequestType<DetectWatermarkParams, DetectWatermarkResult, void>('inkwell/detectWatermark');
