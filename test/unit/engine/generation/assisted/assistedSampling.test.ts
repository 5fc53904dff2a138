import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { speculativeSamplingRule, type AcceptanceRule } from '../../../../../sidecar/engine/generation/assisted/AcceptanceRule';
import { drawFrom } from '../../../../../sidecar/engine/generation/assisted/ProcessedRow';
import { runAssistedGeneration } from '../../../../../sidecar/engine/generation/assisted/runAssistedGeneration';
import { GenerationRun } from '../../../../../sidecar/engine/generation/GenerationRun';
import { fmix32 } from '../../../../../sidecar/engine/watermark/fmix32';
import { CharTokenizer } from '../../support/CharTokenizer';
import { configOf } from '../../support/configOf';
import { FakeLanguageModel, hashLogits, type LogitsFn } from '../../support/FakeLanguageModel';

const tokenizer = new CharTokenizer('abcd'); // ids 0..3, EOS = 4 (masked by the models below)
const VOCAB = 5;
const T = 0.9;
const TOP_K = 3;

/** hashLogits over the four letters, EOS impossible; `salt` makes a different (assistant) model. */
function letters(salt: number): LogitsFn {
  return (attended, position, out) => {
    hashLogits(salt === 0 ? attended : [...attended, salt], position, out);
    out[4] = -1e9;
  };
}
const mainLogits = letters(0);

/** inkwell-wm-v1 for the watermark case: γ 0.5, δ 2, key 7, context width 1. */
const WATERMARK = { greenlist_ratio: 0.5, bias: 2, hashing_key: 7, context_width: 1, seeding_scheme: 'inkwell-wm-v1' };
/** Green per the scheme's definition, written out here (its test vectors are checked elsewhere). */
function green(previous: number, id: number): boolean {
  const seed = fmix32((WATERMARK.hashing_key ^ fmix32(previous)) >>> 0);
  return fmix32((seed ^ fmix32(id)) >>> 0) < Math.floor(WATERMARK.greenlist_ratio * 2 ** 32);
}

/**
 * The main model's processed distribution, computed here independently: softmax(l / T) over the
 * top k, plus δ on the green survivors when watermarked (the watermark applies after the warpers).
 */
let watermarked = false;
function exactNext(ids: readonly number[]): number[] {
  const raw = new Float32Array(VOCAB);
  mainLogits(ids, ids.length - 1, raw);
  const scaled = [...raw].map((l) => l / T);
  const keep = scaled.map((_, i) => i).sort((a, b) => scaled[b]! - scaled[a]!).slice(0, TOP_K);
  const shaped = scaled.map((l, i) => l + (watermarked && green(ids[ids.length - 1]!, i) ? WATERMARK.bias : 0));
  const z = keep.reduce((s, i) => s + Math.exp(shaped[i]!), 0);
  return shaped.map((l, i) => (keep.includes(i) ? Math.exp(l) / z : 0));
}

/**
 * Exact joint distribution of generated tokens 2 and 3 — the first two produced by verification
 * (token 1 comes from the prefill) — marginalising over token 1: 4 × 4 cells.
 */
function exactPairs(prompt: readonly number[]): number[] {
  const cells = new Array<number>(16).fill(0);
  const p1 = exactNext(prompt);
  for (let a = 0; a < 4; a++) {
    if (p1[a] === 0) continue;
    const p2 = exactNext([...prompt, a]);
    for (let b = 0; b < 4; b++) {
      if (p2[b] === 0) continue;
      const p3 = exactNext([...prompt, a, b]);
      for (let c = 0; c < 4; c++) cells[b * 4 + c]! += p1[a]! * p2[b]! * p3[c]!;
    }
  }
  return cells;
}

/** The 0.999 quantiles of chi-square with 1 … 15 degrees of freedom: a test at significance 0.001. */
const CHI2_999 = [10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588, 31.264, 32.909, 34.528, 36.123, 37.697];

async function pairCounts(prompt: number[], json: Record<string, unknown>, withAssistant: boolean, rule: AcceptanceRule, runs: number) {
  const counts = new Array<number>(16).fill(0);
  let drafted = 0;
  let accepted = 0;
  for (let i = 0; i < runs; i++) {
    const model = new FakeLanguageModel(mainLogits, { vocabSize: VOCAB });
    const assistant = withAssistant ? { model: new FakeLanguageModel(letters(777), { vocabSize: VOCAB }), tokenizer, name: 'assistant' } : undefined;
    // Four new tokens leave room for a draft of 2 after the prefill's token.
    const config = configOf({ ...json, do_sample: true, temperature: T, top_k: TOP_K, max_new_tokens: 4, num_assistant_tokens: 2, assistant_confidence_threshold: 0, eos_token_id: [], seed: 1000 + i });
    const request = { prompts: [prompt], config, ...(assistant && { assistant }) };
    const run = new GenerationRun((signal, emit) => runAssistedGeneration(model, tokenizer, request, signal, emit, rule));
    const result = await run.result();
    const ids = result.sequences[0]!.tokenIds;
    counts[ids[1]! * 4 + ids[2]!]!++;
    drafted += result.assisted!.drafted;
    accepted += result.assisted!.accepted;
  }
  return { counts, acceptance: accepted / drafted };
}

