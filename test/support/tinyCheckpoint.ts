import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDecoderSpec, type DecoderSpec } from '../../sidecar/builder/DecoderSpec';
import { trainByteLevelBpe, writeTokenizerFiles } from '../../sidecar/builder/tokenizer/index';
import { RandomWeightSource } from '../../sidecar/builder/weights/RandomWeightSource';
import { writeSafetensors } from '../../sidecar/builder/weights/SafetensorsWeightSource';
import { decoderParameters } from '../../sidecar/builder/weights/WeightSource';

/** Small code texts for a toy tokenizer (a few merges are enough). */
export const TINY_TEXTS = [
  'function add(a, b) {\n  return a + b;\n}\n',
  'const values = [1, 2, 3].map((v) => v * 2);\nconsole.log(values);\n',
  'export interface Point {\n  x: number;\n  y: number;\n}\n',
  'for (let i = 0; i < 10; i++) {\n  total += i;\n}\n',
];

export interface TinyCheckpoint {
  readonly checkpoint: string;
  readonly tokenizerDir: string;
  readonly spec: DecoderSpec;
  /** The checkpoint's tensors under HF names, torch layouts. */
  readonly tensors: Map<string, { shape: readonly number[]; data: Float32Array }>;
  readonly eos: number;
}

/**
 * What train.py writes, produced in TypeScript: config.json with LlamaConfig fields written out by
 * hand (not through the builder's own hfConfigJson) and model.safetensors with random weights
 * under transformers' names — or, with `shards`, model-0000i-of-0000n files plus the index.
 */
export function writeTinyCheckpoint(root: string, options: { shards?: number; tied?: boolean; seed?: number } = {}): TinyCheckpoint {
  const tokenizerDir = join(root, 'tokenizer');
  const trained = trainByteLevelBpe({ texts: TINY_TEXTS, vocabSize: 290 });
  writeTokenizerFiles(tokenizerDir, trained);
  const eos = trained.specialTokenIds['<|endoftext|>']!;
  const tied = options.tied ?? true;
  const spec = resolveDecoderSpec({ layers: 2, hidden: 32, heads: 4, kvHeads: 2, intermediate: 64, vocab: 320, maxPositions: 128, tied, rmsNormEps: 1e-6 });
  const checkpoint = join(root, 'checkpoint');
  mkdirSync(checkpoint, { recursive: true });
  const config = {
    architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: 320, hidden_size: 32, num_hidden_layers: 2,
    num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 64, max_position_embeddings: 128, rope_theta: 10000,
    rms_norm_eps: 1e-6, tie_word_embeddings: tied, head_dim: 8, hidden_act: 'silu', eos_token_id: eos, pad_token_id: eos,
  };
  writeFileSync(join(checkpoint, 'config.json'), JSON.stringify(config));
  const random = new RandomWeightSource(spec, options.seed ?? 5);
  const tensors = new Map(decoderParameters(spec).map((p) => [p.name, { shape: p.shape, data: random.get(p.name, p.shape) }]));
  const shards = options.shards ?? 0;
  if (shards <= 1) {
    writeSafetensors(join(checkpoint, 'model.safetensors'), tensors);
  } else {
    const names = [...tensors.keys()];
    const weightMap: Record<string, string> = {};
    for (let s = 0; s < shards; s++) {
      const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
      const mine = names.filter((_, i) => i % shards === s);
      writeSafetensors(join(checkpoint, file), new Map(mine.map((n) => [n, tensors.get(n)!])));
      for (const n of mine) weightMap[n] = file;
    }
    writeFileSync(join(checkpoint, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  }
  return { checkpoint, tokenizerDir, spec, tensors, eos };
}
