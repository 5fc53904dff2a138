import type { DecoderSpec } from '../DecoderSpec';
import { InkwellError } from '../../engine';
import { decoderParameters, type ParameterInfo, type WeightSource } from './WeightSource';

/** FNV-1a over the name, mixed with the seed: each tensor has its own stream, independent of order. */
function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for initial weights (and any seeded test data). */
export function uniformStream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fillNormal(out: Float32Array, next: () => number, mean: number, std: number): void {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - next(); // (0, 1]: log is finite
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    const theta = 2 * Math.PI * next();
    out[i] = mean + r * Math.cos(theta);
    if (i + 1 < out.length) out[i + 1] = mean + r * Math.sin(theta);
  }
}

/**
 * Deterministic random weights for test models. Scales are chosen so a random model behaves like a
 * trained one at the output: each layer's update is O(1) next to the residual (Linear std 1/sqrt(in)),
 * norms are near 1 but not exactly (a graph that drops a norm weight must fail a test), and the
 * embedding/lm_head std `logitStd / sqrt(hidden)` gives logits with std ≈ logitStd (default 3), so
 * next-token distributions are spread: neither uniform nor one-hot.
 */
export class RandomWeightSource implements WeightSource {
  private readonly params: Map<string, ParameterInfo>;

  constructor(
    private readonly spec: DecoderSpec,
    private readonly seed: number,
    private readonly logitStd = 3,
  ) {
    this.params = new Map(decoderParameters(spec).map((p) => [p.name, p]));
  }

  get(name: string, shape: readonly number[]): Float32Array {
    const info = this.params.get(name);
    if (!info) throw new InkwellError('invalid-argument', `Unknown parameter ${name} for this decoder.`, { details: { name } });
    if (info.shape.join() !== shape.join()) {
      throw new InkwellError('invalid-argument', `Parameter ${name} has shape [${info.shape}], asked for [${shape}].`, { details: { name } });
    }
    const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const next = uniformStream(streamSeed(this.seed, name));
    switch (info.kind) {
      case 'embedding':
        fillNormal(out, next, 0, this.logitStd / Math.sqrt(this.spec.hidden));
        break;
      case 'linear':
        fillNormal(out, next, 0, 1 / Math.sqrt(shape[1]));
        break;
      case 'conv1d': // [in, out]
        fillNormal(out, next, 0, 1 / Math.sqrt(shape[0]));
        break;
      case 'bias':
        fillNormal(out, next, 0, 0.1);
        break;
      case 'norm':
        fillNormal(out, next, 1, 0.1);
        break;
    }
    return out;
  }
}
