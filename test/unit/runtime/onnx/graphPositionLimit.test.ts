import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { DataType, GraphBuilder, MS_DOMAIN, type ValueInfo } from '../../../../sidecar/builder/onnx/GraphBuilder';
import { splitExternalData } from '../../../../sidecar/builder/onnx/splitExternalData';
import { graphPositionLimit, POSITION_OPS } from '../../../../sidecar/runtime/onnx/graphPositionLimit';
import { readGraphOutline } from '../../../../sidecar/runtime/onnx/readGraphOutline';

// config.json's max_position_embeddings was trusted even when the graph's own
// position table (GPT-2's wpe, a rotary cos/sin cache) is smaller. These graphs only need to be
// read, not run: each is the shape an exporter writes around such a table.

const scratch = mkdtempSync(join(tmpdir(), 'inkwell-outline-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;

const table = (rows: number, cols = 4) => new Float32Array(rows * cols);
const ids: ValueInfo = { name: 'input_ids', type: DataType.INT64, dims: ['batch', 'seq'] };
const positionIds: ValueInfo = { name: 'position_ids', type: DataType.INT64, dims: ['batch', 'seq'] };
const out: ValueInfo = { name: 'logits', type: DataType.FLOAT, dims: ['batch', 'seq', 4] };

function write(b: GraphBuilder, inputs: readonly ValueInfo[], external = false): string {
  const file = join(scratch, `g${serial++}.onnx`);
  let model = b.toModel(inputs, [out], 'test');
  if (external) {
    const split = splitExternalData(model, `${serial}.onnx_data`);
    model = split.model;
  }
  writeFileSync(file, onnx.ModelProto.encode(model).finish());
  return file;
}

const limitOf = (file: string) => graphPositionLimit(readGraphOutline(file, POSITION_OPS));

describe('graphPositionLimit', () => {
  it("GPT-2: the learned position table gathered by position_ids (optimum's export)", () => {
    const b = new GraphBuilder();
    b.tensor('transformer.wte.weight', DataType.FLOAT, [1000, 4], table(1000));
    b.tensor('transformer.wpe.weight', DataType.FLOAT, [64, 4], table(64));
    b.op('Add', [b.op('Gather', ['transformer.wte.weight', 'input_ids']), b.op('Gather', ['transformer.wpe.weight', 'position_ids'])], {}, 'logits');
    assert.deepEqual(limitOf(write(b, [ids, positionIds])), { positions: 64, table: 'transformer.wpe.weight' });
  });

  it('a position table found by its name when the positions are computed in the graph', () => {
    const b = new GraphBuilder();
    b.tensor('transformer.wpe.weight', DataType.FLOAT, [96, 4], table(96));
    b.op('Gather', ['transformer.wpe.weight', b.op('CumSum', ['input_ids', b.int64([1], [])])], {}, 'logits');
    assert.deepEqual(limitOf(write(b, [ids])), { positions: 96, table: 'transformer.wpe.weight' });
  });

  it('GroupQueryAttention and RotaryEmbedding cos caches; the smallest table wins', () => {
    const b = new GraphBuilder();
    b.tensor('cos_cache', DataType.FLOAT, [256, 4], table(256));
    b.tensor('sin_cache', DataType.FLOAT, [256, 4], table(256));
    b.tensor('small_cos', DataType.FLOAT, [200, 4], table(200));
    const gqa = b.node('GroupQueryAttention', ['q', 'k', 'v', 'pk', 'pv', 'seqlens', 'total', 'cos_cache', 'sin_cache'], {}, { domain: MS_DOMAIN, outputCount: 3 })[0]!;
    b.node('RotaryEmbedding', [gqa, 'position_ids', 'small_cos', 'sin_cache'], {}, { domain: MS_DOMAIN, outputs: ['logits'] });
    assert.deepEqual(limitOf(write(b, [ids, positionIds])), { positions: 200, table: 'small_cos' });
  });

  it('a cos cache held by a Constant node, and one fed as a graph input of fixed size', () => {
    const b = new GraphBuilder();
    b.nodes.push({
      opType: 'Constant',
      output: ['cos_const'],
      attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { name: 'c', dataType: DataType.FLOAT, dims: [300, 4], rawData: new Uint8Array(table(300).buffer) } }],
    });
    b.node('RotaryEmbedding', ['input_ids', 'position_ids', 'cos_const', 'cos_const'], {}, { domain: MS_DOMAIN, outputs: ['r1'] });
    b.node('RotaryEmbedding', ['r1', 'position_ids', 'fed_cos', 'fed_cos'], {}, { domain: MS_DOMAIN, outputs: ['logits'] });
    const fed = (rows: number | string): ValueInfo => ({ name: 'fed_cos', type: DataType.FLOAT, dims: [rows, 4] });
    assert.deepEqual(limitOf(write(b, [ids, positionIds, fed(400)])), { positions: 300, table: 'cos_const' });
    assert.deepEqual(limitOf(write(b, [ids, positionIds, fed(150)])), { positions: 150, table: 'fed_cos' });
    assert.deepEqual(limitOf(write(b, [ids, positionIds, fed('max_positions')])), { positions: 300, table: 'cos_const' });
  });

  it("ONNX's own RotaryEmbedding reads cos_cache by position only when it has position_ids", () => {
    const b = new GraphBuilder();
    b.tensor('cos_cache', DataType.FLOAT, [128, 4], table(128));
    b.node('RotaryEmbedding', ['input_ids', 'cos_cache', 'cos_cache'], {}, { outputs: ['logits'] });
    assert.equal(limitOf(write(b, [ids])), undefined);
    b.node('RotaryEmbedding', ['input_ids', 'cos_cache', 'cos_cache', 'position_ids'], {}, { outputs: ['other'] });
    assert.deepEqual(limitOf(write(b, [ids, positionIds])), { positions: 128, table: 'cos_cache' });
  });

  it('no table: token embeddings and computed rotary angles say nothing about positions', () => {
    const b = new GraphBuilder();
    b.tensor('model.embed_tokens.weight', DataType.FLOAT, [1000, 4], table(1000));
    b.tensor('inv_freq', DataType.FLOAT, [2], new Float32Array(2));
    b.op('Mul', [b.op('Gather', ['model.embed_tokens.weight', 'input_ids']), b.op('Cos', [b.op('Mul', ['position_ids', 'inv_freq'])])], {}, 'logits');
    assert.equal(limitOf(write(b, [ids, positionIds])), undefined);
  });

  it('reads shapes and data locations of external-data initializers without their bytes', () => {
    const b = new GraphBuilder();
    b.tensor('transformer.wpe.weight', DataType.FLOAT, [2048, 4], table(2048));
    b.op('Gather', ['transformer.wpe.weight', 'position_ids'], {}, 'logits');
    const file = write(b, [ids, positionIds], true);
    const outline = readGraphOutline(file, POSITION_OPS);
    assert.deepEqual([...outline.externalData], [`${serial}.onnx_data`]);
    assert.deepEqual(graphPositionLimit(outline), { positions: 2048, table: 'transformer.wpe.weight' });
  });

  it('a truncated file throws instead of reading past its end', () => {
    const b = new GraphBuilder();
    b.tensor('transformer.wpe.weight', DataType.FLOAT, [64, 4], table(64));
    b.op('Gather', ['transformer.wpe.weight', 'position_ids'], {}, 'logits');
    const file = write(b, [ids, positionIds]);
    truncateSync(file, 100);
    assert.throws(() => readGraphOutline(file, POSITION_OPS));
  });
});
