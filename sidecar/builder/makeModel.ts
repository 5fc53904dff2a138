import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { InkwellError } from '../engine';
import { resolveDecoderSpec, type DecoderSpec, type DecoderSpecInput } from './DecoderSpec';
import { buildDecoderGraph } from './graph/buildDecoderGraph';
import { generationConfigJson, hfConfigJson, transformersJsConfig, type SpecialTokenIds } from './hfConfigFiles';
import { splitExternalData } from './onnx/splitExternalData';
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
  /**
   * Writes each graph's initializers (those of 1 KiB or more) into `onnx/<file>.onnx_data` next to it,
   * ONNX external-data style, as large exports do. Default false: one self-contained file.
   */
  readonly externalData?: boolean;
}

export interface MadeModel {
  readonly dir: string;
  readonly spec: DecoderSpec;
  /** Written files, relative to dir. */
  readonly files: readonly string[];
}

/**
 * Writes a Hugging Face / onnx-community style model folder: config.json, generation_config.json,
 * tokenizer.json, tokenizer_config.json and onnx/model{,_fp16,_q4}.onnx (+ .onnx_data with externalData).
 */
export function makeModel(options: MakeModelOptions): MadeModel {
  const spec = resolveDecoderSpec(options);
  const dtypes = [...new Set<ModelDtype>(options.dtypes ?? ['fp32'])];
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

  const externalData = options.externalData ?? false;
  const writeModel = (relative: string, model: onnx.ModelProto): void => {
    if (!externalData) return write(relative, onnx.ModelProto.encode(model).finish());
    const location = `${path.basename(relative)}_data`;
    const split = splitExternalData(model, location);
    write(`${relative}_data`, split.data); // first: a reader that sees the .onnx also sees its data
    write(relative, onnx.ModelProto.encode(split.model).finish());
  };

  fs.mkdirSync(path.join(options.dir, 'onnx'), { recursive: true });
  const config = hfConfigJson(spec, options.specialTokens);
  if (externalData) config['transformers.js_config'] = transformersJsConfig(dtypes.map((d) => path.basename(ONNX_FILES[d])));
  write('config.json', json(config));
  write('generation_config.json', json(generationConfigJson(options.specialTokens)));
  write('tokenizer.json', json(options.tokenizer.tokenizerJson));
  write('tokenizer_config.json', json(options.tokenizer.tokenizerConfigJson));

  const hiddenStates = options.hiddenStates ?? false;
  if (dtypes.includes('fp16')) {
    writeModel(ONNX_FILES.fp16, buildDecoderGraph(spec, weights, { precision: 'fp16', hiddenStates }));
  }
  if (dtypes.includes('fp32') || dtypes.includes('q4')) {
    const model = buildDecoderGraph(spec, weights, { precision: 'fp32', hiddenStates });
    if (dtypes.includes('fp32')) writeModel(ONNX_FILES.fp32, model);
    if (dtypes.includes('q4')) {
      // q4 is the fp32 graph with every Linear (lm_head included) as MatMulNBits; the cache stays fp32.
      quantizeMatMuls(model, { blockSize: 32, accuracyLevel: 4 });
      writeModel(ONNX_FILES.q4, model);
    }
  }
  return { dir: options.dir, spec, files: written };
}
