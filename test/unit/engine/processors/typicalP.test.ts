import assert from 'node:assert/strict';
import { it } from 'node:test';
import { typicalP } from '../../../../sidecar/engine/processors/typicalP';
import { NEG, runProcessor } from '../support/runProcessor';

it('typicalP: keeps tokens whose surprise is closest to the entropy until the mass is reached', () => {
  const probs = [0.4, 0.3, 0.2, 0.1];
  // By hand: H = 1.2799 nats; |−ln p − H| = 0.364, 0.076, 0.329, 1.023, so the typical order
  // is token 1 (0.3), token 2 (0.2), token 0 (0.4), token 3 (0.1); cumulative 0.3, 0.5, 0.9, 1.
  const keptAt = (mass: number) => runProcessor(typicalP(mass, 4), probs.map(Math.log)).map((v) => v !== NEG);
  assert.deepEqual(keptAt(0.25), [false, true, false, false]);
  assert.deepEqual(keptAt(0.45), [false, true, true, false]);
  assert.deepEqual(keptAt(0.6), [true, true, true, false]);
  assert.deepEqual(keptAt(0.95), [true, true, true, true]);
});

it('typicalP: on a dense 20k row (histogram path) equals a full-sort reference', () => {
  const width = 20_000;
  const values = Array.from({ length: width }, (_, i) => -1.3 * Math.log(i + 1) + ((Math.sin(i * 78.233) * 43758.5453) % 1));
  const f = values.map(Math.fround);
  const max = Math.max(...f);
  const z = f.reduce((s, v) => s + Math.exp(v - max), 0);
  const p = f.map((v) => Math.exp(v - max) / z);
  const h = -p.reduce((s, q) => s + (q > 0 ? q * Math.log(q) : 0), 0);
  const dist = p.map((q) => Math.abs(-Math.log(q) - h));
  const ranked = dist.map((_, i) => i).sort((a, b) => dist[a]! - dist[b]!);
  for (const mass of [0.2, 0.9]) {
    let cum = 0;
    let last = 0;
    while (last < width && (cum += p[ranked[last]!]!) < mass) last++;
    const cutoff = dist[ranked[Math.min(last, width - 1)]!]!;
    const expected = dist.map((d) => d <= cutoff);
    const kept = runProcessor(typicalP(mass, width), values).map((v) => v !== NEG);
    const differences = kept.filter((k, i) => k !== expected[i]).length;
    // Float differences may move a token sitting exactly on the cut-off; nothing else.
    assert.ok(differences <= 1, `mass ${mass}: ${differences} tokens differ`);
    assert.ok(kept.filter(Boolean).length > 1);
  }
});
