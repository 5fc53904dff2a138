import assert from 'node:assert/strict';
import { it } from 'node:test';
import { topK } from '../../../../sidecar/engine/processors/topK';
import { topP } from '../../../../sidecar/engine/processors/topP';
import { ScoreRow } from '../../../../sidecar/engine/processors/ScoreRow';
import { NEG, runProcessor } from '../support/runProcessor';

const logs = (probs: number[]) => probs.map(Math.log);

/** Independent reference: full sort, keep while the mass strictly above a token is < p. */
function reference(values: readonly number[], p: number): boolean[] {
  const f = values.map(Math.fround);
  const max = Math.max(...f);
  const total = f.reduce((s, v) => s + Math.exp(v - max), 0);
  const order = f.map((_, i) => i).sort((a, b) => f[b]! - f[a]!);
  const keep = f.map(() => false);
  let above = 0;
  for (const i of order) {
    if (above / total >= p) break;
    keep[i] = true;
    above += Math.exp(f[i]! - max);
  }
  return keep;
}

it('topP: keeps tokens until their mass reaches p, including the one that crosses it', () => {
  const scores = logs([0.5, 0.3, 0.15, 0.05]);
  const keptAt = (p: number) => runProcessor(topP(p, 4), scores).map((v) => v !== NEG);
  assert.deepEqual(keptAt(0.4), [true, false, false, false]);
  assert.deepEqual(keptAt(0.7), [true, true, false, false]);
  assert.deepEqual(keptAt(0.85), [true, true, true, false]);
  assert.deepEqual(keptAt(0.99), [true, true, true, true]);
});

it('topP: surviving scores are unchanged (no renormalisation)', () => {
  const scores = [2, 1, 0, -1];
  const out = runProcessor(topP(0.5, 4), scores);
  assert.equal(out[0], 2);
});

it('topP: on a dense 50k row equals the full-sort reference (histogram path)', () => {
  const width = 50_000;
  // Zipf-like logits with noise, like a language model's.
  const values = Array.from({ length: width }, (_, i) => -1.1 * Math.log(i + 1) + ((Math.sin(i * 78.233) * 43758.5453) % 1));
  for (const p of [0.5, 0.9, 0.95]) {
    const kept = runProcessor(topP(p, width), values).map((v) => v !== NEG);
    assert.deepEqual(kept, reference(values, p), `p = ${p}`);
  }
});

it('topP: after topK it works on the survivors only', () => {
  const values = logs([0.4, 0.25, 0.2, 0.1, 0.05]);
  const row = ScoreRow.of(values);
  const context = { ids: [], promptLength: 0, maxLength: 9 };
  topK(3).apply(row, context);
  // Over the survivors 0.4, 0.25, 0.2 (mass 0.85): 0.4/0.85 = 0.47 < 0.6, 0.65/0.85 = 0.76 >= 0.6.
  topP(0.6, 5).apply(row, context);
  assert.deepEqual([...row.scores].map((v) => v !== NEG), [true, true, false, false, false]);
  assert.equal(row.count, 2);
});

it('topP: dense rows of other shapes (peaked, flat with ties, long masked tail) equal the full-sort reference', () => {
  const width = 20_000;
  const noise = (i: number) => (Math.sin(i * 12.9898) * 43758.5453) % 1;
  const shapes: Record<string, number[]> = {
    peaked: Array.from({ length: width }, (_, i) => (i === 7 ? 30 : i % 97 === 0 ? 25 : noise(i))),
    flatWithTies: Array.from({ length: width }, (_, i) => Math.round(noise(i) * 4) / 4),
    wideRange: Array.from({ length: width }, (_, i) => -80 * Math.abs(noise(i))),
    maskedTail: Array.from({ length: width }, (_, i) => (i > 15_000 ? Number.NEGATIVE_INFINITY : -0.9 * Math.log(i + 1) + noise(i))),
  };
  for (const [name, values] of Object.entries(shapes)) {
    for (const p of [0.05, 0.3, 0.8, 0.99]) {
      const kept = runProcessor(topP(p, width), values).map((v) => v !== NEG);
      const expected = reference(values, p).map((k, i) => k && values[i] !== Number.NEGATIVE_INFINITY);
      // Both sorts are stable, so exact ties at the cut resolve the same way (lower id first).
      assert.deepEqual(kept, expected, `${name} p = ${p}`);
    }
  }
});

it('topP: scores hundreds of millions of nats below the max (a -1e9 style bias) are never kept on a dense row', () => {
  // (max − v) · buckets-per-nat overflows int32 here; it must clamp to the last bucket, not wrap.
  const values = Array.from({ length: 4000 }, (_, i) => (i === 3 ? 0 : i % 2 === 0 ? -7.5e8 : -1.2));
  for (const p of [0.3, 0.9]) {
    const kept = runProcessor(topP(p, values.length), values).map((v) => v !== NEG);
    assert.deepEqual(kept, reference(values, p), `p = ${p}`);
    assert.ok(kept.every((k, i) => !k || values[i]! > -1e6));
  }
});
