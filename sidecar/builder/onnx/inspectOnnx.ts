import { onnx } from 'onnx-proto';
import { loadOnnxModel } from './loadOnnxModel';

export interface OnnxTensorSummary {
  readonly name: string;
  readonly type: string;
  readonly dims: readonly (number | string)[];
}

export interface OnnxSummary {
  readonly inputs: readonly OnnxTensorSummary[];
  readonly outputs: readonly OnnxTensorSummary[];
  readonly initializerCount: number;
  /** Node count by operator, e.g. { MatMul: 14, 'com.microsoft.MatMulNBits': 0 }. */
  readonly ops: Readonly<Record<string, number>>;
  readonly opsets: Readonly<Record<string, number>>;
}

function summarize(info: onnx.IValueInfoProto): OnnxTensorSummary {
  const tensor = info.type?.tensorType;
  const dims = (tensor?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
  return { name: info.name ?? '', type: onnx.TensorProto.DataType[tensor?.elemType ?? 0] ?? 'UNDEFINED', dims };
}

/** Lists a graph's inputs, outputs, operators and initializer count (for tests and the CLI). */
export function inspectOnnx(file: string): OnnxSummary {
  const model = loadOnnxModel(file);
  const graph = model.graph!;
  const ops: Record<string, number> = {};
  for (const node of graph.node ?? []) {
    const key = node.domain ? `${node.domain}.${node.opType}` : (node.opType ?? '');
    ops[key] = (ops[key] ?? 0) + 1;
  }
  return {
    inputs: (graph.input ?? []).map(summarize),
    outputs: (graph.output ?? []).map(summarize),
    initializerCount: (graph.initializer ?? []).length,
    ops,
    opsets: Object.fromEntries(model.opsetImport.map((o) => [o.domain ?? '', Number(o.version)])),
  };
}
