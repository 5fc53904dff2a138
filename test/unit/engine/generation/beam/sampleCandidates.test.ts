import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleCandidates } from '../../../../../sidecar/engine/generation/beam/sampleCandidates';
import { Xoshiro128 } from '../../../../../sidecar/engine/sampling/Xoshiro128';
import { chiSquare, subsetProbabilities } from './samplingStatistics';


describe('sampleCandidates (beam sampling)', () => {
  it('draws k entries without replacement with probability ∝ exp(beam score + log-prob), over beams × vocabulary', () => {
    // Two beams of three tokens: flat entries (beam, token) with scores beamScore + row[token].
    const rows = [Float32Array.from([-0.2, -1.0, -2.5]), Float32Array.from([-0.7, -1.6, -0.9])];
    const beamScores = [0, -0.4];
    const flat = [0, 1].flatMap((b) => [0, 1, 2].map((v) => beamScores[b]! + rows[b]![v]!));
    const k = 3;
    const expected = subsetProbabilities(flat, k);
    const rng = new Xoshiro128(7);
    const n = 20_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const drawn = sampleCandidates(rows, [0, 1], beamScores, k, rng);
      for (let j = 1; j < drawn.length; j++) assert.ok(drawn[j - 1]!.score >= drawn[j]!.score, 'sorted best first');
      const key = drawn.map((c) => c.beam * 3 + c.tokenId).sort((a, b) => a - b).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.equal([...counts.keys()].filter((key) => !expected.has(key)).length, 0);
    // 20 subsets, df = 19: the 0.1% critical value is 43.8 (the seed is fixed, so this is deterministic).
    const x2 = chiSquare(counts, expected, n);
    assert.ok(x2 < 43.8, `chi-square ${x2.toFixed(1)} over ${expected.size} subsets`);
  });

  it('returns each drawn entry with its exact score, and shares a row between beams through rowOf', () => {
    const row = Float32Array.from([-0.1, -3]);
    const drawn = sampleCandidates([row], [0, 0], [0, -1], 4, new Xoshiro128(1));
    assert.deepEqual(
      drawn.map((c) => [c.beam, c.tokenId, c.score]).sort(),
      [
        [0, 0, row[0]!],
        [0, 1, row[1]!],
        [1, 0, row[0]! - 1],
        [1, 1, row[1]! - 1],
      ].sort(),
    );
  });

  it('fills with the best remaining entries by score when fewer than k have a probability (torch would raise)', () => {
    const rows = [Float32Array.from([-0.5, Number.NEGATIVE_INFINITY, -1, Number.NEGATIVE_INFINITY])];
    const drawn = sampleCandidates(rows, [0, 0], [0, -1e9], 4, new Xoshiro128(3));
    // Beam 1's entries have exp(-1e9) = 0: only beam 0's two finite tokens can be drawn; the
    // rest come from beam 1 by score.
    assert.deepEqual(drawn.map((c) => [c.beam, c.tokenId]), [[0, 0], [0, 2], [1, 0], [1, 2]]);
  });
});
