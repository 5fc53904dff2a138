import { InkwellError } from '../engine';
import type { FimFormat, FimOrder, FimPiece } from './fimFormat';

export interface CompletionPromptInput {
  /** The whole document. Line breaks may be `\n` or `\r\n`; cuts never split a `\r\n`. */
  readonly text: string;
  /** UTF-16 offset of the cursor in `text`. */
  readonly cursor: number;
  /** Undefined: the model has no FIM markers and the prompt is the prefix alone. */
  readonly format: FimFormat | undefined;
  /** Plain text to ids, without added BOS/EOS (`TextTokenizer.encode` with its defaults). */
  readonly encode: (text: string) => number[];
  /** The most ids the prompt may have, markers included. */
  readonly budget: number;
  /** `windowStart` of the previous prompt for this document: kept while it still fits. */
  readonly previousWindowStart?: number;
  /** Default: the format's own order (`format.order`); 'spm' only for formats trained on it (`format.spm`). */
  readonly order?: FimOrder;
  /** Texts besides the format's markers that user text must never become (e.g. chat markers). */
  readonly reservedTexts?: readonly string[];
}

export interface CompletionPrompt {
  readonly ids: number[];
  /** Offset where the prefix window starts: a line start unless the cursor's line alone overflows. */
  readonly windowStart: number;
  /** Offset where the suffix window ends: a line end (after its line break) unless cut mid-line. */
  readonly suffixEnd: number;
  readonly mode: 'fim' | 'prefix';
  readonly prefixTokens: number;
  readonly suffixTokens: number;
  /** Index in `ids` just after the prefix's last id (the prompt's end in SPM and prefix-only order). */
  readonly prefixEnd: number;
}

const PREFIX_ONLY: readonly FimPiece[] = [{ kind: 'prefix' }];

/**
 * The prompt ids for a completion at the cursor, within `budget` ids.
 *
 * Budget: the prefix gets 3/4 of what the markers leave and the suffix the rest; what the suffix
 * does not use goes to the prefix, but in PSM never the other way (see below). The prefix is cut at a line start and the suffix at a line end.
 *
 * KV-cache reuse: consecutive keystrokes should give prompts with the longest common prefix of
 * ids. So the prefix window's start is sticky: `previousWindowStart` is kept while the window
 * from it fits and is at least half full; when it must move, the new start leaves a quarter of the
 * prefix budget free, so the next move is a quarter-budget of typing away, not one line.
 *
 * Order: PSM (prefix, suffix, middle) by default, because every supported family was trained on
 * it and Qwen2.5-Coder and DeepSeek-Coder only on it. Its cost: the ids after the cursor (the
 * suffix) are prefilled again on each keystroke. SPM puts the suffix first, and text typed at the
 * cursor leaves the suffix unchanged, so all but the last few ids are reused; it is offered only
 * for formats trained on it (StarCoder, CodeLlama, a model folder declaring it). In SPM the suffix does not borrow the prefix
 * window's typing headroom, and takes the budget a short prefix leaves (top of a file) only in
 * quarter-budget steps, so that the suffix, at the head of the prompt, stays put while typing.
 *
 * Markers are inserted as ids. User text is encoded with every reserved marker text broken apart,
 * so a document containing "<|fim_prefix|>" stays plain text.
 */
