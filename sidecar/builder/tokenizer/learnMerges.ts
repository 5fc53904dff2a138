import { byteToUnicode } from './byteToUnicode';
import { PairQueue } from './PairQueue';

export interface LearnedMerges {
  /** Token of each id in the byte-level alphabet; ids 0–255 are the bytes themselves. */
  readonly tokens: readonly string[];
  /**
   * Merge rules in learned order. There can be more rules than new tokens: two rules such as
   * (`a`, `bc`) and (`ab`, `c`) may both produce `abc`, which gets one id.
   */
  readonly merges: readonly (readonly [string, string])[];
}

export interface LearnMergesOptions {
  /** Stop once this many tokens (bytes included) exist. */
  readonly maxTokens: number;
  /** Pairs seen fewer times than this are never merged. */
  readonly minFrequency: number;
}

interface PairStat {
  count: number;
  /** Words that contain (or once contained) the pair; may hold stale entries and repeats. */
  words: number[];
}

/**
 * Learns byte-level BPE merges from deduplicated words (word → occurrences). Pair counts are
 * kept incrementally: a merge only revisits the words that contain the merged pair, and a heap
 * with lazy invalidation finds the next most frequent pair, so training costs roughly the total
 * length of the words touched by merges rather than corpus size × merges.
 */
export function learnMerges(wordCounts: ReadonlyMap<string, number>, options: LearnMergesOptions): LearnedMerges {
  const tokens = byteToUnicode.slice();
  const tokenIds = new Map<string, number>(tokens.map((token, id) => [token, id]));
  const merges: [string, string][] = [];

  // All words live in one array; a word keeps its slot and shrinks in place as merges apply.
  const encoder = new TextEncoder();
  const encoded = [...wordCounts.keys()].map((word) => encoder.encode(word));
  const wordCount = Float64Array.from(wordCounts.values());
  const wordStart = new Int32Array(encoded.length);
  const wordLength = new Int32Array(encoded.length);
  let totalLength = 0;
  for (const [w, bytes] of encoded.entries()) {
    wordStart[w] = totalLength;
    wordLength[w] = bytes.length;
    totalLength += bytes.length;
  }
  const symbols = new Int32Array(totalLength);
  for (const [w, bytes] of encoded.entries()) symbols.set(bytes, wordStart[w]);

  // Ids stay below maxTokens, so keys stay small integers (fast Map keys) and order pairs by
  // (left id, right id): the tie-break rule.
  const keyBase = options.maxTokens;
  const pairs = new Map<number, PairStat>();
  let grown = new Set<number>();
  let mergedKey = -1;

  const adjust = (left: number, right: number, delta: number, word: number): void => {
    const key = left * keyBase + right;
    if (key === mergedKey) return; // its stat is already gone; `a a a` would otherwise revive it
    let stat = pairs.get(key);
    if (stat === undefined) {
      stat = { count: 0, words: [] };
      pairs.set(key, stat);
    }
    stat.count += delta;
    if (delta > 0) {
      if (stat.words[stat.words.length - 1] !== word) stat.words.push(word);
      grown.add(key);
    } else if (stat.count === 0) {
      pairs.delete(key);
    }
  };

  for (let w = 0; w < encoded.length; w++) {
    const start = wordStart[w];
    for (let i = start + 1; i < start + wordLength[w]; i++) adjust(symbols[i - 1], symbols[i], wordCount[w], w);
  }
  const queue = new PairQueue();
  const pushGrown = (): void => {
    for (const key of grown) {
      const stat = pairs.get(key);
      if (stat !== undefined && stat.count > 0) queue.push(key, stat.count);
    }
    grown = new Set();
  };
  pushGrown();

  const visited = new Int32Array(encoded.length).fill(-1);
  while (tokens.length < options.maxTokens && queue.size > 0) {
    const { key, count } = queue.pop();
    const stat = pairs.get(key);
    if (stat === undefined) continue; // already merged, or gone
    if (stat.count !== count) {
      queue.push(key, stat.count); // stale entry: requeue with the current, lower count
      continue;
    }
    if (count < options.minFrequency) break;

    const left = Math.floor(key / keyBase);
    const right = key - left * keyBase;
    const merged = tokens[left] + tokens[right];
    let id = tokenIds.get(merged);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(merged);
      tokenIds.set(merged, id);
    }
    merges.push([tokens[left], tokens[right]]);
    pairs.delete(key);
    mergedKey = key;

    const step = merges.length;
    for (const w of stat.words) {
      if (visited[w] === step) continue;
      visited[w] = step;
      const start = wordStart[w];
      const end = start + wordLength[w];
      const c = wordCount[w];
      // Rewrite left to right; neighbours are read from the already rewritten prefix, so a
      // run like `a b a b` correctly yields the pair (ab, ab) once.
      let out = start;
      for (let i = start; i < end; ) {
        if (i + 1 < end && symbols[i] === left && symbols[i + 1] === right) {
          if (out > start) {
            const prev = symbols[out - 1];
            adjust(prev, left, -c, w);
            adjust(prev, id, c, w);
          }
          if (i + 2 < end) {
            const next = symbols[i + 2];
            adjust(right, next, -c, w);
            adjust(id, next, c, w);
          }
          symbols[out++] = id;
          i += 2;
        } else {
          symbols[out++] = symbols[i++];
        }
      }
      wordLength[w] = out - start;
    }
    pushGrown();
  }
  return { tokens, merges };
}
