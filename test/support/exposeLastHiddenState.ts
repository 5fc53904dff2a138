import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { loadOnnxModel } from '../../sidecar/builder/onnx/loadOnnxModel';

/**
 * A temporary copy of a model folder whose onnx/model.onnx also outputs `last_hidden_state`: the
 * tensor the exporter's lm_head MatMul reads (the final norm's output, which is what transformers'
 * contrastive search takes as hidden_states[-1]). Nothing is computed differently; one internal
 * tensor is declared as an output through an Identity node. For tests only: it lets contrastive
 * search run on a real exporter's graph.
 */
export function withLastHiddenState(dir: string, hiddenSize: number): string {
  const model = loadOnnxModel(join(dir, 'onnx', 'model.onnx'));
  const graph = model.graph!;
  const head = (graph.node ?? []).find((n) => (n.output ?? []).includes('logits'));
  if (!head || head.opType !== 'MatMul') throw new Error(`${dir}: logits come from ${head?.opType ?? 'nowhere'}, not the head's MatMul`);
  const hidden = head.input![0]!;
  graph.node!.push(onnx.NodeProto.create({ name: 'expose_last_hidden_state', opType: 'Identity', input: [hidden], output: ['last_hidden_state'] }));
  const dim = (v: string | number) => onnx.TensorShapeProto.Dimension.create(typeof v === 'string' ? { dimParam: v } : { dimValue: v });
  graph.output!.push(
    onnx.ValueInfoProto.create({
      name: 'last_hidden_state',
      type: onnx.TypeProto.create({
        tensorType: onnx.TypeProto.Tensor.create({
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: onnx.TensorShapeProto.create({ dim: [dim('batch_size'), dim('sequence_length'), dim(hiddenSize)] }),
        }),
      }),
    }),
  );
  const out = mkdtempSync(join(tmpdir(), 'inkwell-hidden-'));
  mkdirSync(join(out, 'onnx'));
  for (const name of readdirSync(dir)) if (statSync(join(dir, name)).isFile()) copyFileSync(join(dir, name), join(out, name));
  writeFileSync(join(out, 'onnx', 'model.onnx'), onnx.ModelProto.encode(model).finish());
  return out;
}
