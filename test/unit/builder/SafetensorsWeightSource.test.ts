import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { resolveDecoderSpec } from '../../../sidecar/builder/DecoderSpec';
import { makeModel } from '../../../sidecar/builder/makeModel';
import { RandomWeightSource } from '../../../sidecar/builder/weights/RandomWeightSource';
import { SafetensorsWeightSource, writeSafetensors } from '../../../sidecar/builder/weights/SafetensorsWeightSource';
import { decoderParameters } from '../../../sidecar/builder/weights/WeightSource';
import { fakeTokenizer } from './support/fakeTokenizer';

describe('SafetensorsWeightSource', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inkwell-safetensors-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('plugs trained weights into makeModel: the same tensors give the same graph', () => {
    const options = { layers: 1, hidden: 32, heads: 2, kvHeads: 1, vocab: 70, tied: false };
    const spec = resolveDecoderSpec(options);
    const random = new RandomWeightSource(spec, 4);
    const file = path.join(dir, 'model.safetensors');
    writeSafetensors(file, new Map(decoderParameters(spec).map((p) => [p.name, { shape: p.shape, data: random.get(p.name, p.shape) }])));
    const common = { ...options, tokenizer: fakeTokenizer(), specialTokens: { eos: 2 } };
    makeModel({ ...common, dir: path.join(dir, 'a'), weights: random });
    makeModel({ ...common, dir: path.join(dir, 'b'), weights: SafetensorsWeightSource.open(file) });
    const bytes = (d: string): Buffer => fs.readFileSync(path.join(dir, d, 'onnx/model.onnx'));
    assert.ok(bytes('a').equals(bytes('b')));
  });

  it('reads F16 and BF16 tensors', () => {
    const header = JSON.stringify({ __metadata__: { format: 'pt' }, h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] } });
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    // F16 1.0, -2.0; BF16 1.0, 0.5
    const data = Buffer.from([0x00, 0x3c, 0x00, 0xc0, 0x80, 0x3f, 0x00, 0x3f]);
    const file = path.join(dir, 'mixed.safetensors');
    fs.writeFileSync(file, Buffer.concat([length, Buffer.from(header), data]));
    const source = SafetensorsWeightSource.open(file);
    assert.deepEqual(source.names(), ['h', 'b']);
    assert.deepEqual([...source.get('h', [2])], [1, -2]);
    assert.deepEqual([...source.get('b', [2])], [1, 0.5]);
    const invalid = (e: unknown): boolean => InkwellError.is(e) && e.code === 'model-invalid' && e.message.includes('mixed.safetensors');
    assert.throws(() => source.get('h', [3]), invalid);
    assert.throws(() => source.get('missing', [2]), invalid);
  });

  it('rejects a file that is not safetensors', () => {
    const file = path.join(dir, 'bad.safetensors');
    fs.writeFileSync(file, 'hello');
    assert.throws(() => SafetensorsWeightSource.open(file), (e: unknown) => InkwellError.is(e) && e.code === 'model-invalid');
    assert.throws(() => SafetensorsWeightSource.open(path.join(dir, 'none.safetensors')), (e: unknown) => InkwellError.is(e) && e.code === 'model-not-found');
  });
});
