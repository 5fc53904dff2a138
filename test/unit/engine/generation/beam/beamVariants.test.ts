import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../../sidecar/engine/generation/generate';
import type { BeamSearchResult } from '../../../../../sidecar/engine/generation/beam/runBeamSearch';
import { InkwellError } from '../../../../../sidecar/engine/InkwellError';
import { CharTokenizer } from '../../support/CharTokenizer';
import { configOf } from '../../support/configOf';
import { FakeLanguageModel, fixedLogits, hashLogits, type LogitsFn } from '../../support/FakeLanguageModel';
import { referenceGroupBeamSearch } from './groupBeamReference';
import { chiSquare, subsetProbabilities } from './samplingStatistics';

// Tokens a, b, c, d and EOS (id 4).
const tokenizer = new CharTokenizer('abcd');
const EOS = 4;
const VOCAB = 5;

async function run(logits: LogitsFn, json: Record<string, unknown>, prompts: number[][] = [[0]]): Promise<BeamSearchResult> {
  const model = new FakeLanguageModel(logits, { vocabSize: VOCAB });
  const result = await generate(model, tokenizer, { prompts, config: configOf({ eos_token_id: [EOS], ...json }) }).result();
  assert.equal(model.liveCaches, 0);
  return result as BeamSearchResult;
}

const near = (a: number, b: number, what = '') => assert.ok(Math.abs(a - b) < 1e-5, `${what} ${a} vs ${b}`);
const ln = Math.log;

describe('diverse (group) beam search', () => {
  // One beam per group, one step: group 0 takes the best token, a (p .5); group 1 sees a's
  // log-prob lowered by diversity_penalty (HF's Hamming diversity) and keeps a only while
  // ln .5 - d > ln .3, i.e. d < ln(5/3) = 0.511.
  const probs = fixedLogits([ln(0.5), ln(0.3), ln(0.1), ln(0.05), ln(0.05)]);
  const oneStep = (d: number) => run(probs, { num_beams: 2, num_beam_groups: 2, diversity_penalty: d, num_return_sequences: 2, max_new_tokens: 1 });

  it('lowers a repeated token by exactly diversity_penalty per earlier beam that chose it', async () => {
    const r = await oneStep(0.2);
    assert.deepEqual(r.sequences.map((s) => s.text), ['a', 'a']);
    near(r.beam.sequenceScores[0]!, ln(0.5));
    near(r.beam.sequenceScores[1]!, ln(0.5) - 0.2, 'group 1 pays the penalty in its score');
  });

  it('moves the later group to another token once the penalty outweighs the gap', async () => {
    const r = await oneStep(1);
    assert.deepEqual(r.sequences.map((s) => s.text), ['a', 'b']);
    near(r.beam.sequenceScores[1]!, ln(0.3));
  });

  it('counts every beam of the earlier groups: three groups, the third pays twice', async () => {
    const r = await run(probs, { num_beams: 3, num_beam_groups: 3, diversity_penalty: 0.1, num_return_sequences: 3, max_new_tokens: 1 });
    assert.deepEqual(r.sequences.map((s) => s.text), ['a', 'a', 'a']);
    near(r.beam.sequenceScores[2]!, ln(0.5) - 0.2);
  });

  it('returns distinct sequences where plain beam search returns near-copies', async () => {
    // EOS never wins here: a group that finished at once would show nothing about diversity.
    const noEos: LogitsFn = (attended, position, out) => {
      hashLogits(attended, position, out);
      out[EOS] = Number.NEGATIVE_INFINITY;
    };
    const json = { num_beams: 4, num_return_sequences: 4, max_new_tokens: 4, length_penalty: 1 };
    const plain = await run(noEos, json);
    const diverse = await run(noEos, { ...json, num_beam_groups: 4, diversity_penalty: 10 });
    const firstTokens = (r: BeamSearchResult) => new Set(r.sequences.map((s) => s.tokenIds[0]));
    // hashLogits spans 8 nats: a penalty of 10 makes each group start with a token no earlier group chose.
    assert.equal(firstTokens(diverse).size, 4);
    assert.ok(firstTokens(plain).size < 4, 'the plain search shares first tokens (else this case shows nothing)');
  });

  // Against the straightforward reference, on pseudo-random logits with EOS in play.
  const cases = [
    { numBeams: 4, groups: 2, diversityPenalty: 0.5, lengthPenalty: 1, earlyStopping: false as const, numReturn: 4 },
    { numBeams: 6, groups: 3, diversityPenalty: 2, lengthPenalty: 0.5, earlyStopping: true as const, numReturn: 3 },
    { numBeams: 4, groups: 4, diversityPenalty: 1, lengthPenalty: 2, earlyStopping: 'never' as const, numReturn: 2 },
    { numBeams: 4, groups: 1, diversityPenalty: 0, lengthPenalty: 1, earlyStopping: false as const, numReturn: 4 },
  ];
  for (const c of cases) {
    for (const prompt of [[0], [2, 3, 1], [1, 1]]) {
      it(`equals the reference: ${c.numBeams} beams in ${c.groups} groups, penalty ${c.diversityPenalty}, early_stopping ${String(c.earlyStopping)}, prompt ${prompt.join(',')}`, async () => {
        const maxNewTokens = 5;
        // A logits function where EOS is likelier at later steps, so hypotheses finish at several lengths.
        const logits: LogitsFn = (attended, position, out) => {
          hashLogits(attended, position, out);
          out[EOS] = out[EOS]! + (attended.length - prompt.length) * 0.8 - 1;
        };
        const expected = referenceGroupBeamSearch(logits, prompt, { vocab: VOCAB, eos: EOS, pad: EOS, maxNewTokens, ...c });
        const r = await run(
          logits,
          {
            num_beams: c.numBeams,
            ...(c.groups > 1 && { num_beam_groups: c.groups, diversity_penalty: c.diversityPenalty }),
            length_penalty: c.lengthPenalty,
            early_stopping: c.earlyStopping,
            num_return_sequences: c.numReturn,
            max_new_tokens: maxNewTokens,
          },
          [prompt],
        );
        assert.deepEqual(r.sequences.map((s) => s.tokenIds), expected.map((h) => h.tokens));
        r.beam.sequenceScores.forEach((score, i) => near(score, expected[i]!.score, `sequence ${i}`));
      });
    }
  }

  it('refuses sampling and a zero penalty, naming the field', () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: VOCAB });
    const refused = (json: Record<string, unknown>, field: string) =>
      assert.throws(
        () => generate(model, tokenizer, { prompts: [[0]], config: configOf(json) }),
        (e: unknown) => e instanceof InkwellError && e.details['field'] === field,
      );
    refused({ num_beams: 4, num_beam_groups: 2, diversity_penalty: 1, do_sample: true }, 'do_sample');
    refused({ num_beams: 4, num_beam_groups: 2 }, 'diversity_penalty');
  });
});

