import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReferenceDecoder } from '../../../sidecar/builder/reference/ReferenceDecoder';
import { parseGenerationConfig } from '../../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../../sidecar/engine/generation/generate';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { smallModel, testModel } from '../../support/testModels';

const PROMPTS = ['function add(a: number, b: number) {\n  return', 'export interface Options {\n', 'for (let i = 0; i < n; i++) {'];
const NEW_TOKENS = 10;

interface Case {
  readonly alpha: number;
  readonly topK: number;
  readonly repetitionPenalty: number;
}

const CASES: Case[] = [
  { alpha: 0.3, topK: 2, repetitionPenalty: 1 },
  { alpha: 0.6, topK: 4, repetitionPenalty: 1 },
  { alpha: 0.6, topK: 4, repetitionPenalty: 1.5 },
  { alpha: 0.3, topK: 2, repetitionPenalty: 1.5 },
];

/**
 * Tolerance. The fp32 graph's logits differ from ReferenceDecoder's float64 loops by at most
 * ~5e-6 and its hidden states by ~1.3e-6 per component (measured in
 * test/unit/builder/decoderGraph.test.ts; components are ~1 after the final RMSNorm). So each
 * probability moves by < 1e-5 relative and each cosine by a few 1e-6: a score by < 2e-5. A step
 * whose best two scores, or whose k-th and (k+1)-th processed logits, are closer than MARGIN
 * could flip on rounding alone. The cases are chosen so that none is (α = 0.6 with top_k = 2
 * meets a near-tie, 4e-5, on the first prompt, so it is not among them), and the test asserts
 * the margins instead of silently skipping such a step.
 */
const MARGIN = 1e-4;

/**
 * Contrastive search written plainly over ReferenceDecoder: no KV cache, no batching; every step
 * runs the whole sequence for the context's hidden states and the next logits, and the whole
 * sequence plus each candidate for that candidate's hidden state.
 */
function referenceSearch(decoder: ReferenceDecoder, prompt: readonly number[], c: Case, eos: readonly number[], tokenizerSize: number) {
  const vocab = decoder.spec.vocab;
  const hidden = decoder.spec.hidden;
  const run = (ids: readonly number[]) =>
    decoder.forward({ inputIds: [ids], attentionMask: [ids.map(() => 1)], positionIds: [ids.map((_, i) => i)] });
  const rowOf = (data: Float32Array, width: number, position: number) => [...data.subarray(position * width, (position + 1) * width)];
  const unit = (x: number[]) => {
    const norm = Math.hypot(...x);
    return x.map((v) => v / norm);
  };
  const ids = [...prompt];
  const generated: number[] = [];
  let minScoreGap = Infinity;
  let minRankGap = Infinity;
  while (generated.length < NEW_TOKENS) {
    const out = run(ids);
    const context = ids.map((_, j) => unit(rowOf(out.lastHiddenState, hidden, j)));
    const scores = rowOf(out.logits, vocab, ids.length - 1).map((x, v) => {
      if (v >= tokenizerSize) return Number.NEGATIVE_INFINITY;
      if (!ids.includes(v)) return x;
      return x < 0 ? x * c.repetitionPenalty : x / c.repetitionPenalty;
    });
    const z = scores.reduce((s, x) => s + Math.exp(x), 0);
    const ranked = scores.map((_, v) => v).sort((u, v) => scores[v]! - scores[u]! || u - v);
    minRankGap = Math.min(minRankGap, scores[ranked[c.topK - 1]!]! - scores[ranked[c.topK]!]!);
    const candidates = ranked.slice(0, c.topK).map((token) => {
      const withCandidate = run([...ids, token]);
      const h = unit(rowOf(withCandidate.lastHiddenState, hidden, ids.length));
      const penalty = Math.max(...context.map((u) => u.reduce((s, v, i) => s + v * h[i]!, 0)));
      return { token, score: (1 - c.alpha) * (Math.exp(scores[token]!) / z) - c.alpha * penalty };
    });
    const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
    const second = Math.max(...candidates.filter((x) => x !== best).map((x) => x.score));
    minScoreGap = Math.min(minScoreGap, best.score - second);
    ids.push(best.token);
    generated.push(best.token);
    if (eos.includes(best.token)) break;
  }
  return { ids: generated, minScoreGap, minRankGap };
}

