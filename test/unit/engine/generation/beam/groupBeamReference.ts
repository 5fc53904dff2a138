import type { LogitsFn } from '../../support/FakeLanguageModel';

/**
 * A straightforward diverse (group) beam search written from HF's description
 * (GenerationMixin._group_beam_search, BeamSearchScorer, BeamHypotheses, HammingDiversity),
 * for tests: full recomputation of every row's logits from the ids, plain arrays, a full sort of
 * every candidate. num_beam_groups = 1 is ordinary beam search. No processors but the diversity
 * penalty; one EOS id.
 */
export interface ReferenceOptions {
  readonly vocab: number;
  readonly eos: number;
  readonly pad: number;
  readonly numBeams: number;
  readonly groups: number;
  readonly diversityPenalty: number;
  readonly maxNewTokens: number;
  readonly lengthPenalty: number;
  readonly earlyStopping: boolean | 'never';
  readonly numReturn: number;
}

interface Hyp {
  readonly tokens: number[];
  readonly score: number;
}

class Hyps {
  readonly list: Hyp[] = [];
  worst = 1e9;
  constructor(
    readonly size: number,
    readonly o: ReferenceOptions,
  ) {}
  add(tokens: number[], sum: number): void {
    const score = sum / tokens.length ** this.o.lengthPenalty;
    if (this.list.length < this.size || score > this.worst) {
      this.list.push({ tokens, score });
      if (this.list.length > this.size) {
        const sorted = this.list.map((h, i) => [h.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.list.splice(sorted[0]![1], 1);
        this.worst = sorted[1]![0];
      } else {
        this.worst = Math.min(score, this.worst);
      }
    }
  }
  isDone(bestSum: number, curLen: number): boolean {
    if (this.list.length < this.size) return false;
    if (this.o.earlyStopping === true) return true;
    if (this.o.earlyStopping === false) return this.worst >= bestSum / curLen ** this.o.lengthPenalty;
    const length = this.o.lengthPenalty > 0 ? this.o.maxNewTokens : curLen;
    return this.worst >= bestSum / length ** this.o.lengthPenalty;
  }
}

function logSoftmax(logits: Float32Array): number[] {
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
  return Array.from(logits, (v) => v - lse);
}

export function referenceGroupBeamSearch(logitsFn: LogitsFn, prompt: readonly number[], o: ReferenceOptions): Hyp[] {
  const size = o.numBeams / o.groups;
  let beams = Array.from({ length: o.numBeams }, (_, i) => ({ tokens: [] as number[], sum: i % size === 0 ? 0 : -1e9 }));
  const hyps = Array.from({ length: o.groups }, () => new Hyps(size, o));
  const done = new Array<boolean>(o.groups).fill(false);
  for (let curLen = 1; curLen <= o.maxNewTokens; curLen++) {
    const current: number[] = [];
    const nextBeams = [...beams];
    for (let g = 0; g < o.groups; g++) {
      if (done[g]) {
        for (let i = 0; i < size; i++) current.push(o.pad);
        continue;
      }
      const group = beams.slice(g * size, (g + 1) * size);
      const candidates: { beam: number; token: number; sum: number }[] = [];
      group.forEach((beam, b) => {
        const ids = [...prompt, ...beam.tokens];
        const logits = new Float32Array(o.vocab);
        logitsFn(ids, ids.length - 1, logits);
        const lp = logSoftmax(logits);
        for (const t of current) lp[t] = lp[t]! - o.diversityPenalty;
        lp.forEach((v, token) => candidates.push({ beam: b, token, sum: beam.sum + v }));
      });
      // Stable sort of the flat (beam, token) order: ties keep the lower flat index first.
      candidates.sort((a, b) => b.sum - a.sum);
      const top = candidates.slice(0, 2 * size);
      const kept: { tokens: number[]; sum: number }[] = [];
      for (let rank = 0; rank < top.length && kept.length < size; rank++) {
        const c = top[rank]!;
        const tokens = [...group[c.beam]!.tokens, c.token];
        if (c.token === o.eos) {
          if (rank < size) hyps[g]!.add(tokens, c.sum);
        } else {
          kept.push({ tokens, sum: c.sum });
        }
      }
      done[g] = hyps[g]!.isDone(top[0]!.sum, curLen);
      for (const k of kept) current.push(k.tokens[k.tokens.length - 1]!);
      nextBeams.splice(g * size, size, ...kept);
    }
    beams = nextBeams;
    if (done.every((d) => d)) break;
  }
  beams.forEach((beam, i) => {
    const g = Math.floor(i / size);
    if (!done[g]) hyps[g]!.add(beam.tokens, beam.sum);
  });
  const all = hyps.flatMap((h) => h.list);
  const sorted = [...all].sort((a, b) => a.score - b.score);
  const out: Hyp[] = [];
  for (let j = 0; j < o.numReturn; j++) out.push(sorted.pop()!);
  return out;
}
