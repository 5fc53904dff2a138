import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { InkwellError } from '../../engine';

/** Ops between the LM head's matmul and `logits` that do not change which tensor the head reads (scaling, soft-capping, casts). */
const AFTER_HEAD = new Set(['Div', 'Mul', 'Tanh', 'Cast', 'Add', 'Identity']);
const HEADS = new Set(['MatMul', 'MatMulNBits', 'Gemm', 'MatMulInteger']);

export interface ExposedGraph {
  /** The rewritten ModelProto, to write in place of the input file (external data files are unchanged). */
  readonly bytes: Uint8Array;
  /** The tensor now also output as `last_hidden_state`: the LM head's input. */
  readonly hiddenTensor: string;
  readonly head: string;
}

/**
 * The graph of `file` with one more output, `last_hidden_state`: the tensor the LM head reads
 * (the final norm's output, what transformers calls hidden_states[-1] and contrastive search
 * compares). One Identity node declares it; nothing is computed differently, and initializers
 * stored as external data stay where they are (the proto is decoded without reading them), so
 * any size of model works. Contrastive search then runs on exports that lack the output.
 */
export function exposeLastHiddenState(file: string): ExposedGraph {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(readFileSync(file));
  } catch (cause) {
    throw new InkwellError('model-invalid', `cannot parse the ONNX file ${file}`, { cause, details: { file } });
  }
  const graph = model.graph;
  if (!graph) throw new InkwellError('model-invalid', `${file} has no graph`, { details: { file } });
  if ((graph.output ?? []).some((o) => o.name === 'last_hidden_state')) {
    throw new InkwellError('invalid-argument', `${file} already outputs last_hidden_state: contrastive search runs on it as it is`, { details: { file } });
  }
  const producers = new Map<string, onnx.INodeProto>();
  for (const node of graph.node ?? []) for (const output of node.output ?? []) producers.set(output, node);
  let node = producers.get('logits');
  const path: string[] = [];
  while (node && !HEADS.has(node.opType ?? '') && AFTER_HEAD.has(node.opType ?? '') && path.length < 8) {
    path.push(node.opType ?? '');
    node = producers.get(node.input?.[0] ?? '');
  }
  if (!node || !HEADS.has(node.opType ?? '')) {
    const found = [...path, node?.opType ?? 'no node'].join(' ← ');
    throw new InkwellError('model-invalid', `${file}: the logits do not come from a matmul with the LM head's weights (logits ← ${found}); cannot tell which tensor is the last hidden state`, { details: { file } });
  }
  const hidden = node.input![0]!;
  const elemType = elementTypeOf(graph, hidden) ?? onnx.TensorProto.DataType.FLOAT;
  graph.node!.push(onnx.NodeProto.create({ name: 'inkwell_expose_last_hidden_state', opType: 'Identity', input: [hidden], output: ['last_hidden_state'] }));
  graph.output!.push(onnx.ValueInfoProto.create({ name: 'last_hidden_state', type: onnx.TypeProto.create({ tensorType: onnx.TypeProto.Tensor.create({ elemType }) }) }));
  return { bytes: onnx.ModelProto.encode(model).finish(), hiddenTensor: hidden, head: node.opType ?? '' };
}

/** The element type the graph declares for a tensor, or that of the graph's logits (same precision) when it declares none. */
function elementTypeOf(graph: onnx.IGraphProto, name: string): number | undefined {
  const declared = [...(graph.valueInfo ?? []), ...(graph.input ?? []), ...(graph.output ?? [])].find((v) => v.name === name);
  const logits = (graph.output ?? []).find((v) => v.name === 'logits');
  return (declared ?? logits)?.type?.tensorType?.elemType ?? undefined;
}
