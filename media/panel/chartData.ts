import type { NextTokenDistributionResult } from '../../sidecar/protocol';
import { visibleWhitespace } from './visibleWhitespace';

export interface ChartStage {
  readonly name: string;
  /** Position in the pipeline; picks the stage's colour. */
  readonly index: number;
  /** Tokens of the whole vocabulary still possible after this stage. */
  readonly kept: number;
  readonly entropy: number;
}

export interface ChartBar {
  readonly stage: string;
  readonly stageIndex: number;
  readonly prob: number;
  /** Bar length, 0..1, as the share of the whole probability mass (not of the longest bar). */
  readonly fraction: number;
  /** "41.2%", "<0.1%", or "removed" where the stage took the token out. */
  readonly label: string;
  readonly removed: boolean;
}

export interface ChartRow {
  readonly tokenId: number;
  readonly label: string;
  /** The raw text, for a tooltip. */
  readonly title: string;
  readonly bars: readonly ChartBar[];
}

export interface ChartData {
  readonly stages: readonly ChartStage[];
  readonly rows: readonly ChartRow[];
}

/** Rows per token (in the order the sidecar ranked them), one bar per stage: raw, then each processor. */
export function shapeDistribution(result: NextTokenDistributionResult): ChartData {
  const stages = result.stages.map((s, index) => ({ name: s.name, index, kept: s.kept, entropy: s.entropy }));
  const rows = result.tokens.map((token, t) => ({
    tokenId: token.id,
    label: visibleWhitespace(token.text),
    title: `${JSON.stringify(token.text)} (id ${token.id})`,
    bars: result.stages.map((stage, index) => {
      const prob = clampProb(stage.probs[t]);
      return { stage: stage.name, stageIndex: index, prob, fraction: prob, label: formatProb(prob), removed: prob === 0 };
    }),
  }));
  return { stages, rows };
}

function clampProb(p: number | undefined): number {
  return p === undefined || !Number.isFinite(p) ? 0 : Math.min(1, Math.max(0, p));
}

export function formatProb(p: number): string {
  if (p === 0) return 'removed';
  if (p < 0.001) return '<0.1%';
  return `${(p * 100).toFixed(1)}%`;
}

/** The chart caption's phrase for how the next token is chosen from the last stage. */
export function decodingCaption(decoding: NextTokenDistributionResult['decoding']): string {
  switch (decoding) {
    case 'greedy':
      return 'greedy: takes the top token after the last stage';
    case 'sample':
      return 'sampling: draws from the last stage';
    case 'beam':
      return 'beam search: each beam adds these log-probabilities to its score';
    case 'beam-sample':
      return 'beam sampling: candidates drawn by beam score + these log-probabilities';
    case 'group-beam':
      return 'diverse beam search: later groups also pay diversity_penalty';
    case 'contrastive':
      return 'contrastive search: the top_k here, re-ranked by the degeneration penalty';
    default: {
      const unknown: never = decoding;
      return String(unknown);
    }
  }
}
