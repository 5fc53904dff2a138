import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { DataType, GraphBuilder } from '../../../sidecar/builder/onnx/GraphBuilder';
import { InkwellError, type InkwellErrorCode } from '../../../sidecar/engine/InkwellError';
import { loadModel } from '../../../sidecar/runtime/index';
import { qwen3TokenizerDir, smallModel } from '../../support/testModels';

const scratch = mkdtempSync(join(tmpdir(), 'inkwell-load-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;

/** A copy of the small model folder to damage. */
function copyModel(): string {
  const dir = join(scratch, `m${serial++}`);
  cpSync(smallModel(), dir, { recursive: true });
  return dir;
}

async function rejectsWith(promise: Promise<unknown>, code: InkwellErrorCode, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(InkwellError.is(e), `expected an InkwellError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('loadModel: clear errors for bad model folders', () => {
  it('a folder that does not exist', async () => {
    await rejectsWith(loadModel({ dir: join(scratch, 'nope'), device: 'cpu' }), 'model-not-found', /nope does not exist/);
  });

  for (const file of ['config.json', 'tokenizer.json']) {
    it(`a folder without ${file}`, async () => {
      const dir = copyModel();
      rmSync(join(dir, file));
      await rejectsWith(loadModel({ dir, device: 'cpu' }), 'model-not-found', new RegExp(`has no ${file}`));
    });
  }

  it('a folder without any onnx file', async () => {
    const dir = copyModel();
    rmSync(join(dir, 'onnx'), { recursive: true });
    await rejectsWith(loadModel({ dir, device: 'cpu' }), 'model-not-found', /no onnx\/model\*\.onnx file/);
  });

  it('an unknown model_type names the field and the supported types', async () => {
    const dir = copyModel();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 't5' }));
    await rejectsWith(loadModel({ dir, device: 'cpu' }), 'model-invalid', /config\.json: model_type "t5" is not supported; supported decoder types: llama, qwen2/);
  });

  it('config.json that is not JSON', async () => {
    const dir = copyModel();
    writeFileSync(join(dir, 'config.json'), '{ "model_type": ');
    await rejectsWith(loadModel({ dir, device: 'cpu' }), 'model-invalid', /config\.json is not valid JSON/);
  });

  it('an unknown dtype and a dtype the folder does not have', async () => {
    const dir = copyModel();
    await rejectsWith(loadModel({ dir, device: 'cpu', dtype: 'int3' as never }), 'invalid-argument', /dtype "int3" is unknown; allowed: auto, fp32/);
    rmSync(join(dir, 'onnx', 'model_q4.onnx'));
    await rejectsWith(loadModel({ dir, device: 'cpu', dtype: 'q4' }), 'model-not-found', /no onnx\/model_q4\.onnx for dtype q4; available: fp32, fp16/);
  });

  it('a truncated onnx file', async () => {
    const dir = copyModel();
    const file = join(dir, 'onnx', 'model.onnx');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 3)));
    await rejectsWith(loadModel({ dir, device: 'cpu', dtype: 'fp32' }), 'model-invalid', /model\.onnx could not be loaded \(corrupt or truncated ONNX file\?\)/);
  });

  it('a corrupt onnx file through the worker keeps the error', async () => {
    const dir = copyModel();
    writeFileSync(join(dir, 'onnx', 'model.onnx'), 'not a protobuf at all');
    await rejectsWith(loadModel({ dir, device: 'cpu', dtype: 'fp32', inWorker: true }), 'model-invalid', /corrupt or truncated/);
  });

  it('a graph without the decoder inputs and outputs', async () => {
    const dir = copyModel();
    const g = new GraphBuilder();
    g.node('Identity', ['x'], {}, { outputs: ['y'] } as never);
    const model = g.toModel([{ name: 'x', type: DataType.FLOAT, dims: [1] }], [{ name: 'y', type: DataType.FLOAT, dims: [1] }], 'not a decoder');
    writeFileSync(join(dir, 'onnx', 'model.onnx'), onnx.ModelProto.encode(model).finish());
    await rejectsWith(loadModel({ dir, device: 'cpu', dtype: 'fp32' }), 'model-invalid', /the graph has no input named input_ids \(it has: x\)/);
  });

  it('a tokenizer with more tokens than the logits are wide', async () => {
    const dir = copyModel();
    copyFileSync(join(qwen3TokenizerDir, 'tokenizer.json'), join(dir, 'tokenizer.json'));
    copyFileSync(join(qwen3TokenizerDir, 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'));
    await rejectsWith(loadModel({ dir, device: 'cpu', dtype: 'fp32' }), 'tokenizer-invalid', /tokenizer\.json has 151\d+ tokens but the model's logits are only 1024 wide/);
  });

  it('an explicit provider that is unavailable says which and why', async (t) => {
    // On a machine with a WebGPU adapter this provider would load; the check is for machines without one.
    const dir = copyModel();
    try {
      const m = await loadModel({ dir, device: 'webgpu', dtype: 'fp32', inWorker: false });
      await m.model.dispose();
      t.diagnostic('a WebGPU adapter exists here; the unavailable-provider path was not exercised');
      assert.equal(m.model.info.executionProvider, 'webgpu');
    } catch (e) {
      assert.ok(InkwellError.is(e));
      assert.equal(e.code, 'provider-unavailable');
      assert.match(e.message, /no execution provider could run .*model\.onnx \(webgpu: /);
    }
  });

  it('auto falls back to cpu and reports each attempt', async () => {
    const m = await loadModel({ dir: smallModel(), device: 'auto', dtype: 'fp32', inWorker: false });
    await m.model.dispose();
    const last = m.attempts.at(-1)!;
    assert.equal(last.ok, true);
    assert.equal(m.model.info.executionProvider, last.provider);
    for (const failed of m.attempts.slice(0, -1)) assert.ok(failed.error && failed.error.length > 0);
    assert.deepEqual(m.attempts.map((a) => a.provider), ['cuda', 'webgpu', 'cpu'].slice(0, m.attempts.length));
  });
});
