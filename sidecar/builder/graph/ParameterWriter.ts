import { DataType, type GraphBuilder } from '../onnx/GraphBuilder';
import { toFloat16Array } from '../onnx/float16';
import type { WeightSource } from '../weights/WeightSource';

export type WeightPrecision = 'fp32' | 'fp16';

/** Suffix of a Linear weight's initializer: stored transposed, [in, out], so MatMul needs no Transpose. */
export const TRANSPOSED_SUFFIX = '.T';

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

/**
 * Writes parameters as initializers in the chosen precision. fp16 weights are stored as float16 and
 * cast to float32 in the graph (onnxruntime folds the Cast at load), so compute stays fp32 and the
 * graph runs on the CPU provider; the file is half the size.
 */
export class ParameterWriter {
  constructor(
    private readonly b: GraphBuilder,
    private readonly weights: WeightSource,
    readonly precision: WeightPrecision,
  ) {}

  /** Writes the tensor as stored (fp32 or fp16) and returns the initializer name. */
  stored(name: string, shape: readonly number[], values = this.weights.get(name, shape)): string {
    if (this.precision === 'fp16') return this.b.tensor(name, DataType.FLOAT16, shape, toFloat16Array(values));
    return this.b.tensor(name, DataType.FLOAT, shape, values);
  }

  /** A float32 view of a stored tensor: the name itself, or a Cast of the fp16 initializer. */
  toFloat32(storedName: string): string {
    return this.precision === 'fp16' ? this.b.op('Cast', [storedName], { to: DataType.FLOAT }) : storedName;
  }

  /** A parameter as a float32 graph value. */
  param(name: string, shape: readonly number[]): string {
    return this.toFloat32(this.stored(name, shape));
  }

  /** x @ W^T (+ b) for a torch Linear weight [out, in]. */
  linear(x: string, name: string, inFeatures: number, outFeatures: number, bias: boolean, output?: string): string {
    const weight = transpose(this.weights.get(`${name}.weight`, [outFeatures, inFeatures]), outFeatures, inFeatures);
    const w = this.toFloat32(this.stored(`${name}.weight${TRANSPOSED_SUFFIX}`, [inFeatures, outFeatures], weight));
    if (!bias) return this.b.op('MatMul', [x, w], {}, output);
    return this.b.op('Add', [this.b.op('MatMul', [x, w]), this.param(`${name}.bias`, [outFeatures])], {}, output);
  }

  /** x @ W + b for GPT-2's Conv1D, whose weight is already [in, out]: stored under its own name. */
  conv1d(x: string, name: string, inFeatures: number, outFeatures: number): string {
    const product = this.b.op('MatMul', [x, this.param(`${name}.weight`, [inFeatures, outFeatures])]);
    return this.b.op('Add', [product, this.param(`${name}.bias`, [outFeatures])]);
  }

  /** torch LayerNorm over the last axis, as the one ONNX op onnxruntime has a kernel for. */
  layerNorm(x: string, name: string, size: number, eps: number, output?: string): string {
    const inputs = [x, this.param(`${name}.weight`, [size]), this.param(`${name}.bias`, [size])];
    return this.b.node('LayerNormalization', inputs, { axis: -1 }, { floats: { epsilon: eps }, ...(output === undefined ? {} : { outputs: [output] }) })[0];
  }

  /** Hugging Face RMSNorm: w * x / sqrt(mean(x²) + eps), in the node pattern onnxruntime fuses. */
  rmsNorm(x: string, name: string, size: number, eps: number, output?: string): string {
    const b = this.b;
    const meanSquare = b.op('ReduceMean', [b.op('Pow', [x, b.float32([2])])], { axes: [-1], keepdims: 1 });
    const rms = b.op('Sqrt', [b.op('Add', [meanSquare, b.float32([eps])])]);
    return b.op('Mul', [b.op('Div', [x, rms]), this.param(`${name}.weight`, [size])], {}, output);
  }
}