describe('beam search: stop strings and several prompts', () => {
  it('a completed stop string finishes a hypothesis like EOS; the text ends before it', async () => {
    // Fixed p: b .5, c .3. Step 1: beams b, c. Step 2: bc completes "bc" at rank 1 (tied with
    // cb, lower flat index) -> hypothesis (ln .5 + ln .3) / 2 = -0.948; beams bb, cb. Step 3: bbc
    // completes it at rank 1 -> (2 ln .5 + ln .3) / 3 = -0.863, the second hypothesis: done.
    const r = await run(fixedLogits([ln(0.1), ln(0.5), ln(0.3), ln(0.05), ln(0.05)]), {
      num_beams: 2,
      num_return_sequences: 2,
      max_new_tokens: 4,
      stop_strings: ['bc'],
      length_penalty: 1,
      early_stopping: true,
    });
    assert.deepEqual(r.sequences.map((s) => s.finishReason), ['stop-string', 'stop-string']);
    assert.deepEqual(r.sequences.map((s) => s.tokenIds), [[1, 1, 2], [1, 2]]);
    assert.deepEqual(r.sequences.map((s) => s.text), ['b', '']);
    near(r.beam.sequenceScores[0]!, (2 * ln(0.5) + ln(0.3)) / 3, 'the stop token counts in the length');
    near(r.beam.sequenceScores[1]!, (ln(0.5) + ln(0.3)) / 2);
  });

  it('several prompts give each prompt its own search, numbered prompt-major', async () => {
    const json = { num_beams: 3, num_return_sequences: 2, max_new_tokens: 4, length_penalty: 1 };
    const both = await run(hashLogits, json, [[0], [2, 1]]);
    const first = await run(hashLogits, json, [[0]]);
    const second = await run(hashLogits, json, [[2, 1]]);
    assert.deepEqual(both.sequences.map((s) => [s.sequence, s.prompt]), [[0, 0], [1, 0], [2, 1], [3, 1]]);
    assert.deepEqual(both.sequences.map((s) => s.tokenIds), [...first.sequences, ...second.sequences].map((s) => s.tokenIds));
    assert.deepEqual(both.beam.sequenceScores, [...first.beam.sequenceScores, ...second.beam.sequenceScores]);
  });
});