export function buildCompletionPrompt(input: CompletionPromptInput): CompletionPrompt {
  const { text, cursor, format, budget } = input;
  const order = input.order ?? format?.order ?? 'psm';
  if (!Number.isInteger(cursor) || cursor < 0 || cursor > text.length) {
    throw new InkwellError('invalid-argument', `cursor must be an integer in [0, ${text.length}], got ${cursor}`);
  }
  if (!Number.isInteger(budget) || budget < 1) throw new InkwellError('invalid-argument', `budget must be a positive integer, got ${budget}`);
  if (format !== undefined && order === 'spm' && format.spm === undefined) {
    throw new InkwellError('invalid-argument', `order 'spm' is not supported by the ${format.family} FIM format (it was not trained on it)`);
  }

  const plain = plainEncoder(input.encode, [...(format?.reservedTexts ?? []), ...(input.reservedTexts ?? [])]);
  const template = format === undefined ? PREFIX_ONLY : order === 'spm' ? format.spm! : format.psm;
  const fixed = template.map((p) => (p.kind === 'token' ? [p.id] : p.kind === 'text' ? plain(p.text) : []));
  const content = budget - fixed.reduce((n, ids) => n + ids.length, 0);
  if (content < 0) throw new InkwellError('invalid-argument', `budget ${budget} is smaller than the FIM markers need (${budget - content})`);

  const span = new SpanEncoder(text, plain);
  let windowStart: number;
  let suffixEnd = cursor;
  if (format === undefined) {
    windowStart = prefixStart(text, cursor, content, input.previousWindowStart, span);
  } else {
    const prefixShare = Math.floor((content * 3) / 4);
    const suffixShare = content - prefixShare;
    suffixEnd = suffixWindowEnd(text, cursor, suffixShare, span);
    const suffixUsed = span.ids(cursor, suffixEnd).length;
    const prefixAllot = content - suffixUsed;
    windowStart = prefixStart(text, cursor, prefixAllot, input.previousWindowStart, span);
    const spare = prefixAllot - span.ids(windowStart, cursor).length;
    const step = Math.max(1, Math.floor(prefixAllot / 4));
    // PSM: every suffix id is prefilled again on each keystroke, so the suffix never grows past its
    // share (the bench measured a suffix fed the prefix's headroom at 437 of ~1,020 ids, 40% of the
    // prompt recomputed per key). SPM: the suffix heads the prompt, so it must not follow the
    // prefix's headroom keystroke by keystroke; it takes a short prefix's leftover in steps.
    const given = order === 'psm' ? 0 : windowStart === 0 ? Math.floor(spare / step) * step : 0;
    if (given > 0 && suffixEnd < text.length) suffixEnd = suffixWindowEnd(text, cursor, suffixUsed + given, span);
  }

  const prefixIds = span.ids(windowStart, cursor);
  const suffixIds = span.ids(cursor, suffixEnd);
  const ids: number[] = [];
  let prefixEnd = 0;
  template.forEach((piece, i) => {
    ids.push(...(piece.kind === 'prefix' ? prefixIds : piece.kind === 'suffix' ? suffixIds : (fixed[i] ?? [])));
    if (piece.kind === 'prefix') prefixEnd = ids.length;
  });
  return {
    ids,
    prefixEnd,
    windowStart,
    suffixEnd,
    mode: format === undefined ? 'prefix' : 'fim',
    prefixTokens: prefixIds.length,
    suffixTokens: suffixIds.length,
  };
}

/** Encodes with a cut inside every occurrence of a reserved text, so no piece can match it whole. */
function plainEncoder(encode: (text: string) => number[], reserved: readonly string[]): (text: string) => number[] {
  const markers = [...new Set(reserved)].filter((r) => r.length > 1);
  return (s) => {
    if (s.length === 0) return [];
    const cuts: number[] = [];
    for (const marker of markers) {
      for (let i = s.indexOf(marker); i !== -1; i = s.indexOf(marker, i + 1)) cuts.push(i + 1);
    }
    if (cuts.length === 0) return encode(s);
    const out: number[] = [];
    let from = 0;
    for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
      out.push(...encode(s.slice(from, cut)));
      from = cut;
    }
    out.push(...encode(s.slice(from)));
    return out;
  };
}

/** Encodes spans of the document, remembering each, since the window search asks for some twice. */
class SpanEncoder {
  private readonly memo = new Map<string, number[]>();
  constructor(
    private readonly text: string,
    private readonly plain: (text: string) => number[],
  ) {}

  ids(from: number, to: number): number[] {
    const key = `${from}:${to}`;
    let ids = this.memo.get(key);
    if (ids === undefined) {
      ids = this.plain(this.text.slice(from, to));
      this.memo.set(key, ids);
    }
    return ids;
  }

  /**
   * The number of ids of [from, to) when it is at most `limit`; otherwise some number above
   * `limit`. A long span (a minified line) is not encoded whole to learn that it does not fit:
   * pieces of it next to `anchor` ('end': ending at `to`, 'start': starting at `from`) are, each
   * twice as long as the one before, until one has too many ids.
   */
  count(from: number, to: number, limit: number, anchor: 'start' | 'end'): number {
    if (to - from > Math.max(0, limit) * MAX_CHARS_PER_ID) return limit + 1;
    for (let width = Math.max(PROBE_CHARS, limit * PROBE_CHARS_PER_ID); to - from > width; width *= 2) {
      const piece = anchor === 'end' ? this.ids(charBoundary(this.text, to - width, 1), to) : this.ids(from, charBoundary(this.text, from + width, -1));
      if (piece.length > limit + CUT_SLACK) return piece.length;
    }
    return this.ids(from, to).length;
  }
}

