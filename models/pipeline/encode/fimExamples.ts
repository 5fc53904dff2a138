import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { chunkAtLines } from './chunkAtLines';

/** A uniform [0, 1) source; Xoshiro128 from the engine in the pipeline, scripted values in tests. */
export interface UniformSource {
  nextFloat(): number;
}

export interface FimMix {
  /** Share of documents turned into fill-in-the-middle examples (Bavarian et al. 2022: 0.5–0.9). */
  readonly fimRate: number;
  /** Share of FIM examples whose middle is the rest of one line (what inline completion asks). */
  readonly lineShare: number;
  /** Share of FIM examples in suffix-prefix-middle order; the rest are prefix-suffix-middle. */
  readonly spmShare: number;
  /** A FIM document is cut at line breaks into chunks of at most this many characters. */
  readonly maxChunkChars: number;
}

/**
 * PSM only: the server prompts in PSM, and a model trained on half SPM examples (where the prefix
 * follows `<fim_middle>`) answered the server's PSM prompts by starting a new file — a 256-token
 * window rarely holds the example's first marker that tells the two orders apart (measured on the
 * first default: 0 % exact match on 500 cases). Half the FIM examples are line-rest spans, the
 * shape inline completion asks for.
 */
export const defaultFimMix: FimMix = { fimRate: 0.5, lineShare: 0.5, spmShare: 0, maxChunkChars: 4000 };

export interface FimPieces {
  readonly prefix: string;
  readonly middle: string;
  readonly suffix: string;
}

export type TrainingExample =
  | { readonly kind: 'plain'; readonly text: string }
  | { readonly kind: 'psm' | 'spm'; readonly span: 'random' | 'line'; readonly pieces: FimPieces };

/**
 * The training examples of one document, cut at the character level (so the pieces are later
 * tokenized separately, as the server tokenizes prefix and suffix at inference). A plain
 * document stays whole; a FIM document is chunked so one example fits a 1024-token context more
 * often, and each chunk gets a random span (two uniform cut points, Bavarian et al. 2022) or a
 * line-rest span, in PSM or SPM order.
 */
export function fimExamples(text: string, mix: FimMix, rng: UniformSource): TrainingExample[] {
  validateMix(mix);
  if (rng.nextFloat() >= mix.fimRate) return [{ kind: 'plain', text }];
  return chunkAtLines(text, mix.maxChunkChars).map((chunk) => {
    const line = rng.nextFloat() < mix.lineShare;
    const kind = rng.nextFloat() < mix.spmShare ? 'spm' : 'psm';
    const pieces = (line ? lineRestSplit(chunk, rng) : undefined) ?? randomSpanSplit(chunk, rng);
    return { kind, span: line && pieces.middle.length > 0 && !pieces.middle.includes('\n') ? 'line' : 'random', pieces };
  });
}

/** Two uniform cut points over the characters; never between the halves of a surrogate pair. */
export function randomSpanSplit(text: string, rng: UniformSource): FimPieces {
  let a = boundary(text, Math.floor(rng.nextFloat() * (text.length + 1)));
  let b = boundary(text, Math.floor(rng.nextFloat() * (text.length + 1)));
  if (a > b) [a, b] = [b, a];
  return { prefix: text.slice(0, a), middle: text.slice(a, b), suffix: text.slice(b) };
}

/**
 * A cursor inside a random non-blank line (after its indentation), the middle being the rest of
 * that line without its line break. Undefined when the text has no non-blank line.
 */
export function lineRestSplit(text: string, rng: UniformSource): FimPieces | undefined {
  const lines: { start: number; end: number }[] = [];
  for (const m of text.matchAll(/[^\n]*\n?/g)) {
    if (m[0].length === 0) break;
    const body = m[0].replace(/\r?\n$/, '');
    if (body.trim().length > 0) lines.push({ start: m.index + body.length - body.trimStart().length, end: m.index + body.trimEnd().length });
  }
  if (lines.length === 0) return undefined;
  const line = lines[Math.floor(rng.nextFloat() * lines.length)];
  const cursor = boundary(text, line.start + Math.floor(rng.nextFloat() * (line.end - line.start)));
  const end = text.indexOf('\n', cursor) === -1 ? text.length : text.indexOf('\n', cursor) - (text[text.indexOf('\n', cursor) - 1] === '\r' ? 1 : 0);
  return { prefix: text.slice(0, cursor), middle: text.slice(cursor, end), suffix: text.slice(end) };
}

function boundary(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff && offset > 0 ? offset - 1 : offset;
}

function validateMix(mix: FimMix): void {
  for (const field of ['fimRate', 'lineShare', 'spmShare'] as const) {
    const value = mix[field];
    if (!(value >= 0 && value <= 1)) {
      throw new InkwellError('invalid-argument', `${field} must be in [0, 1], got ${value}`, { details: { field, value, min: 0, max: 1 } });
    }
  }
  if (!Number.isInteger(mix.maxChunkChars) || mix.maxChunkChars < 1) {
    throw new InkwellError('invalid-argument', `maxChunkChars must be a positive integer, got ${mix.maxChunkChars}`, { details: { field: 'maxChunkChars', value: mix.maxChunkChars, min: 1 } });
  }
}
