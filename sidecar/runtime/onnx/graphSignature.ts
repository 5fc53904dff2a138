import type * as ort from 'onnxruntime-node';
import { InkwellError } from '../../engine';
import type { DecoderNames } from '../model/genaiConfig';

export type KvType = 'float32' | 'float16';

/** The inputs and outputs Inkwell found in a decoder graph, read from the session itself. */
export interface GraphSignature {
  /** What the graph calls its inputs and logits output; a mask or position input it lacks is undefined. */
  readonly inputIds: string;
  readonly attentionMask: string | undefined;
  readonly positionIds: string | undefined;
  readonly logits: string;
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

/** optimum's and transformers.js' names; onnxruntime-genai folders state theirs in genai_config.json. */
const CONVENTIONAL_NAMES: DecoderNames = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  positionIds: 'position_ids',
  pastKey: (layer) => `past_key_values.${layer}.key`,
  pastValue: (layer) => `past_key_values.${layer}.value`,
  presentKey: (layer) => `present.${layer}.key`,
  presentValue: (layer) => `present.${layer}.value`,
  logits: 'logits',
};

type SessionNames = Pick<ort.InferenceSession, 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'>;

/** `declared`: the names a genai_config.json gives; without it, the conventional ones. */
export function readGraphSignature(session: SessionNames, file: string, declared?: DecoderNames): GraphSignature {
  if (declared) return readDeclared(session, file, declared);
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

  const hiddenStatesOutput = ['last_hidden_state', 'hidden_states'].find((n) => outputs.has(n));
  return {
    ...describe(session, CONVENTIONAL_NAMES, past),
    past,
    newKv,
    hiddenStatesOutput,
  };
}

/** Names from genai_config.json: every one it gives must be in the graph, layer by layer. */
function readDeclared(session: SessionNames, file: string, names: DecoderNames): GraphSignature {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  const missing = (what: string, name: string, have: Iterable<string>) =>
    new InkwellError('model-invalid', `${file}: genai_config.json names ${what} ${name}, which the graph does not have (it has: ${[...have].join(', ')})`, {
      details: { file, field: name },
    });
  for (const name of [names.inputIds, names.attentionMask, names.positionIds]) if (name !== undefined && !inputs.has(name)) throw missing('the input', name, inputs);
  if (!outputs.has(names.logits)) throw missing('the output', names.logits, outputs);
  const past: { input: string; output: string }[] = [];
  for (let layer = 0; inputs.has(names.pastKey(layer)); layer++) {
    for (const [input, output] of [[names.pastKey(layer), names.presentKey(layer)], [names.pastValue(layer), names.presentValue(layer)]] as const) {
      if (!inputs.has(input)) throw missing('the input', input, inputs);
      if (!outputs.has(output)) throw missing('the output', output, outputs);
      past.push({ input, output });
    }
  }
  if (past.length === 0) throw missing('the input', names.pastKey(0), inputs);
  // genai_config.json names no hidden-state output; one the graph has (inkwell dev expose-hidden-states) is used.
  const hiddenStatesOutput = ['last_hidden_state', 'hidden_states'].find((n) => outputs.has(n));
  return { ...describe(session, names, past), past, newKv: undefined, hiddenStatesOutput };
}

function describe(session: SessionNames, names: DecoderNames, past: readonly { input: string }[]) {
  const inputs = new Set(session.inputNames);
  const meta = new Map(session.inputMetadata.map((m) => [m.name, m]));
  const first = meta.get(past[0]!.input);
  const dims = first && first.isTensor ? first.shape : [];
  return {
    inputIds: names.inputIds,
    attentionMask: names.attentionMask !== undefined && inputs.has(names.attentionMask) ? names.attentionMask : undefined,
    positionIds: names.positionIds !== undefined && inputs.has(names.positionIds) ? names.positionIds : undefined,
    logits: names.logits,
    kvType: tensorType(first) ?? 'float32',
    kvHeads: typeof dims[1] === 'number' ? dims[1] : undefined,
    headDim: typeof dims[3] === 'number' ? dims[3] : undefined,
    logitsType: tensorType(session.outputMetadata.find((m) => m.name === names.logits)) ?? ('float32' as KvType),
  };
}

function tensorType(m: ort.InferenceSession.ValueMetadata | undefined): KvType | undefined {
  if (!m || !m.isTensor) return undefined;
  if (m.type === 'float16') return 'float16';
  if (m.type === 'float32') return 'float32';
  return undefined;
}
