/**
 * A Hugging Face checkpoint of any architecture Inkwell's builder writes (llama, qwen2) through
 * the builder into a model folder with fp32 and q4 graphs, each initializer in an
 * `onnx/<file>.onnx_data` file beside it:
 *
 *   npx tsx test/bench/peers/export_inkwell.ts --checkpoint DIR --out DIR
 *
 * For the Qwen2-shaped bench model. `npm run models -- export` (what make_peer_models.sh uses for
 * the default model) takes only train.py's Llama checkpoints, and writes self-contained .onnx
 * files, which protobuf caps at 2 GB: a 0.5B fp32 graph is right at that limit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkpointWeights } from '../../../models/pipeline/export/checkpointWeights';
import { decoderSpecFromHfConfig } from '../../../sidecar/builder/DecoderSpec';
import { makeModel } from '../../../sidecar/builder/makeModel';

interface AddedToken {
  readonly id: number;
  readonly content: string;
}

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function main(): void {
  const { values } = parseArgs({ options: { checkpoint: { type: 'string' }, out: { type: 'string' } } });
  const { checkpoint, out } = values;
  if (!checkpoint || !out) throw new Error('usage: export_inkwell.ts --checkpoint DIR --out DIR');
  const config = readJson(join(checkpoint, 'config.json'));
  const tokenizerJson = readJson(join(checkpoint, 'tokenizer.json'));
  const tokenizerConfigJson = readJson(join(checkpoint, 'tokenizer_config.json'));
  const added = (tokenizerJson.added_tokens ?? []) as AddedToken[];
  const idOf = (name: unknown): number | undefined => added.find((t) => t.content === name)?.id;
  const eos = idOf(tokenizerConfigJson.eos_token);
  if (eos === undefined) throw new Error(`${checkpoint}: tokenizer_config.json's eos_token ${String(tokenizerConfigJson.eos_token)} is not an added token`);
  if (config.eos_token_id !== eos) throw new Error(`${checkpoint}: config.json's eos_token_id ${String(config.eos_token_id)} is not the tokenizer's EOS ${eos}`);
  const started = performance.now();
  const made = makeModel({
    ...decoderSpecFromHfConfig(config, join(checkpoint, 'config.json')),
    dir: out,
    tokenizer: { tokenizerJson, tokenizerConfigJson },
    specialTokens: { eos, pad: idOf(tokenizerConfigJson.pad_token) ?? eos },
    dtypes: ['fp32', 'q4'],
    externalData: true,
    weights: checkpointWeights(checkpoint),
  });
  process.stdout.write(`exported ${made.spec.modelType} to ${made.dir} in ${((performance.now() - started) / 1000).toFixed(0)} s: ${made.files.join(', ')}\n`);
}

main();
