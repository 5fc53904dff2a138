import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { decoderSpecFromHfConfig } from '../../../sidecar/builder/DecoderSpec';
import { DataType, GraphBuilder } from '../../../sidecar/builder/onnx/GraphBuilder';
import { inspectOnnx } from '../../../sidecar/builder/onnx/inspectOnnx';
import { quantizeModel } from '../../../sidecar/builder/quantize/quantizeModel';
import { cachedModel } from './support/cachedModel';
import { OrtDecoder } from './support/OrtDecoder';
import { LLAMA_GQA, QWEN_TIED } from './support/testConfigs';
import { maxAbsDiff, plainBatch, tokens } from './support/testInputs';

const temps: string[] = [];
function tempCopy(sourceDir: string, files: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inkwell-quantize-'));
  temps.push(dir);
  fs.mkdirSync(path.join(dir, 'onnx'));
  for (const f of ['config.json', ...files]) fs.copyFileSync(path.join(sourceDir, f), path.join(dir, f));
  return dir;
}

async function logitsOf(dir: string, file: string, cacheType: 'float32' | 'float16' = 'float32'): Promise<Float32Array> {
  const spec = decoderSpecFromHfConfig(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')));
  const decoder = await OrtDecoder.open(path.join(dir, file), spec, cacheType);
  const out = await decoder.run(plainBatch([tokens(8, 9, spec.vocab), tokens(8, 10, spec.vocab)]));
  await decoder.release();
  return out.logits;
}

function rejects(fn: () => unknown, code: string, mention: RegExp): void {
  assert.throws(fn, (error: unknown) => InkwellError.is(error) && error.code === code && mention.test(error.message));
}

describe('quantizeModel', () => {
  after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const llama = cachedModel(LLAMA_GQA);

  it('turns an fp32 folder into the same q4 graph makeModel writes', async () => {
    const dir = tempCopy(llama, ['onnx/model.onnx']);
    const result = quantizeModel({ modelDir: dir, bits: 4, blockSize: 32 });
    assert.equal(result.replacedMatMuls, LLAMA_GQA.layers * 7 + 1);
    assert.equal(result.output, path.join(dir, 'onnx/model_q4.onnx'));
    assert.deepEqual(await logitsOf(dir, 'onnx/model_q4.onnx'), await logitsOf(llama, 'onnx/model_q4.onnx'));
  });

  it('quantizes a tied head (Transpose of the embedding) and keeps the Gather on the fp32 embedding', () => {
    const dir = tempCopy(cachedModel(QWEN_TIED), ['onnx/model.onnx']);
    assert.equal(quantizeModel({ modelDir: dir }).replacedMatMuls, QWEN_TIED.layers * 7 + 1);
    const summary = inspectOnnx(path.join(dir, 'onnx/model_q4.onnx'));
    assert.equal(summary.ops.MatMul, 2 * QWEN_TIED.layers, 'only the attention MatMuls (activations x activations) remain');
    assert.equal(summary.ops.Gather !== undefined, true);
  });

  it('quantizes an fp16 folder (MatMul of a Cast of a float16 weight), keeping the float16 cache', async () => {
    const dir = tempCopy(llama, ['onnx/model_fp16.onnx']);
    assert.equal(quantizeModel({ modelDir: dir }).source, path.join(dir, 'onnx/model_fp16.onnx'));
    const summary = inspectOnnx(path.join(dir, 'onnx/model_q4.onnx'));
    assert.equal(summary.inputs.find((i) => i.name === 'past_key_values.0.key')?.type, 'FLOAT16');
    const q4 = await logitsOf(dir, 'onnx/model_q4.onnx', 'float16');
    const reference = await logitsOf(llama, 'onnx/model_q4.onnx');
    assert.ok(maxAbsDiff(q4, reference) < 0.5, 'fp16-sourced q4 is close to the fp32-sourced one');
  });

  it('reads initializers stored as external data', async () => {
    const dir = tempCopy(llama, []);
    const model = onnx.ModelProto.decode(fs.readFileSync(path.join(llama, 'onnx/model.onnx')));
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const t of model.graph?.initializer ?? []) {
      const raw = t.rawData ?? new Uint8Array(0);
      if (raw.byteLength < 1024) continue;
      t.externalData = [
        { key: 'location', value: 'model.onnx_data' },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.byteLength) },
      ];
      t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      chunks.push(raw);
      offset += raw.byteLength;
      t.rawData = new Uint8Array(0);
    }
    fs.writeFileSync(path.join(dir, 'onnx/model.onnx_data'), Buffer.concat(chunks));
    fs.writeFileSync(path.join(dir, 'onnx/model.onnx'), onnx.ModelProto.encode(model).finish());
    quantizeModel({ modelDir: dir });
    assert.deepEqual(await logitsOf(dir, 'onnx/model_q4.onnx'), await logitsOf(llama, 'onnx/model_q4.onnx'));
  });

  it('rejects bad input with a clear error', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'inkwell-quantize-'));
    temps.push(empty);
    rejects(() => quantizeModel({ modelDir: empty }), 'model-not-found', /model\.onnx/);
    rejects(() => quantizeModel({ modelDir: llama, source: 'onnx/nope.onnx' }), 'model-not-found', /nope\.onnx/);
    rejects(() => quantizeModel({ modelDir: llama, bits: 8 }), 'invalid-argument', /bits/);
    rejects(() => quantizeModel({ modelDir: llama, blockSize: 24 }), 'invalid-argument', /blockSize/);
    rejects(() => quantizeModel({ modelDir: llama, blockSize: 8 }), 'invalid-argument', /blockSize/);

    const noMatMul = tempCopy(llama, []);
    const g = new GraphBuilder();
    g.op('Add', ['x', g.float32([1])], {}, 'y');
    const model = g.toModel([{ name: 'x', type: DataType.FLOAT, dims: [2] }], [{ name: 'y', type: DataType.FLOAT, dims: [2] }], 'add');
    fs.writeFileSync(path.join(noMatMul, 'onnx/model.onnx'), onnx.ModelProto.encode(model).finish());
    rejects(() => quantizeModel({ modelDir: noMatMul }), 'model-invalid', /model\.onnx.*no MatMul/);

    fs.writeFileSync(path.join(noMatMul, 'onnx/model.onnx'), 'not a protobuf');
    rejects(() => quantizeModel({ modelDir: noMatMul }), 'model-invalid', /model\.onnx/);
  });
});
