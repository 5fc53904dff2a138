import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { decoderSpecFromHfConfig, type DecoderSpec } from '../../../sidecar/builder/DecoderSpec';
import { makeModel, type ModelDtype } from '../../../sidecar/builder/makeModel';
import type { WeightSource } from '../../../sidecar/builder/weights/WeightSource';
import { checkpointWeights } from './checkpointWeights';
import type { FimOrder } from '../../../sidecar/completion/fimFormat';
import { INKWELL_JSON_FILE, parseInkwellJson } from '../../../sidecar/runtime/model/inkwellJson';
import { completionGenerationConfig } from './completionGenerationConfig';

export interface ExportOptions {
  /** train.py's checkpoint folder: config.json + model.safetensors (or shards + index). */
  readonly checkpoint: string;
  /** tokenizer.json + tokenizer_config.json of the pipeline's tokenizer. */
  readonly tokenizerDir: string;
  readonly out: string;
  /** Default fp32 and q4: fp32 is the reference, q4 what ships. */
  readonly dtypes?: readonly ModelDtype[];
  /** Replaces the checkpoint's weights (tests). */
  readonly weights?: WeightSource;
  /**
   * The FIM order the model completes best in, written to inkwell.json so the server uses it
   * (undefined: no inkwell.json, and the server's PSM default applies).
   */
  readonly fimOrder?: FimOrder;
}

export interface ExportedModel {
  readonly dir: string;
  readonly spec: DecoderSpec;
  readonly files: readonly string[];
}

function readJson(file: string, what: string): Record<string, unknown> {
  if (!existsSync(file)) throw new InkwellError('model-not-found', `${what}: ${file} does not exist`, { details: { file } });
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new InkwellError('model-invalid', `${what}: ${file} is not valid JSON`, { cause, details: { file } });
  }
}

/** The id of an added token of tokenizer.json, or undefined. */
function addedTokenId(tokenizerJson: Record<string, unknown>, content: string): number | undefined {
  const added = (Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens : []) as { id: number; content: string }[];
  return added.find((t) => t.content === content)?.id;
}

/**
 * A trained checkpoint through our own builder into a standard model folder: config.json (from
 * the checkpoint's LlamaConfig), generation_config.json with completion defaults, the tokenizer
 * files, onnx/model.onnx and onnx/model_q4.onnx. No hidden-state output (nothing reads it).
 */
export function exportModel(options: ExportOptions): ExportedModel {
  const config = readJson(join(options.checkpoint, 'config.json'), 'checkpoint config');
  const spec = decoderSpecFromHfConfig(config, join(options.checkpoint, 'config.json'));
  if (spec.modelType !== 'llama') {
    throw new InkwellError('model-invalid', `checkpoint model_type must be "llama" (train.py writes LlamaForCausalLM), got "${spec.modelType}"`, { details: { field: 'model_type' } });
  }
  const tokenizerJson = readJson(join(options.tokenizerDir, 'tokenizer.json'), 'tokenizer');
  const tokenizerConfigJson = readJson(join(options.tokenizerDir, 'tokenizer_config.json'), 'tokenizer config');
  const eosName = typeof tokenizerConfigJson.eos_token === 'string' ? tokenizerConfigJson.eos_token : '<|endoftext|>';
  const eos = addedTokenId(tokenizerJson, eosName);
  if (eos === undefined) throw new InkwellError('tokenizer-invalid', `tokenizer.json has no added token for the EOS "${eosName}"`, { details: { field: 'eos_token' } });
  if (config.eos_token_id !== undefined && config.eos_token_id !== eos) {
    throw new InkwellError('model-invalid', `the checkpoint was trained with eos_token_id ${String(config.eos_token_id)} but this tokenizer's EOS is ${eos}: wrong tokenizer folder?`, { details: { field: 'eos_token_id' } });
  }
  const fim = ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'].map((t) => addedTokenId(tokenizerJson, t)).filter((id): id is number => id !== undefined);
  const made = makeModel({
    ...spec,
    dir: options.out,
    tokenizer: { tokenizerJson, tokenizerConfigJson },
    specialTokens: { eos, pad: eos },
    dtypes: options.dtypes ?? ['fp32', 'q4'],
    hiddenStates: false,
    weights: options.weights ?? checkpointWeights(options.checkpoint),
  });
  writeFileSync(join(options.out, 'generation_config.json'), `${JSON.stringify(completionGenerationConfig({ eos, fim }), null, 2)}\n`);
  const files = [...made.files];
  if (options.fimOrder !== undefined) {
    if (fim.length !== 3) throw new InkwellError('invalid-argument', `fimOrder ${options.fimOrder}: the tokenizer has no <|fim_prefix|>, <|fim_suffix|> and <|fim_middle|> tokens`, { details: { field: 'fimOrder' } });
    const inkwell = parseInkwellJson({ fim: { order: options.fimOrder } }, INKWELL_JSON_FILE);
    writeFileSync(join(options.out, INKWELL_JSON_FILE), `${JSON.stringify(inkwell, null, 2)}\n`);
    files.push(INKWELL_JSON_FILE);
  }
  return { dir: made.dir, spec: made.spec, files };
}