function chiSquare(counts: readonly number[], expected: readonly number[], runs: number) {
  let statistic = 0;
  let cells = 0;
  expected.forEach((e, i) => {
    if (e === 0) {
      assert.equal(counts[i], 0, `cell ${i} has probability 0 under the main model but was drawn`);
      return;
    }
    cells++;
    statistic += (counts[i]! - runs * e) ** 2 / (runs * e);
  });
  return { statistic, critical: CHI2_999[cells - 2]! };
}

/** A plausible bug: on rejection, draw from p instead of the residual max(0, p − q). Biased toward q. */
const resampleFromP: AcceptanceRule = (p, token, q, rng) => {
  const qx = q === undefined ? 1 : q[token]!;
  if (rng.nextFloat() * qx < p[token]!) return { accepted: true, tokenId: token };
  return { accepted: false, tokenId: drawFrom(p, rng.nextFloat(), 1) };
};

const RUNS = 5000;

describe('assisted generation: sampling keeps the main model distribution', () => {
  const prompt = [0, 2, 1];
  const expected = exactPairs(prompt);

  it(`assistant drafts: tokens 2–3 over ${RUNS} seeded runs match the exact main-model distribution (chi-square, significance 0.001)`, async () => {
    const { counts, acceptance } = await pairCounts(prompt, { assistant_model: 'assistant' }, true, speculativeSamplingRule, RUNS);
    // The assistant differs enough for both accepts and rejections to matter.
    assert.ok(acceptance > 0.2 && acceptance < 0.9, `acceptance ${acceptance}`);
    const { statistic, critical } = chiSquare(counts, expected, RUNS);
    assert.ok(statistic < critical, `chi-square ${statistic.toFixed(2)} >= ${critical} for counts ${counts.join(', ')}`);
  });

  it('the same test rejects a wrong rule (resampling from p instead of max(0, p − q)): it has power', async () => {
    const { counts } = await pairCounts(prompt, { assistant_model: 'assistant' }, true, resampleFromP, RUNS);
    const { statistic, critical } = chiSquare(counts, expected, RUNS);
    assert.ok(statistic > critical, `the wrong rule passed: chi-square ${statistic.toFixed(2)} < ${critical}`);
  });

  it(`prompt lookup drafts (q one-hot): tokens 2–3 over ${RUNS} seeded runs match too`, async () => {
    // A prompt that repeats itself, so lookup proposes after most first tokens.
    const repeating = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 3, 2, 0];
    const { counts, acceptance } = await pairCounts(repeating, { prompt_lookup_num_tokens: 2, max_matching_ngram_size: 2 }, false, speculativeSamplingRule, RUNS);
    assert.ok(acceptance > 0.03 && acceptance < 0.95, `acceptance ${acceptance}`);
    const { statistic, critical } = chiSquare(counts, exactPairs(repeating), RUNS);
    assert.ok(statistic < critical, `chi-square ${statistic.toFixed(2)} >= ${critical} for counts ${counts.join(', ')}`);
  });

  it(`with the watermark on, assistant drafts are checked against the watermarked distribution (${RUNS} runs)`, async () => {
    watermarked = true;
    try {
      const expectedMarked = exactPairs(prompt);
      // The watermark moves the distribution: the unmarked expectation must not fit (power).
      const { counts } = await pairCounts(prompt, { assistant_model: 'assistant', watermarking_config: WATERMARK }, true, speculativeSamplingRule, RUNS);
      const marked = chiSquare(counts, expectedMarked, RUNS);
      assert.ok(marked.statistic < marked.critical, `chi-square ${marked.statistic.toFixed(2)} >= ${marked.critical} for counts ${counts.join(', ')}`);
      const plain = chiSquare(counts, expected, RUNS);
      assert.ok(plain.statistic > plain.critical, `the watermark changed nothing measurable: chi-square ${plain.statistic.toFixed(2)} against the unmarked distribution`);
    } finally {
      watermarked = false;
    }
  });
});
