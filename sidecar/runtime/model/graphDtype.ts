import { InkwellError } from '../../engine';
import { readGraphOutline } from '../onnx/readGraphOutline';
import type { ModelDtype } from './modelFolder';

const QUANTIZED_OPS: ReadonlySet<string> = new Set(['MatMulNBits']);
const FLOAT = 1;
const FLOAT16 = 10;
const ELEMENT_NAMES: Readonly<Record<number, string>> = { 11: 'float64', 16: 'bfloat16' };

/**
 * Inkwell's dtype name for a graph whose file name does not say it (onnxruntime-genai writes
 * model.onnx for every precision): its KV cache's element type, and MatMulNBits' bit width when
 * the weights are block-quantized. The builder's fp32 → fp32, int4 → q4 (q4f16 on fp16 I/O),
 * fp16 → fp16, and its 8-bit MatMulNBits → int8.
 */
export function graphDtype(file: string, pastInput: string): ModelDtype {
  let outline;
  try {
    outline = readGraphOutline(file, QUANTIZED_OPS);
  } catch (cause) {
    throw new InkwellError('model-invalid', `${file} is not a readable ONNX model (${(cause as Error).message})`, { cause, details: { file } });
  }
  const kv = outline.inputTypes.get(pastInput);
  if (kv !== FLOAT && kv !== FLOAT16) {
    const what = kv === undefined ? `no input ${pastInput} with a tensor type` : `a ${ELEMENT_NAMES[kv] ?? `type-${kv}`} ${pastInput}`;
    throw new InkwellError(
      'model-invalid',
      `${file} has ${what}; Inkwell runs float32 or float16 KV caches (rebuild with onnxruntime-genai's builder -p fp32, fp16 or int4)`,
      { details: { file, field: pastInput } },
    );
  }
  const half = kv === FLOAT16;
  const bits = new Set(outline.nodes.map((n) => n.attributes.get('bits') ?? 4));
  if (bits.size === 0) return half ? 'fp16' : 'fp32';
  if (bits.size === 1 && bits.has(4)) return half ? 'q4f16' : 'q4';
  if (bits.size === 1 && bits.has(8) && !half) return 'int8';
  return 'quantized';
}
