// Deliberately naive BPE, written independently of the trainer, as the oracle for its tests:
// a trainer that recounts every pair before each merge and an encoder that replays merge rules
// by rank. Both work on byte-level strings (one character per byte).
import { byteToUnicode } from '../../../../sidecar/builder/tokenizer/byteToUnicode';
import { codePreTokenize } from '../../../../sidecar/builder/tokenizer/codePreTokenizer';

export function toByteLevel(text: string): string[] {
  return [...new TextEncoder().encode(text)].map((b) => byteToUnicode[b]);
}

export function naiveTrain(words: string[], maxTokens: number, minFrequency: number): [string, string][] {
  const ids = new Map(byteToUnicode.map((t, i) => [t, i] as const));
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const seqs = [...counts].map(([w, c]) => ({ syms: toByteLevel(w), c }));
  const merges: [string, string][] = [];
  while (ids.size < maxTokens) {
    const pairCounts = new Map<string, { a: string; b: string; n: number }>();
    for (const { syms, c } of seqs) {
      for (let i = 0; i + 1 < syms.length; i++) {
        const k = `${syms[i]}\u0000${syms[i + 1]}`;
        const e = pairCounts.get(k) ?? { a: syms[i], b: syms[i + 1], n: 0 };
        e.n += c;
        pairCounts.set(k, e);
      }
    }
    let best: { a: string; b: string; n: number } | undefined;
    for (const e of pairCounts.values()) {
      const better =
        best === undefined ||
        e.n > best.n ||
        (e.n === best.n && (ids.get(e.a)! < ids.get(best.a)! || (e.a === best.a && ids.get(e.b)! < ids.get(best.b)!)));
      if (better) best = e;
    }
    if (best === undefined || best.n < minFrequency) break;
    const { a, b } = best;
    merges.push([a, b]);
    if (!ids.has(a + b)) ids.set(a + b, ids.size);
    for (const s of seqs) s.syms = mergeAll(s.syms, a, b);
  }
  return merges;
}

function mergeAll(syms: string[], a: string, b: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < syms.length; i++) {
    if (i + 1 < syms.length && syms[i] === a && syms[i + 1] === b) {
      out.push(a + b);
      i++;
    } else out.push(syms[i]);
  }
  return out;
}

/** Encodes by replaying merges: repeatedly apply the lowest-ranked pair present in the word. */
export function naiveEncode(
  text: string,
  vocab: Record<string, number>,
  merges: [string, string][],
  specialTokens: Record<string, number>,
): number[] {
  const rank = new Map(merges.map(([a, b], i) => [`${a}\u0000${b}`, i]));
  const specials = Object.keys(specialTokens).sort((x, y) => y.length - x.length);
  const ids: number[] = [];
  let rest = text;
  while (rest.length > 0) {
    let cut = rest.length;
    let found: string | undefined;
    for (const s of specials) {
      const at = rest.indexOf(s);
      if (at >= 0 && at < cut) [cut, found] = [at, s];
    }
    for (const word of codePreTokenize(rest.slice(0, cut))) {
      let syms = toByteLevel(word);
      for (;;) {
        let bestRank = Infinity;
        let bestAt = -1;
        for (let i = 0; i + 1 < syms.length; i++) {
          const r = rank.get(`${syms[i]}\u0000${syms[i + 1]}`);
          if (r !== undefined && r < bestRank) [bestRank, bestAt] = [r, i];
        }
        if (bestAt < 0) break;
        syms = mergeAll(syms, syms[bestAt], syms[bestAt + 1]);
      }
      for (const s of syms) ids.push(vocab[s]);
    }
    if (found === undefined) break;
    ids.push(specialTokens[found]);
    rest = rest.slice(cut + found.length);
  }
  return ids;
}
