import { InkwellError } from '../engine';

export interface CompletionCacheKey {
  readonly uri: string;
  /** The document's text before the cursor. */
  readonly prefix: string;
  /** The text after the cursor on its line. */
  readonly suffix: string;
}

export interface CompletionCacheOptions {
  /** Default 64. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly uri: string;
  readonly suffix: string;
  readonly prefixLength: number;
  readonly prefixHash: number;
  /** The prefix's last characters: a cheap check before hashing a candidate's prefix. */
  readonly prefixTail: string;
  readonly completions: readonly string[];
}

const TAIL = 64;

/**
 * Completions already computed, by document, text before the cursor and rest of the line; LRU
 * over `maxEntries`. The prefix is kept as its length, a hash and a short tail, so an entry does
 * not hold on to a copy of the document.
 *
 * `get` answers an exact hit, or a typed-through hit: the user has typed `typed` since the entry
 * was stored (current prefix = stored prefix + typed, same rest of line), and the stored
 * completions that start with `typed` are answered without it; the closest such entry wins.
 *
 * Backspace: a current prefix shorter than a stored one never uses that entry (deleted text is
 * not offered back); it hits only where an entry was stored for that shorter prefix itself.
 */
export class CompletionCache {
  private readonly maxEntries: number;
  /** Map order is recency: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();

  constructor(options: CompletionCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? 64;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new InkwellError('invalid-argument', `maxEntries must be a positive integer, got ${maxEntries}`);
    }
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.entries.size;
  }

  put(key: CompletionCacheKey, completions: readonly string[]): void {
    const prefixHash = hashPrefix(key.prefix, [key.prefix.length]).get(key.prefix.length)!;
    const entry: Entry = {
      uri: key.uri,
      suffix: key.suffix,
      prefixLength: key.prefix.length,
      prefixHash,
      prefixTail: key.prefix.slice(-TAIL),
      completions: [...completions],
    };
    const id = entryId(entry);
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get(uri: string, prefix: string, suffix: string): string[] | undefined {
    const candidates = [...this.entries.entries()].filter(
      ([, e]) => e.uri === uri && e.suffix === suffix && e.prefixLength <= prefix.length && prefix.startsWith(e.prefixTail, e.prefixLength - e.prefixTail.length),
    );
    if (candidates.length === 0) return undefined;
    const hashes = hashPrefix(prefix, candidates.map(([, e]) => e.prefixLength));
    // Longest stored prefix first: the exact hit, else the fewest typed characters.
    candidates.sort(([, a], [, b]) => b.prefixLength - a.prefixLength);
    for (const [id, entry] of candidates) {
      if (hashes.get(entry.prefixLength) !== entry.prefixHash) continue;
      const typed = prefix.slice(entry.prefixLength);
      const answer = entry.completions.filter((c) => c.startsWith(typed) && c.length > typed.length).map((c) => c.slice(typed.length));
      if (answer.length === 0) continue;
      this.entries.delete(id);
      this.entries.set(id, entry);
      return answer;
    }
    return undefined;
  }

  /** Forgets one document's entries (closed), or all. */
  clear(uri?: string): void {
    if (uri === undefined) this.entries.clear();
    else for (const [id, e] of this.entries) if (e.uri === uri) this.entries.delete(id);
  }
}

function entryId(e: Entry): string {
  return JSON.stringify([e.uri, e.prefixLength, e.prefixHash, e.suffix]);
}

/** FNV-1a (32-bit) over UTF-16 code units, read off at each requested length in one pass. */
function hashPrefix(text: string, lengths: readonly number[]): Map<number, number> {
  const wanted = new Set(lengths);
  const out = new Map<number, number>();
  const last = Math.max(...lengths);
  let h = 0x811c9dc5;
  if (wanted.has(0)) out.set(0, h);
  for (let i = 0; i < last; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    if (wanted.has(i + 1)) out.set(i + 1, h);
  }
  return out;
}