describe('contrastive search on a real ONNX model (worker runtime) equals a plain reference over ReferenceDecoder', () => {
  let loaded: LoadedModel;
  let decoder: ReferenceDecoder;
  let prompts: number[][];
  before(async () => {
    const dir = smallModel(); // built with hiddenStates: true
    loaded = await loadModel({ dir, dtype: 'fp32', device: 'cpu', threads: 1 });
    decoder = ReferenceDecoder.load(dir);
    prompts = PROMPTS.map((t) => loaded.tokenizer.encode(t, { addSpecialTokens: true }));
  });
  after(async () => loaded.model.dispose());

  for (const c of CASES) {
    it(`α = ${c.alpha}, top_k = ${c.topK}, repetition_penalty = ${c.repetitionPenalty}`, async (t) => {
      const config = parseGenerationConfig({
        penalty_alpha: c.alpha, top_k: c.topK, repetition_penalty: c.repetitionPenalty, max_new_tokens: NEW_TOKENS,
      }).config;
      assert.equal(config.mode, 'contrastive');
      const result = await generate(loaded.model, loaded.tokenizer, { prompts, config }).result();
      const eos = loaded.tokenizer.eosTokenIds;
      prompts.forEach((prompt, p) => {
        const expected = referenceSearch(decoder, prompt, c, eos, loaded.tokenizer.vocabSize);
        assert.ok(expected.minScoreGap > MARGIN, `prompt ${p}: best two scores ${expected.minScoreGap} apart: a near-tie, choose another case`);
        assert.ok(expected.minRankGap > MARGIN, `prompt ${p}: k-th and (k+1)-th logits ${expected.minRankGap} apart: choose another case`);
        t.diagnostic(`prompt ${p}: score gap ${expected.minScoreGap.toExponential(2)} rank gap ${expected.minRankGap.toExponential(2)}`);
        assert.deepEqual(result.sequences[p]!.tokenIds, expected.ids, `prompt ${p}`);
      });
    });
  }

  it('departs from greedy decoding on this model (the penalty is not a no-op here)', async () => {
    const greedy = parseGenerationConfig({ max_new_tokens: NEW_TOKENS }).config;
    const contrastive = parseGenerationConfig({ penalty_alpha: 0.6, top_k: 4, max_new_tokens: NEW_TOKENS }).config;
    const a = await generate(loaded.model, loaded.tokenizer, { prompts, config: greedy }).result();
    const b = await generate(loaded.model, loaded.tokenizer, { prompts, config: contrastive }).result();
    assert.ok(a.sequences.some((s, p) => s.tokenIds.join() !== b.sequences[p]!.tokenIds.join()));
  });
});

describe('contrastive search on a model without last_hidden_state', () => {
  let loaded: LoadedModel;
  before(async () => {
    // The same folder greedyParity.test.ts builds: no hiddenStates option.
    const dir = testModel('qwen2', { modelType: 'qwen2', layers: 2, hidden: 64, heads: 4, kvHeads: 1, intermediate: 160, vocab: 1100, seed: 3, dtypes: ['fp32'] });
    loaded = await loadModel({ dir, dtype: 'fp32', device: 'cpu', threads: 1 });
  });
  after(async () => loaded.model.dispose());

  it('generate() throws invalid-config naming penalty_alpha and saying why', () => {
    assert.equal(loaded.model.info.hiddenSize, undefined);
    const config = parseGenerationConfig({ penalty_alpha: 0.6, top_k: 4, max_new_tokens: 4 }).config;
    assert.throws(
      () => generate(loaded.model, loaded.tokenizer, { prompts: [loaded.tokenizer.encode('const x')], config }),
      (e: unknown) =>
        e instanceof InkwellError && e.code === 'invalid-config' && e.details.field === 'penalty_alpha' && /last_hidden_state/.test(e.message),
    );
  });
});
