import { createHash } from 'node:crypto';
import { Xoshiro128 } from '../../../sidecar/engine/sampling/Xoshiro128';

/** One single-line fill-in-the-middle evaluation case (heldout-fim.jsonl). */
export interface FimCase {
  readonly file: string;
  /** 0-based line of the cursor. */
  readonly line: number;
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
}

export interface FimCaseRule {
  readonly perFile: number;
  readonly prefixChars: number;
  readonly suffixChars: number;
  readonly minMiddleChars: number;
}

export const defaultFimCaseRule: FimCaseRule = { perFile: 3, prefixChars: 2000, suffixChars: 1000, minMiddleChars: 3 };

/**
 * Up to `perFile` cases from one held-out file, by a fixed rule: a line qualifies when the rest
 * of it from the cursor has at least `minMiddleChars` characters that are not all punctuation,
 * symbols or spaces; the cursor sits in the middle of the line's text after its indentation
 * (rounded down), so it lands mid-line as in typing; lines are drawn without repeats by a RNG
 * seeded with the file name. The middle is the rest of the line (no line break); the prefix is
 * the whole lines within `prefixChars` before the cursor plus the cursor's line up to it; the
 * suffix runs from the line break to the last line end within `suffixChars`.
 */
export function heldoutFimCases(file: string, text: string, rule: FimCaseRule = defaultFimCaseRule): FimCase[] {
  const candidates: { line: number; cursor: number; end: number }[] = [];
  let start = 0;
  for (let line = 0; start <= text.length; line++) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 ? text.length : newline;
    const body = text.slice(start, lineEnd).replace(/\r$/, '');
    const indent = body.length - body.trimStart().length;
    const content = body.trimEnd().length - indent;
    const cursor = start + indent + Math.floor(content / 2);
    const middle = text.slice(cursor, start + body.length);
    if (middle.trim().length >= rule.minMiddleChars && !/^[\s\p{P}\p{S}]*$/u.test(middle)) {
      candidates.push({ line, cursor, end: start + body.length });
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  const rng = new Xoshiro128(createHash('sha256').update(file).digest().readUInt32LE(0));
  const picked: typeof candidates = [];
  while (picked.length < rule.perFile && candidates.length > 0) picked.push(candidates.splice(Math.floor(rng.nextFloat() * candidates.length), 1)[0]);
  picked.sort((a, b) => a.line - b.line);
  return picked.map(({ line, cursor, end }) => {
    const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
    const windowStart = Math.max(0, cursor - rule.prefixChars);
    const prefixStart = windowStart === 0 ? 0 : Math.min(lineStart, text.indexOf('\n', windowStart - 1) + 1);
    const suffixLimit = Math.min(text.length, end + rule.suffixChars);
    const lastBreak = text.lastIndexOf('\n', suffixLimit - 1);
    const suffixEnd = suffixLimit === text.length ? text.length : lastBreak >= end ? lastBreak + 1 : end;
    return { file, line, prefix: text.slice(prefixStart, cursor), middle: text.slice(cursor, end), suffix: text.slice(end, suffixEnd) };
  });
}
