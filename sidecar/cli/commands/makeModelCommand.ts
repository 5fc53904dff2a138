import { relative, resolve } from 'node:path';
import { InkwellError } from '../../engine';
import { makeDevModel } from '../../builder/makeDevModel';
import type { ModelDtype } from '../../builder/makeModel';
import type { CliOutput } from '../CliOutput';
import { choiceFlag, intFlag, parseFlags, requireFlag } from '../parseFlags';

export const makeModelUsage =
  'inkwell dev make-model --out DIR [--layers 2] [--hidden 64] [--heads 4] [--kv-heads 2] [--intermediate N] [--vocab 1024] [--max-positions 2048] [--seed 0] [--dtype fp32|fp16|q4 (repeatable)] [--model-type llama|qwen2|gpt2] [--external-data] [--tied] [--hidden-states] [--tokenizer DIR]';

/** Writes a complete model folder with seeded random weights (tokenizer trained on the spot or reused). */
export async function makeModelCommand(argv: readonly string[], io: CliOutput): Promise<number> {
  const { values } = parseFlags('dev make-model', argv, {
    out: { type: 'string' },
    layers: { type: 'string' },
    hidden: { type: 'string' },
    heads: { type: 'string' },
    'kv-heads': { type: 'string' },
    intermediate: { type: 'string' },
    vocab: { type: 'string' },
    'max-positions': { type: 'string' },
    seed: { type: 'string' },
    dtype: { type: 'string', multiple: true },
    'model-type': { type: 'string' },
    tied: { type: 'boolean' },
    'hidden-states': { type: 'boolean' },
    'external-data': { type: 'boolean' },
    tokenizer: { type: 'string' },
  });
  const out = resolve(requireFlag('dev make-model', 'out', values.out));
  const heads = intFlag('heads', values.heads, 4, 1, 256);
  const hidden = intFlag('hidden', values.hidden, 64, 8, 16384);
  if (hidden % heads !== 0) {
    throw new InkwellError('invalid-argument', `--hidden = ${hidden} must be a multiple of --heads = ${heads}`, { details: { field: 'hidden' } });
  }
  const dtypes = (values.dtype ?? ['fp32', 'q4']).map((d) => choiceFlag<ModelDtype>('dtype', d, 'fp32', ['fp32', 'fp16', 'q4']));
  const modelType = choiceFlag('model-type', values['model-type'], 'llama', ['llama', 'qwen2', 'gpt2'] as const);
  // GPT-2 has plain multi-head attention, a 4× MLP and a tied head.
  const gpt2 = modelType === 'gpt2';
  const started = performance.now();
  const made = makeDevModel({
    dir: out,
    layers: intFlag('layers', values.layers, 2, 1, 256),
    hidden,
    heads,
    kvHeads: intFlag('kv-heads', values['kv-heads'], gpt2 ? heads : Math.min(2, heads), 1, heads),
    intermediate: intFlag('intermediate', values.intermediate, hidden * (gpt2 ? 4 : 2), 1, 1 << 20),
    vocab: intFlag('vocab', values.vocab, 1024, 300, 1 << 20),
    maxPositions: intFlag('max-positions', values['max-positions'], 2048, 16, 1 << 20),
    seed: intFlag('seed', values.seed, 0, 0, 0xffffffff),
    dtypes,
    modelType,
    ...(values.tied || gpt2 ? { tied: true } : {}),
    hiddenStates: values['hidden-states'] ?? false,
    externalData: values['external-data'] ?? false,
    ...(values.tokenizer ? { tokenizerFrom: resolve(values.tokenizer) } : {}),
  });
  const s = made.spec;
  io.err(
    `wrote ${relative(process.cwd(), out) || '.'} in ${Math.round(performance.now() - started)} ms: ${s.modelType}, ${s.layers} layers × ${s.hidden}, ${s.heads} heads (${s.kvHeads} kv), vocab ${s.vocab}; files: ${made.files.join(', ')}\n`,
  );
  return 0;
}
