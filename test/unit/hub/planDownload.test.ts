import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onnxVariants, planDownload, type RepoFile } from '../../../sidecar/hub/planDownload';

const file = (path: string, size = 10): RepoFile => ({ path, size, oid: '0'.repeat(40) });
// The layout of an onnx-community repo: every dtype of the graph, some with external data.
const repo = [
  'README.md', '.gitattributes', 'config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'merges.txt', 'vocab.json',
  'onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model.onnx_data_1', 'onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data', 'onnx/model_q4.onnx', 'onnx/model_q4f16.onnx', 'onnx/model_quantized.onnx',
].map((p) => file(p));

describe('planDownload', () => {
  it('takes the config and tokenizer files and one dtype with its external data, nothing else', () => {
    assert.deepEqual(planDownload('o/m', repo, 'fp32').files.map((f) => f.path), [
      'config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja',
      'onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model.onnx_data_1',
    ]);
    assert.deepEqual(planDownload('o/m', repo, 'fp16').files.slice(6).map((f) => f.path), ['onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data']);
    assert.deepEqual(planDownload('o/m', repo, 'q4').files.slice(6).map((f) => f.path), ['onnx/model_q4.onnx']);
  });

  it("'auto' takes what the runtime prefers: q4, then fp32", () => {
    assert.equal(planDownload('o/m', repo, 'auto').dtype, 'q4');
    assert.equal(planDownload('o/m', repo.filter((f) => !f.path.includes('q4')), 'auto').dtype, 'fp32');
    assert.deepEqual(onnxVariants(repo), ['q4', 'fp32', 'fp16', 'q4f16', 'quantized']);
  });

  it('names the field and lists what exists when it cannot', () => {
    assert.throws(() => planDownload('o/m', repo, 'int8'), /o\/m has no onnx\/model_int8\.onnx for --dtype int8; it has: q4, fp32, fp16, q4f16, quantized/);
    assert.throws(() => planDownload('o/m', repo.filter((f) => !f.path.startsWith('onnx/')), 'auto'), /o\/m has no ONNX export/);
    assert.throws(() => planDownload('o/m', repo.filter((f) => f.path !== 'tokenizer.json'), 'q4'), /o\/m has no tokenizer\.json/);
    assert.throws(() => planDownload('o/m', repo, 'fp64' as never), /--dtype fp64 is unknown/);
  });
});
