import type { DetectWatermarkResult } from '../../sidecar/protocol';

/** The notification's one line and the output channel's details of a detection. vscode-free. */
export interface WatermarkReport {
  readonly summary: string;
  readonly details: readonly string[];
}

const verdicts: Record<DetectWatermarkResult['verdict'], string> = {
  watermarked: 'watermarked',
  'not-watermarked': 'not watermarked',
  'too-short': 'too short to tell',
};

/** p to 3 significant digits; exponent form below 0.001, where the tail is the point. */
export function formatP(p: number): string {
  if (p === 0) return '0';
  return p < 1e-3 ? p.toExponential(2) : p.toPrecision(3);
}

export function formatWatermarkResult(result: DetectWatermarkResult, where: string): WatermarkReport {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const summary =
    `Inkwell: ${verdicts[result.verdict]} — z = ${result.z.toFixed(2)}, p = ${formatP(result.p)}, ` +
    `${result.scored} tokens scored (${pct(result.greenFraction)} green)`;
  const skipped = result.tokens.filter((t) => t.status === 'unscored' || t.status === 'repeated').length;
  const details = [
    `Watermark detection on ${where}: ${verdicts[result.verdict]}`,
    `  z = ${result.z.toFixed(3)} (threshold ${result.zThreshold}), p = ${formatP(result.p)} (one-sided)`,
    `  ${result.green} of ${result.scored} scored tokens green (${pct(result.greenFraction)}; γ = ${result.greenlistRatio} expected without the mark), minimum ${result.minTokens} scored`,
    `  ${skipped} tokens skipped (${result.ignoreRepeatedNgrams ? 'repeated n-grams count once, ' : ''}the first ${result.contextWidth} without a full context)`,
    `  key ${result.hashingKey}, context width ${result.contextWidth}; scored in ${result.detectMs.toFixed(0)} ms`,
  ];
  if (!result.spansExact) details.push("  the tokenizer does not decode back to the text exactly: highlighted spans are approximate");
  return { summary, details };
}
