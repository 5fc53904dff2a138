import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { InkwellError } from '../../engine';
import { loadOnnxModel } from '../onnx/loadOnnxModel';
import { writeFileAtomic } from '../writeFileAtomic';
import { quantizeMatMuls } from './quantizeMatMuls';

export interface QuantizeModelOptions {
  readonly modelDir: string;
  readonly bits?: number;
  readonly blockSize?: number;
  readonly accuracyLevel?: number;
  /** The graph to quantize, relative to modelDir; default onnx/model.onnx, else onnx/model_fp16.onnx. */
  readonly source?: string;
}

export interface QuantizeModelResult {
  readonly source: string;
  readonly output: string;
  readonly replacedMatMuls: number;
}

const CANDIDATES = ['onnx/model.onnx', 'onnx/model_fp16.onnx'];

/** Writes onnx/model_q4.onnx: every constant-weight MatMul of the source graph becomes a 4-bit MatMulNBits. */
export function quantizeModel(options: QuantizeModelOptions): QuantizeModelResult {
  const { modelDir, bits = 4, blockSize = 32, accuracyLevel = 4 } = options;
  if (bits !== 4) {
    throw new InkwellError('invalid-argument', `bits must be 4 (only 4-bit MatMulNBits is written), got ${bits}.`, { details: { field: 'bits', value: bits } });
  }
  if (!Number.isInteger(blockSize) || blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) {
    throw new InkwellError('invalid-argument', `blockSize must be a power of two >= 16, got ${blockSize}.`, {
      details: { field: 'blockSize', value: blockSize },
    });
  }
  const relative = options.source ?? CANDIDATES.find((c) => fs.existsSync(path.join(modelDir, c)));
  if (relative === undefined) {
    throw new InkwellError('model-not-found', `No ${CANDIDATES.join(' or ')} in ${modelDir} to quantize.`, {
      details: { file: path.join(modelDir, CANDIDATES[0]) },
    });
  }
  const source = path.join(modelDir, relative);
  const model = loadOnnxModel(source);
  const replaced = quantizeMatMuls(model, { blockSize, accuracyLevel });
  if (replaced === 0) {
    throw new InkwellError('model-invalid', `${source} has no MatMul with a constant 2-D weight to quantize.`, { details: { file: source } });
  }
  const output = path.join(modelDir, 'onnx', 'model_q4.onnx');
  writeFileAtomic(output, onnx.ModelProto.encode(model).finish());
  return { source, output, replacedMatMuls: replaced };
}
