import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { InkwellError } from '../engine/InkwellError';
import { resolveDecoderSpec, type DecoderSpec, type DecoderSpecInput } from './DecoderSpec';
import { buildDecoderGraph } from './graph/buildDecoderGraph';
import { generationConfigJson, hfConfigJson, type SpecialTokenIds } from './hfConfigFiles';
import { quantizeMatMuls } from './quantize/quantizeMatMuls';
import { RandomWeightSource } from './weights/RandomWeightSource';
import type { WeightSource } from './weights/WeightSource';
import { writeFileAtomic } from './writeFileAtomic';

export type ModelDtype = 'fp32' | 'fp16' | 'q4';

/** File names as transformers.js looks them up by dtype. */
export const ONNX_FILES: Readonly<Record<ModelDtype, string>> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q4: 'onnx/model_q4.onnx',
};

/** An already-built tokenizer (from the BPE trainer or elsewhere), written out verbatim. */
export interface TokenizerFiles {
  readonly tokenizerJson: object;
  readonly tokenizerConfigJson: object;
}

export interface MakeModelOptions extends DecoderSpecInput {
  readonly dir: string;
  readonly tokenizer: TokenizerFiles;
  readonly specialTokens: SpecialTokenIds;
  /** Default ['fp32']. */
  readonly dtypes?: readonly ModelDtype[];
  /** Adds a `last_hidden_state` output to every graph. */
  readonly hiddenStates?: boolean;
  /** Trained weights; default deterministic random weights from `seed`. */
  readonly weights?: WeightSource;
  readonly seed?: number;
  /** Std of the random model's logits (see RandomWeightSource). */
  readonly logitStd?: number;
}

export interface MadeModel {
  readonly dir: string;
  readonly spec: DecoderSpec;
  /** Written files, relative to dir. */
  readonly files: readonly string[];
}

/**
 * Writes a Hugging Face / onnx-community style model folder: config.json, generation_config.json,
 * tokenizer.json, tokenizer_config.json and onnx/model{,_fp16,_q4}.onnx.
 */
export function makeModel(options: MakeModelOptions): MadeModel {
  const spec = resolveDecoderSpec(options);
  const dtypes = [...new Set(options.dtypes ?? ['fp32'])];
  for (const dtype of dtypes) {
    if (!(dtype in ONNX_FILES)) {
      throw new InkwellError('invalid-argument', `Unknown dtype "${dtype}"; expected fp32, fp16 or q4.`, { details: { field: 'dtypes', value: dtype } });
    }
  }
  const weights = options.weights ?? new RandomWeightSource(spec, options.seed ?? 0, options.logitStd);
  const written: string[] = [];
  const write = (relative: string, data: string | Uint8Array): void => {
    writeFileAtomic(path.join(options.dir, relative), data);
    written.push(relative);
  };
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

  fs.mkdirSync(path.join(options.dir, 'onnx'), { recursive: true });
  write('config.json', json(hfConfigJson(spec, options.specialTokens)));
  write('generation_config.json', json(generationConfigJson(options.specialTokens)));
  write('tokenizer.json', json(options.tokenizer.tokenizerJson));
  write('tokenizer_config.json', json(options.tokenizer.tokenizerConfigJson));

  const hiddenStates = options.hiddenStates ?? false;
  if (dtypes.includes('fp16')) {
    write(ONNX_FILES.fp16, onnx.ModelProto.encode(buildDecoderGraph(spec, weights, { precision: 'fp16', hiddenStates })).finish());
  }
  if (dtypes.includes('fp32') || dtypes.includes('q4')) {
    const model = buildDecoderGraph(spec, weights, { precision: 'fp32', hiddenStates });
    if (dtypes.includes('fp32')) write(ONNX_FILES.fp32, onnx.ModelProto.encode(model).finish());
    if (dtypes.includes('q4')) {
      // q4 is the fp32 graph with every Linear (lm_head included) as MatMulNBits; the cache stays fp32.
      quantizeMatMuls(model, { blockSize: 32, accuracyLevel: 4 });
      write(ONNX_FILES.q4, onnx.ModelProto.encode(model).finish());
    }
  }
  return { dir: options.dir, spec, files: written };
}