function lineStartOf(text: string, offset: number): number {
  return offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line break that ends the line holding `offset`, or the document's end. */
function lineEndOf(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i === -1 ? text.length : i + 1;
}

/** Never cut between the halves of a surrogate pair. */
function charBoundary(text: string, offset: number, direction: 1 | -1): number {
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff && offset > 0 && offset < text.length ? offset + direction : offset;
}

/** More characters than any BPE token of a code vocabulary holds (long runs of spaces included). */
const MAX_CHARS_PER_ID = 256;
/** Characters per id of the first piece SpanEncoder.count encodes of a long span (code: 2–4 a token). */
const PROBE_CHARS_PER_ID = 4;
const PROBE_CHARS = 256;
/** Ids a piece may have beyond those of the whole span: the token at the piece's cut can differ. */
const CUT_SLACK = 2;

function prefixStart(text: string, cursor: number, allot: number, previous: number | undefined, span: SpanEncoder): number {
  if (allot <= 0) return cursor;
  const step = Math.max(1, Math.floor(allot / 4));
  // A window of `allot` ids cannot span more than allot × MAX_CHARS_PER_ID characters: a start
  // farther away (the user jumped elsewhere in a large file) is dropped without encoding the
  // whole distance (measured: 2 s for 1.2 MB of Python before this check).
  const within = previous !== undefined && cursor - previous <= allot * MAX_CHARS_PER_ID;
  if (within && previous >= 0 && previous <= cursor && lineStartOf(text, previous) === previous) {
    const used = span.ids(previous, cursor).length;
    if (used <= allot && (previous === 0 || used >= allot - 2 * step)) return previous;
  }
  return freshPrefixStart(text, cursor, allot, allot - step, span);
}

/**
 * The earliest line start whose window fits in `target` (or the document's start when the whole
 * prefix fits in `allot`). Lines are counted one by one walking back, an estimate, since a window
 * encoded whole may merge ids across line breaks; one encode of the window then checks it.
 */
function freshPrefixStart(text: string, cursor: number, allot: number, target: number, span: SpanEncoder): number {
  const cursorLine = lineStartOf(text, cursor);
  let sum = span.count(cursorLine, cursor, allot, 'end');
  if (sum > allot) return midLinePrefixStart(text, cursorLine, cursor, target, allot, span);
  let candidate = cursorLine;
  let start = cursorLine;
  while (start > 0 && sum <= allot) {
    const previousLine = lineStartOf(text, start - 1);
    sum += span.count(previousLine, start, allot - sum, 'end');
    start = previousLine;
    if (sum <= target) candidate = start;
  }
  if (start === 0 && sum <= allot && span.ids(0, cursor).length <= allot) return 0;
  while (candidate < cursorLine && span.ids(candidate, cursor).length > allot) candidate = lineEndOf(text, candidate);
  return candidate;
}

/** The cursor's line alone overflows: the latest-starting character window that fits `target`. */
function midLinePrefixStart(text: string, lineStart: number, cursor: number, target: number, allot: number, span: SpanEncoder): number {
  // Search from a window already too long (twice the fitting one, or more characters than
  // `target` ids can hold), not from the start of a minified line.
  const reach = Math.min(cursor - lineStart, target * MAX_CHARS_PER_ID);
  let lo = charBoundary(text, cursor - reach, 1);
  let hi = cursor;
  for (let width = Math.max(PROBE_CHARS, target * PROBE_CHARS_PER_ID); width < reach; width *= 2) {
    const from = charBoundary(text, cursor - width, 1);
    if (span.ids(from, cursor).length > target) {
      lo = from;
      break;
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (span.ids(mid, cursor).length <= target) hi = mid;
    else lo = mid + 1;
  }
  let start = charBoundary(text, lo, 1);
  while (start < cursor && span.ids(start, cursor).length > allot) start = charBoundary(text, start + 1, 1);
  return start;
}

/** The furthest line end after the cursor whose window fits `allot`, counted like the prefix. */
function suffixWindowEnd(text: string, cursor: number, allot: number, span: SpanEncoder): number {
  if (allot <= 0 || cursor === text.length) return cursor;
  const firstEnd = lineEndOf(text, cursor);
  let sum = span.count(cursor, firstEnd, allot, 'start');
  if (sum > allot) return midLineSuffixEnd(text, cursor, firstEnd, allot, span);
  const ends = [firstEnd];
  for (let from = firstEnd; from < text.length; ) {
    const next = lineEndOf(text, from);
    sum += span.count(from, next, allot - sum, 'start');
    if (sum > allot) break;
    ends.push(next);
    from = next;
  }
  // The furthest end whose window, encoded whole, still fits (the first line's end always does).
  for (const end of ends.reverse()) if (end === firstEnd || span.ids(cursor, end).length <= allot) return end;
  return firstEnd;
}

function midLineSuffixEnd(text: string, cursor: number, lineEnd: number, allot: number, span: SpanEncoder): number {
  const reach = Math.min(lineEnd - cursor, allot * MAX_CHARS_PER_ID);
  let lo = cursor;
  let hi = charBoundary(text, cursor + reach, -1);
  for (let width = Math.max(PROBE_CHARS, allot * PROBE_CHARS_PER_ID); width < reach; width *= 2) {
    const to = charBoundary(text, cursor + width, -1);
    if (span.ids(cursor, to).length > allot) {
      hi = to;
      break;
    }
  }
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (span.ids(cursor, mid).length <= allot) lo = mid;
    else hi = mid - 1;
  }
  let end = charBoundary(text, lo, -1);
  while (end > cursor && span.ids(cursor, end).length > allot) end = charBoundary(text, end - 1, -1);
  return end;
}
