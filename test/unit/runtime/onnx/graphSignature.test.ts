import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as ort from 'onnxruntime-node';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { parseGenaiConfig } from '../../../../sidecar/runtime/model/genaiConfig';
import { readGraphSignature } from '../../../../sidecar/runtime/onnx/graphSignature';

/** What readGraphSignature reads of a session: names and metadata, as onnxruntime-node lists them. */
function session(inputs: Record<string, readonly (number | string)[]>, outputs: readonly string[]) {
  const tensor = (name: string, shape: readonly (number | string)[]) =>
    ({ name, isTensor: true, type: name.includes('ids') || name.includes('mask') ? 'int64' : 'float32', shape }) as ort.InferenceSession.ValueMetadata;
  return {
    inputNames: Object.keys(inputs),
    outputNames: [...outputs],
    inputMetadata: Object.entries(inputs).map(([n, s]) => tensor(n, s)),
    outputMetadata: outputs.map((n) => tensor(n, ['batch', 'seq', 8])),
  };
}

/** A genai_config.json whose decoder names differ from optimum's (the builder takes them from its own tables). */
function genaiConfig(inputs: Record<string, string>, outputs: Record<string, string>) {
  return {
    model: {
      type: 'llama', vocab_size: 8, context_length: 64, eos_token_id: 1,
      decoder: { filename: 'model.onnx', head_size: 4, hidden_size: 8, num_attention_heads: 2, num_hidden_layers: 1, num_key_value_heads: 1, inputs, outputs },
    },
  };
}

describe('readGraphSignature with the names genai_config.json declares', () => {
  const graph = session(
    { tokens: ['b', 's'], mask: ['b', 't'], 'cache.0.k': ['b', 1, 'p', 4], 'cache.0.v': ['b', 1, 'p', 4] },
    ['scores', 'next.0.k', 'next.0.v'],
  );
  const { names } = parseGenaiConfig(
    genaiConfig(
      { input_ids: 'tokens', attention_mask: 'mask', past_key_names: 'cache.%d.k', past_value_names: 'cache.%d.v' },
      { logits: 'scores', present_key_names: 'next.%d.k', present_value_names: 'next.%d.v' },
    ),
    'genai_config.json',
  );

  it('feeds and fetches by those names', () => {
    const signature = readGraphSignature(graph, 'model.onnx', names);
    assert.equal(signature.inputIds, 'tokens');
    assert.equal(signature.attentionMask, 'mask');
    assert.equal(signature.positionIds, undefined);
    assert.equal(signature.logits, 'scores');
    assert.deepEqual(signature.past, [
      { input: 'cache.0.k', output: 'next.0.k' },
      { input: 'cache.0.v', output: 'next.0.v' },
    ]);
    assert.equal(signature.kvHeads, 1);
    assert.equal(signature.headDim, 4);
  });

  it('without them the same graph is refused (it has no input_ids)', () => {
    assert.throws(() => readGraphSignature(graph, 'model.onnx'), (e: unknown) => InkwellError.is(e) && /no input named input_ids/.test(e.message));
  });

  it('a declared name the graph lacks is an error naming genai_config.json and the name', () => {
    const { names: wrong } = parseGenaiConfig(
      genaiConfig(
        { input_ids: 'tokens', attention_mask: 'mask', past_key_names: 'cache.%d.k', past_value_names: 'cache.%d.v' },
        { logits: 'scores', present_key_names: 'present.%d.key', present_value_names: 'next.%d.v' },
      ),
      'genai_config.json',
    );
    assert.throws(
      () => readGraphSignature(graph, 'model.onnx', wrong),
      (e: unknown) => InkwellError.is(e) && e.code === 'model-invalid' && /genai_config.json names the output present.0.key/.test(e.message),
    );
  });
});
