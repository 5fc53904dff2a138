import { relative } from 'node:path';
import { quantizeModel } from '../../builder/quantize/quantizeModel';
import type { CliOutput } from '../CliOutput';
import { intFlag, parseFlags, requireFlag } from '../parseFlags';

export const quantizeUsage = 'inkwell quantize --model DIR [--bits 4] [--block-size 32] [--accuracy-level 4]';

/** Writes onnx/model_q4.onnx next to a model's fp32 or fp16 graph. */
export async function quantizeCommand(argv: readonly string[], io: CliOutput): Promise<number> {
  const { values } = parseFlags('quantize', argv, {
    model: { type: 'string' },
    bits: { type: 'string' },
    'block-size': { type: 'string' },
    'accuracy-level': { type: 'string' },
  });
  const modelDir = requireFlag('quantize', 'model', values.model);
  const started = performance.now();
  const result = quantizeModel({
    modelDir,
    bits: intFlag('bits', values.bits, 4, 1, 8),
    blockSize: intFlag('block-size', values['block-size'], 32, 1, 4096),
    accuracyLevel: intFlag('accuracy-level', values['accuracy-level'], 4, 0, 4),
  });
  io.err(
    `quantized ${result.replacedMatMuls} MatMul weights of ${relative(modelDir, result.source)} → ${relative(modelDir, result.output)} in ${Math.round(performance.now() - started)} ms\n`,
  );
  return 0;
}
