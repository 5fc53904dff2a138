import { createHash } from 'node:crypto';

export type DuplicateKind = 'duplicate-exact' | 'duplicate-near';

/**
 * Remembers the files kept so far and says whether a new one repeats one of them: exactly (the
 * same bytes, e.g. one package installed twice) or nearly (the same text once every run of
 * whitespace is one space: re-indented or re-wrapped copies, CRLF versions). The first file seen
 * wins, so the caller's order decides which copy stays.
 */
export class Deduplicator {
  private readonly exact = new Set<string>();
  private readonly near = new Set<string>();

  /** Records `bytes` and returns undefined if it is new, else which kind of repeat it is. */
  check(bytes: Uint8Array, text: string): DuplicateKind | undefined {
    const exact = sha256Hex(bytes);
    if (this.exact.has(exact)) return 'duplicate-exact';
    const near = sha256Hex(normalizeWhitespace(text));
    if (this.near.has(near)) return 'duplicate-near';
    this.exact.add(exact);
    this.near.add(near);
    return undefined;
  }
}

export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
