import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { readModelFolder, selectOnnxFile } from '../../../../sidecar/runtime/model/modelFolder';
import { conformanceDir } from '../../../support/conformanceFixtures';

/**
 * onnxruntime-genai's builder output (test/conformance/fixtures/*-genai-*, as the builder wrote
 * them): no config.json, no onnx/ folder, the graph named in genai_config.json.
 */
const fp32 = join(conformanceDir, 'llama-genai-fp32');
const int4 = join(conformanceDir, 'qwen2-genai-int4');
const isError = (code: string, pattern: RegExp) => (e: unknown) => InkwellError.is(e) && e.code === code && pattern.test(e.message);

describe('an onnxruntime-genai folder', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'inkwell-genai-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  /** A copy of the fp32 fixture with genai_config.json's decoder changed by `edit`. */
  const withDecoder = (name: string, edit: (decoder: Record<string, unknown>) => void): string => {
    const dir = join(scratch, name);
    cpSync(fp32, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'genai_config.json'), 'utf8'));
    edit(config.model.decoder);
    writeFileSync(join(dir, 'genai_config.json'), JSON.stringify(config));
    return dir;
  };

  it('reads its architecture from genai_config.json (the builder writes no config.json)', () => {
    const folder = readModelFolder(fp32);
    assert.equal(folder.architecture.modelType, 'llama');
    assert.equal(folder.architecture.numLayers, 2);
    assert.equal(folder.architecture.numHeads, 4);
    assert.equal(folder.architecture.numKvHeads, 2);
    assert.equal(folder.architecture.headDim, 16);
    assert.equal(folder.architecture.vocabSize, 640);
    assert.equal(folder.architecture.maxPositions, 512);
    assert.deepEqual(folder.architecture.eosTokenIds, [1]);
    assert.equal(folder.genai?.filename, 'model.onnx');
  });

  it('names its one graph by what it holds: -p fp32 → fp32, -p int4 (MatMulNBits, 4 bits, float32 KV) → q4', () => {
    assert.deepEqual(readModelFolder(fp32).onnxFiles, { fp32: join(fp32, 'model.onnx') });
    assert.deepEqual(readModelFolder(int4).onnxFiles, { q4: join(int4, 'model.onnx') });
    assert.deepEqual(selectOnnxFile(readModelFolder(int4), 'auto'), { dtype: 'q4', path: join(int4, 'model.onnx') });
  });

  it('asked for a precision it does not hold, says which one it holds', () => {
    assert.throws(() => selectOnnxFile(readModelFolder(int4), 'fp32'), isError('model-not-found', /onnxruntime-genai build holding one graph, model.onnx \(q4\), not fp32/));
  });

  it('refuses a graph file name with a folder in it, and a graph that is not there', () => {
    const outside = withDecoder('outside', (d) => (d.filename = '../model.onnx'));
    assert.throws(() => readModelFolder(outside), isError('model-invalid', /genai_config.json: field model.decoder.filename/));
    const missing = withDecoder('missing', (d) => (d.filename = 'decoder.onnx'));
    assert.throws(() => readModelFolder(missing), isError('model-not-found', /names the graph decoder.onnx/));
  });

  it('refuses a name template without %d', () => {
    const dir = withDecoder('template', (d) => ((d.inputs as Record<string, string>).past_key_names = 'past_key'));
    assert.throws(() => readModelFolder(dir), isError('model-invalid', /field model.decoder.inputs.past_key_names: must hold %d once/));
  });
});
