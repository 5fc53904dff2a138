import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { distributionStages, type DistributionStage } from '../../../../sidecar/engine/processors/distributionStages';
import { configOf } from '../support/configOf';

// Expectations below are computed here, independently of the processors: plain float64 math
// on the scores (each rounded to float32 where the row stores it).
const NEG = Number.NEGATIVE_INFINITY;

function softmax(scores: readonly number[]): number[] {
  const max = Math.max(...scores);
  if (max === NEG) return scores.map(() => 0);
  const e = scores.map((s) => (s === NEG ? 0 : Math.exp(s - max)));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const entropy = (p: readonly number[]) => -p.reduce((h, v) => (v > 0 ? h + v * Math.log(v) : h), 0);

/** CTRL penalty: a token in `ids` has a positive score divided, a negative one multiplied. */
const repetition = (s: readonly number[], ids: readonly number[], penalty: number) =>
  s.map((v, i) => (ids.includes(i) ? Math.fround(v < 0 ? v * penalty : v / penalty) : v));
const divide = (s: readonly number[], t: number) => s.map((v) => Math.fround(v / t));
/** Keeps every score >= the k-th largest. */
function topK(s: readonly number[], k: number): number[] {
  const kth = [...s].sort((a, b) => b - a)[k - 1]!;
  return s.map((v) => (v >= kth ? v : NEG));
}
/** Nucleus: a token stays while the probability mass ranked strictly above it is < p. */
function topP(s: readonly number[], p: number): number[] {
  const probs = softmax(s);
  const order = s.map((_, i) => i).sort((a, b) => probs[b]! - probs[a]!);
  const out = s.map(() => NEG);
  let above = 0;
  for (const i of order) {
    if (above >= p) break;
    out[i] = s[i]!;
    above += probs[i]!;
  }
  return out;
}

function assertStage(stage: DistributionStage, name: string, scores: readonly number[], tokenIds: readonly number[]): void {
  const p = softmax(scores);
  assert.equal(stage.name, name);
  assert.equal(stage.probs.length, tokenIds.length);
  tokenIds.forEach((id, i) => assert.ok(Math.abs(stage.probs[i]! - p[id]!) < 1e-6, `${name}: p(${id}) = ${stage.probs[i]}, expected ${p[id]}`));
  assert.equal(stage.kept, p.filter((v) => v > 0).length, `${name}: kept`);
  assert.ok(Math.abs(stage.entropy - entropy(p)) < 1e-6, `${name}: entropy ${stage.entropy}, expected ${entropy(p)}`);
}

const LOGITS = [2.0, 1.5, 1.4, 0.5, 0.0, -1.0];
const PROMPT = [0, 3];
const context = { width: 6, tokenizerVocabSize: 6, eosTokenIds: [5], promptIds: PROMPT };

describe('distributionStages', () => {
  const sampling = configOf({ do_sample: true, temperature: 0.5, top_k: 3, top_p: 0.7, repetition_penalty: 1.5 });
  // Written out: after the penalty [1.33, 1.5, 1.4, 0.33, 0, -1]; / 0.5 → [2.67, 3, 2.8, 0.67, 0, -2];
  // top-3 keeps ids 1, 2, 0 (p ≈ .394, .323, .283); top-p 0.7 drops id 0 (.717 ranked above it).
  const penalized = repetition(LOGITS, PROMPT, 1.5);
  const tempered = divide(penalized, 0.5);
  const truncated = topK(tempered, 3);
  const nucleus = topP(truncated, 0.7);

  it('one stage per processor in HF order, each the softmax after that processor', () => {
    const { tokenIds, stages } = distributionStages(Float32Array.from(LOGITS), sampling, context, 2);
    assert.deepEqual(stages.map((s) => s.name), ['raw', 'repetition-penalty', 'temperature', 'top-k', 'top-p']);
    // Raw top-2 is {0, 1}; after the last stage {1, 2}: the union, most likely first under raw.
    assert.deepEqual(tokenIds, [0, 1, 2]);
    assertStage(stages[0]!, 'raw', LOGITS.map(Math.fround), tokenIds);
    assertStage(stages[1]!, 'repetition-penalty', penalized, tokenIds);
    // Temperature before top-k, as HF: the temperature stage is still dense.
    assertStage(stages[2]!, 'temperature', tempered, tokenIds);
    assertStage(stages[3]!, 'top-k', truncated, tokenIds);
    assertStage(stages[4]!, 'top-p', nucleus, tokenIds);
    assert.deepEqual(stages.map((s) => s.kept), [6, 6, 6, 3, 2]);
    assert.equal(stages[4]!.probs[0], 0);
  });

  it('topN beyond the vocabulary lists every token, ordered by raw probability', () => {
    const { tokenIds, stages } = distributionStages(Float32Array.from(LOGITS), sampling, context, 100);
    assert.deepEqual(tokenIds, [0, 1, 2, 3, 4, 5]);
    assertStage(stages[4]!, 'top-p', nucleus, tokenIds);
    assert.deepEqual(stages[4]!.probs.map((p) => p > 0), [false, true, true, false, false, false]);
    const total = stages[3]!.probs.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-9);
  });

  it('greedy: warpers are not stages (they do not apply), processors are', () => {
    const greedy = configOf({ do_sample: false, temperature: 0.5, top_k: 3, repetition_penalty: 1.5, suppress_tokens: [1] });
    // Width 6 over a 5-token tokenizer: id 5 is masked first.
    const { tokenIds, stages } = distributionStages(Float32Array.from(LOGITS), greedy, { ...context, tokenizerVocabSize: 5 }, 3);
    assert.deepEqual(stages.map((s) => s.name), ['raw', 'vocab-mask', 'repetition-penalty', 'suppress-tokens']);
    const masked = LOGITS.map((v, i) => (i === 5 ? NEG : Math.fround(v)));
    const penalized2 = repetition(masked, PROMPT, 1.5);
    const suppressed = penalized2.map((v, i) => (i === 1 ? NEG : v));
    // Raw top-3 {0, 1, 2}; final top-3 {2, 0, 3}.
    assert.deepEqual(tokenIds, [0, 1, 2, 3]);
    assertStage(stages[1]!, 'vocab-mask', masked, tokenIds);
    assertStage(stages[2]!, 'repetition-penalty', penalized2, tokenIds);
    assertStage(stages[3]!, 'suppress-tokens', suppressed, tokenIds);
    assert.deepEqual(stages.map((s) => s.kept), [6, 5, 5, 4]);
  });

  it('beam modes shape log-probabilities (HF beam search: log_softmax, then the processors)', () => {
    const beam = configOf({ num_beams: 2, repetition_penalty: 1.5 });
    const { tokenIds, stages } = distributionStages(Float32Array.from(LOGITS), beam, { ...context, tokenizerVocabSize: 5 }, 6);
    assert.deepEqual(stages.map((s) => s.name), ['raw', 'vocab-mask', 'repetition-penalty']);
    const masked = LOGITS.map((v, i) => (i === 5 ? NEG : Math.fround(v)));
    const max = Math.max(...masked);
    const lse = max + Math.log(masked.reduce((sum, v) => sum + (v === NEG ? 0 : Math.exp(v - max)), 0));
    const logProbs = masked.map((v) => Math.fround(v - lse));
    // Every log-prob is negative, so the penalty multiplies the repeated ones (it would divide the
    // positive raw logits 2 and 1.5 of ids 0 and 1): a different distribution than greedy's.
    const penalizedLogProbs = repetition(logProbs, PROMPT, 1.5);
    assertStage(stages[2]!, 'repetition-penalty', penalizedLogProbs, tokenIds);
    const greedy = distributionStages(Float32Array.from(LOGITS), configOf({ repetition_penalty: 1.5 }), { ...context, tokenizerVocabSize: 5 }, 6);
    assert.ok(Math.abs(greedy.stages[2]!.probs[0]! - stages[2]!.probs[0]!) > 0.01, 'the two modes differ here');
  });

  it('a config without processors gives the raw stage alone', () => {
    const { tokenIds, stages } = distributionStages(Float32Array.from(LOGITS), configOf({ do_sample: false }), context, 1);
    assert.deepEqual(tokenIds, [0]);
    assert.deepEqual(stages.map((s) => s.name), ['raw']);
    assertStage(stages[0]!, 'raw', LOGITS, tokenIds);
  });

  it('rejects a row of the wrong width and a topN below 1', () => {
    const isArgumentError = (field: string) => (e: unknown) => InkwellError.is(e) && e.code === 'invalid-argument' && e.details.field === field;
    assert.throws(() => distributionStages(new Float32Array(5), sampling, context, 3), isArgumentError('logits'));
    assert.throws(() => distributionStages(Float32Array.from(LOGITS), sampling, context, 0), isArgumentError('topN'));
  });
});
