import { onnx } from 'onnx-proto';

export const DataType = onnx.TensorProto.DataType;
export type ElemType = onnx.TensorProto.DataType;

/** Integer attributes (axis, perm, to, K, N …); the rare float one (epsilon) goes in NodeOptions.floats. */
export type IntAttrs = Readonly<Record<string, number | readonly number[]>>;

/** A graph input or output: symbolic dimensions are strings (`batch_size`), fixed ones numbers. */
export interface ValueInfo {
  readonly name: string;
  readonly type: ElemType;
  readonly dims: readonly (number | string)[];
}

export const MS_DOMAIN = 'com.microsoft';

export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export function valueInfoProto(info: ValueInfo): onnx.IValueInfoProto {
  const dim = info.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name: info.name, type: { tensorType: { elemType: info.type, shape: { dim } } } };
}

export function intAttributes(attrs: IntAttrs): onnx.IAttributeProto[] {
  return Object.entries(attrs).map(([name, value]) =>
    typeof value === 'number'
      ? { name, type: onnx.AttributeProto.AttributeType.INT, i: value }
      : { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...value] },
  );
}

export function floatAttributes(attrs: Readonly<Record<string, number>>): onnx.IAttributeProto[] {
  return Object.entries(attrs).map(([name, f]) => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f }));
}

/**
 * Accumulates nodes and initializers in topological order. Tensor names are generated from a
 * scope (`layers.3/attn`) so a graph viewer shows where each node belongs.
 */
export class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  scope = '';
  private serial = 0;
  private readonly constants = new Map<string, string>();

  /** Adds one node; returns its output names (`outputs` names them, otherwise they are generated). */
  node(opType: string, inputs: readonly string[], attrs: IntAttrs = {}, options: NodeOptions = {}): string[] {
    const id = `${this.scope ? `${this.scope}/` : ''}${opType}_${this.serial++}`;
    const outputs: string[] = options.outputs ? [...options.outputs] : Array.from({ length: options.outputCount ?? 1 }, (_, i) => `${id}/out${i}`);
    this.nodes.push({
      name: id,
      opType,
      domain: options.domain ?? '',
      input: [...inputs],
      output: [...outputs],
      attribute: [...intAttributes(attrs), ...floatAttributes(options.floats ?? {})],
    });
    return outputs;
  }

  /** A single-output node. */
  op(opType: string, inputs: readonly string[], attrs: IntAttrs = {}, output?: string): string {
    return this.node(opType, inputs, attrs, output === undefined ? {} : { outputs: [output] })[0];
  }

  tensor(name: string, type: ElemType, dims: readonly number[], data: ArrayBufferView): string {
    this.initializers.push({ name, dataType: type, dims: [...dims], rawData: bytesOf(data) });
    return name;
  }

  /** A shared int64 constant (shapes, axes, indices); `dims` omitted means a 1-D tensor. */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(`const_i64[${dims}]{${values}}`, DataType.INT64, dims, BigInt64Array.from(values, BigInt));
  }

  /** A shared float32 constant; `dims` omitted means a scalar. */
  float32(values: readonly number[], dims: readonly number[] = []): string {
    return this.constant(`const_f32[${dims}]{${values}}`, DataType.FLOAT, dims, Float32Array.from(values));
  }

  private constant(key: string, type: ElemType, dims: readonly number[], data: ArrayBufferView): string {
    let name = this.constants.get(key);
    if (name === undefined) {
      name = `const_${this.constants.size}`;
      this.constants.set(key, name);
      this.tensor(name, type, dims, data);
    }
    return name;
  }

  toModel(inputs: readonly ValueInfo[], outputs: readonly ValueInfo[], docString: string): onnx.ModelProto {
    return onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'inkwell-builder',
      producerVersion: '1',
      opsetImport: [
        { domain: '', version: 17 },
        { domain: MS_DOMAIN, version: 1 },
      ],
      graph: {
        name: 'decoder',
        docString,
        node: this.nodes,
        initializer: this.initializers,
        input: inputs.map(valueInfoProto),
        output: outputs.map(valueInfoProto),
      },
    });
  }
}

export interface NodeOptions {
  readonly outputs?: readonly string[];
  readonly outputCount?: number;
  readonly domain?: string;
  /** Float attributes (LayerNormalization's epsilon). */
  readonly floats?: Readonly<Record<string, number>>;
}