describe('beam sampling', () => {
  // Eight text tokens and an EOS that never wins (-inf), one step, two beams: HF draws
  // 2·num_beams = 4 of beam 0's tokens (beam 1 starts at -1e9: weight 0) without replacement,
  // with weights p^(1/T) (temperature divides the log-probs), sorts them by score, and the best
  // two become the returned sequences. So the best sequence is the likeliest of 4 drawn tokens.
  const letters = new CharTokenizer('abcdefgh');
  const logits = [1.2, 0.9, 0.5, 0.4, 0.1, -0.3, -0.8, -1.1, Number.NEGATIVE_INFINITY];
  const temperature = 0.7;

  it('returns the best of 2·num_beams tokens drawn without replacement from the tempered distribution', async () => {
    const lse = Math.log(logits.slice(0, 8).reduce((s, v) => s + Math.exp(v), 0));
    const scores = logits.slice(0, 8).map((v) => (v - lse) / temperature);
    const expected = new Map<string, number>();
    for (const [subset, p] of subsetProbabilities(scores, 4)) {
      // Logits are in decreasing order, so the likeliest drawn token is the lowest id.
      const best = String(Math.min(...subset.split(',').map(Number)));
      expected.set(best, (expected.get(best) ?? 0) + p);
    }
    const n = 3000;
    const counts = new Map<string, number>();
    for (let seed = 1; seed <= n; seed++) {
      const model = new FakeLanguageModel(fixedLogits(logits), { vocabSize: 9 });
      const config = configOf({ do_sample: true, temperature, top_k: 0, num_beams: 2, num_return_sequences: 2, max_new_tokens: 1, seed, eos_token_id: [8] });
      const r = (await generate(model, letters, { prompts: [[0]], config }).result()) as BeamSearchResult;
      const best = String(r.sequences[0]!.tokenIds[0]);
      counts.set(best, (counts.get(best) ?? 0) + 1);
      assert.ok(r.sequences[1]!.tokenIds[0]! > r.sequences[0]!.tokenIds[0]!, 'the second sequence is the second-best draw');
      near(r.beam.sequenceScores[0]!, scores[r.sequences[0]!.tokenIds[0]!]!, 'score = tempered log-prob');
    }
    // Which token can be the best of four: ids 0..4 (expected counts >= 5 only there; merge the tail).
    const merge = (m: Map<string, number>) => new Map([...m].map(([k, v]) => [Number(k) >= 3 ? '3+' : k, v] as const).reduce((acc, [k, v]) => acc.set(k, (acc.get(k) ?? 0) + v), new Map<string, number>()));
    const x2 = chiSquare(merge(counts), merge(expected), n);
    // 4 categories, df = 3: the 0.1% critical value is 16.27 (fixed seeds: deterministic).
    assert.ok(x2 < 16.27, `chi-square ${x2.toFixed(2)}: ${JSON.stringify([...merge(counts)])} vs ${JSON.stringify([...merge(expected)].map(([k, p]) => [k, p * n]))}`);
  });

  it('keeps #EOS + 1 tokens through every warper (HF min_tokens_to_keep), so top_k = 1 still fills two beams', async () => {
    const model = new FakeLanguageModel(fixedLogits(logits), { vocabSize: 9 });
    const config = configOf({ do_sample: true, top_k: 1, num_beams: 2, num_return_sequences: 2, max_new_tokens: 1, seed: 5, eos_token_id: [8] });
    const r = (await generate(model, letters, { prompts: [[0]], config }).result()) as BeamSearchResult;
    assert.deepEqual(r.sequences.map((s) => s.tokenIds), [[0], [1]]);
  });
});
