import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { DataType, GraphBuilder } from '../../../sidecar/builder/onnx/GraphBuilder';
import { loadOnnxModel } from '../../../sidecar/builder/onnx/loadOnnxModel';
import { splitExternalData } from '../../../sidecar/builder/onnx/splitExternalData';
import { cachedModel, type TestModelOptions } from './support/cachedModel';
import { OrtDecoder } from './support/OrtDecoder';
import { plainBatch, tokens } from './support/testInputs';
import { decoderSpecFromHfConfig } from '../../../sidecar/builder/DecoderSpec';

const entries = (t: onnx.ITensorProto): Record<string, string> => Object.fromEntries((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));

/** The embedding (8192 x 32 float32) is exactly 1 MiB: it must land on a 64 KiB boundary. */
const WIDE_VOCAB: TestModelOptions = { modelType: 'llama', layers: 1, hidden: 32, heads: 2, vocab: 8192, intermediate: 64, tied: true, seed: 9, dtypes: ['fp32', 'q4'] };

describe('splitExternalData', () => {
  it('moves initializers of 1 KiB or more into aligned ranges of one side buffer and leaves the input alone', () => {
    const b = new GraphBuilder();
    const small = b.tensor('small', DataType.FLOAT, [4], Float32Array.from([1, 2, 3, 4]));
    b.tensor('odd', DataType.FLOAT, [300], Float32Array.from({ length: 300 }, (_, i) => i)); // unused by any node: still moved
    const big = b.tensor('big', DataType.FLOAT, [512, 512], Float32Array.from({ length: 512 * 512 }, (_, i) => i % 977));
    b.op('Add', [b.op('MatMul', ['x', big]), small], {}, 'y');
    const model = b.toModel([{ name: 'x', type: DataType.FLOAT, dims: [1, 512] }], [{ name: 'y', type: DataType.FLOAT, dims: [1, 512] }], 'test');
    const before = onnx.ModelProto.encode(model).finish();

    const { model: split, data } = splitExternalData(model, 'm.onnx_data');
    assert.ok(Buffer.from(onnx.ModelProto.encode(model).finish()).equals(Buffer.from(before)), 'the input model is not modified');
    const [s, o, g] = split.graph!.initializer!;
    assert.equal(s.dataLocation ?? 0, onnx.TensorProto.DataLocation.DEFAULT, 'a 16-byte tensor stays inline');
    assert.equal(o.dataLocation, onnx.TensorProto.DataLocation.EXTERNAL);
    assert.deepEqual(entries(o), { location: 'm.onnx_data', offset: '0', length: '1200' });
    assert.equal(entries(g).offset, String(1 << 16), 'a 1 MiB tensor starts on the next 64 KiB boundary');
    assert.equal(data.byteLength, (1 << 16) + (1 << 20));
    assert.ok(Buffer.from(data.subarray(1 << 16)).equals(Buffer.from(model.graph!.initializer![2].rawData!)));
    assert.equal(g.rawData?.byteLength ?? 0, 0);
  });
});

describe('makeModel with externalData', () => {
  it('writes onnx/<file>.onnx_data beside each graph, which reads back and runs like the inline folder', async () => {
    const inline = cachedModel(WIDE_VOCAB);
    const external = cachedModel({ ...WIDE_VOCAB, externalData: true });
    assert.deepEqual(fs.readdirSync(path.join(external, 'onnx')).sort(), ['model.onnx', 'model.onnx_data', 'model_q4.onnx', 'model_q4.onnx_data']);
    const config = JSON.parse(fs.readFileSync(path.join(external, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(config['transformers.js_config'], { use_external_data_format: { 'model.onnx': 1, 'model_q4.onnx': 1 } });
    assert.ok(fs.statSync(path.join(external, 'onnx/model.onnx')).size < 64 * 1024, 'the graph file holds no large weights');

    for (const file of ['onnx/model.onnx', 'onnx/model_q4.onnx']) {
      const a = loadOnnxModel(path.join(inline, file));
      const b = loadOnnxModel(path.join(external, file));
      const tensors = (m: onnx.ModelProto) => m.graph!.initializer!.map((t) => [t.name, t.dataType, (t.dims ?? []).join(), Buffer.from(t.rawData ?? []).toString('base64')]);
      assert.deepEqual(tensors(b), tensors(a), `${file}: the same initializers read back`);
      assert.deepEqual(b.graph!.node, a.graph!.node);
    }
    const spec = decoderSpecFromHfConfig(config);
    const inputs = plainBatch([tokens(6, 1, spec.vocab), tokens(6, 2, spec.vocab)]);
    for (const file of ['onnx/model.onnx', 'onnx/model_q4.onnx']) {
      const [x, y] = [await OrtDecoder.open(path.join(inline, file), spec), await OrtDecoder.open(path.join(external, file), spec)];
      assert.deepEqual((await y.run(inputs)).logits, (await x.run(inputs)).logits, `${file}: same logits`);
      await x.release();
      await y.release();
    }
  });
});
