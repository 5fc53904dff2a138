import type * as ort from 'onnxruntime-node';
import { InkwellError } from '../../engine';

export type KvType = 'float32' | 'float16';

/** The inputs and outputs Inkwell found in a decoder graph, read from the session itself. */
export interface GraphSignature {
  readonly hasAttentionMask: boolean;
  readonly hasPositionIds: boolean;
  /** past_key_values.N.key / .value input names in layer order, paired with their present outputs. */
  readonly past: readonly { readonly input: string; readonly output: string }[];
  /**
   * new_key_values.N.key/value outputs (this step's entries alone), in the same order as `past`,
   * when the graph has them for every layer: the cache can then stay in place (SlotKvStore).
   */
  readonly newKv: readonly string[] | undefined;
  readonly kvType: KvType;
  /** Fixed dims of the cache [kvHeads, headDim] when the graph states them. */
  readonly kvHeads: number | undefined;
  readonly headDim: number | undefined;
  readonly logitsType: KvType;
  readonly hiddenStatesOutput: string | undefined;
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

export function readGraphSignature(session: ort.InferenceSession, file: string): GraphSignature {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  const missing = (what: string, name: string, have: Iterable<string>) =>
    new InkwellError('model-invalid', `${file}: the graph has no ${what} named ${name} (it has: ${[...have].join(', ')})`, {
      details: { file, field: name },
    });
  if (!inputs.has('input_ids')) throw missing('input', 'input_ids', inputs);
  if (!outputs.has('logits')) throw missing('output', 'logits', outputs);

  const pastNames = session.inputNames
    .map((name) => ({ name, m: PAST.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => Number(a.m[1]) - Number(b.m[1]) || a.m[2]!.localeCompare(b.m[2]!));
  if (pastNames.length === 0) {
    throw new InkwellError(
      'model-invalid',
      `${file}: the graph has no past_key_values.N.key/value inputs; Inkwell needs a decoder exported with its KV cache ("with past")`,
      { details: { file } },
    );
  }
  const past = pastNames.map(({ name, m }) => {
    const output = `present.${m[1]}.${m[2]}`;
    if (!outputs.has(output)) throw missing('output', output, outputs);
    return { input: name, output };
  });

  const newKvNames = past.map((p) => p.output.replace(/^present\./, 'new_key_values.'));
  const newKv = newKvNames.every((n) => outputs.has(n)) ? newKvNames : undefined;

  const meta = new Map(session.inputMetadata.map((m) => [m.name, m]));
  const first = meta.get(past[0]!.input);
  const kvType = tensorType(first) ?? 'float32';
  const dims = first && first.isTensor ? first.shape : [];
  const logitsMeta = session.outputMetadata.find((m) => m.name === 'logits');
  const hiddenStatesOutput = ['last_hidden_state', 'hidden_states'].find((n) => outputs.has(n));
  return {
    hasAttentionMask: inputs.has('attention_mask'),
    hasPositionIds: inputs.has('position_ids'),
    past,
    newKv,
    kvType,
    kvHeads: typeof dims[1] === 'number' ? dims[1] : undefined,
    headDim: typeof dims[3] === 'number' ? dims[3] : undefined,
    logitsType: tensorType(logitsMeta) ?? 'float32',
    hiddenStatesOutput,
  };
}

function tensorType(m: ort.InferenceSession.ValueMetadata | undefined): KvType | undefined {
  if (!m || !m.isTensor) return undefined;
  if (m.type === 'float16') return 'float16';
  if (m.type === 'float32') return 'float32';
  return undefined;
}
