import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InkwellError } from '../engine';
import type { DecoderSpecInput } from './DecoderSpec';
import { makeModel, type MadeModel, type ModelDtype } from './makeModel';
import { defaultTokenizerCorpus, trainByteLevelBpe } from './tokenizer/index';

export interface MakeDevModelOptions extends DecoderSpecInput {
  readonly dir: string;
  readonly dtypes?: readonly ModelDtype[];
  readonly seed?: number;
  readonly hiddenStates?: boolean;
  /** Initializers in `onnx/<file>.onnx_data` side files (see MakeModelOptions.externalData). */
  readonly externalData?: boolean;
  /**
   * A folder (or tokenizer.json path) holding an existing tokenizer to reuse, e.g. Qwen's 151k
   * vocabulary. Default: train a byte-level BPE on the default code corpus.
   */
  readonly tokenizerFrom?: string;
}

/** Most ids the default corpus yields at minFrequency 2 is ~10k; wider logits are padding rows, as in Qwen2.5. */
const MAX_TRAINED_VOCAB = 10_000;

/**
 * A complete, loadable model folder with random weights: the tokenizer is trained on the spot
 * (or copied), then the graph is written by makeModel. Used by `inkwell dev make-model` and tests.
 */
export function makeDevModel(options: MakeDevModelOptions): MadeModel {
  const tokenizer = options.tokenizerFrom ? readTokenizer(options.tokenizerFrom) : trainTokenizer(Math.min(options.vocab, MAX_TRAINED_VOCAB));
  if (tokenizer.size > options.vocab) {
    throw new InkwellError('invalid-argument', `vocab = ${options.vocab} is smaller than the tokenizer's ${tokenizer.size} tokens: must be >= ${tokenizer.size}`, {
      details: { field: 'vocab', value: options.vocab },
    });
  }
  return makeModel({
    ...options,
    tokenizer: { tokenizerJson: tokenizer.json, tokenizerConfigJson: tokenizer.config },
    // GPT-2 uses <|endoftext|> as BOS too.
    specialTokens: { ...(options.modelType === 'gpt2' ? { bos: tokenizer.eos } : {}), eos: tokenizer.eos, pad: tokenizer.eos },
  });
}

interface DevTokenizer {
  json: Record<string, unknown>;
  config: Record<string, unknown>;
  eos: number;
  size: number;
}

function trainTokenizer(vocabSize: number): DevTokenizer {
  const trained = trainByteLevelBpe({ texts: defaultTokenizerCorpus(), vocabSize });
  return {
    json: trained.tokenizerJson as unknown as Record<string, unknown>,
    config: trained.tokenizerConfigJson as unknown as Record<string, unknown>,
    eos: trained.specialTokenIds['<|endoftext|>']!,
    size: vocabSize,
  };
}

function readTokenizer(from: string): DevTokenizer {
  const file = from.endsWith('.json') ? from : join(from, 'tokenizer.json');
  if (!existsSync(file)) {
    throw new InkwellError('model-not-found', `--tokenizer: ${file} does not exist`, { details: { field: 'tokenizer', file } });
  }
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const configFile = join(dirname(file), 'tokenizer_config.json');
  const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>) : {};
  const added = (Array.isArray(json.added_tokens) ? json.added_tokens : []) as { id: number; content: string }[];
  const vocab = ((json.model as { vocab?: Record<string, number> }).vocab ?? {}) as Record<string, number>;
  let size = 0;
  for (const id of [...Object.values(vocab), ...added.map((t) => t.id)]) if (id + 1 > size) size = id + 1;
  const eosName = typeof config.eos_token === 'string' ? config.eos_token : '<|endoftext|>';
  const eos = added.find((t) => t.content === eosName)?.id ?? vocab[eosName];
  if (eos === undefined) {
    throw new InkwellError('tokenizer-invalid', `${file}: no id for the EOS token ${eosName}`, { details: { file, field: 'eos_token' } });
  }
  return { json, config, eos, size };
}
