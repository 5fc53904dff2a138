import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../sidecar/cli/main';
import { generate, mergeConfig, parseGenerationConfig } from '../../../sidecar/engine';
import { loadModel } from '../../../sidecar/runtime/index';
import { conformanceDir } from '../../support/conformanceFixtures';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) }, new AbortController().signal);
  return { code, out, err };
}

const greedy = parseGenerationConfig({ do_sample: false, max_new_tokens: 24 }).config;

/** Greedy tokens of a folder at a dtype, and whether its graph has last_hidden_state. */
async function run(dir: string, dtype: 'fp32' | 'q4', prompt: number[]) {
  const loaded = await loadModel({ dir, dtype, device: 'cpu', inWorker: false });
  try {
    const tokens = (await generate(loaded.model, loaded.tokenizer, { prompts: [prompt], config: mergeConfig(greedy, { eos_token_id: [] }) }).result()).sequences[0]!.tokenIds;
    let contrastive: readonly number[] | undefined;
    if (loaded.model.info.hiddenSize !== undefined) {
      const config = mergeConfig(greedy, { penalty_alpha: 0.6, top_k: 4, eos_token_id: [] });
      contrastive = (await generate(loaded.model, loaded.tokenizer, { prompts: [prompt], config }).result()).sequences[0]!.tokenIds;
    }
    return { tokens, contrastive, hidden: loaded.model.info.hiddenSize };
  } finally {
    await loaded.model.dispose();
  }
}

/**
 * `inkwell dev expose-hidden-states` on real exports (the conformance fixtures): the copy's graph
 * outputs last_hidden_state and computes the same logits (greedy tokens identical), and contrastive
 * search runs on it, for every shape of head the exporters write.
 */
describe('inkwell dev expose-hidden-states', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'inkwell-expose-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const prompt = [5, 17, 42, 99, 7];

  for (const [fixture, dtype, what] of [
    ['llama-optimum', 'q4', 'MatMulNBits head (q4)'],
    ['mistral-optimum', 'fp32', 'weights in onnx/model.onnx_data (external data)'],
    ['granite-optimum', 'fp32', 'logits scaled after the head (logits_scaling)'],
    ['llama-genai-fp32', 'fp32', "onnxruntime-genai's layout (graph at the top, model.onnx.data)"],
  ] as const) {
    it(`${fixture}, ${what}: same greedy tokens, contrastive search runs`, { timeout: 120_000 }, async () => {
      const source = join(conformanceDir, fixture);
      const out = join(scratch, `${fixture}-${dtype}`);
      const made = await cli(['dev', 'expose-hidden-states', '--model', source, '--out', out, '--dtype', dtype]);
      assert.equal(made.code, 0, made.err);
      assert.equal(made.out.trim(), out);
      const before = await run(source, dtype, prompt);
      const after = await run(out, dtype, prompt);
      assert.equal(before.hidden, undefined, 'the export itself has no last_hidden_state');
      assert.ok(after.hidden !== undefined && after.hidden > 0, 'the copy outputs last_hidden_state');
      assert.deepEqual(after.tokens, before.tokens, 'nothing is computed differently');
      assert.equal(after.contrastive?.length, 24);
      if (fixture === 'mistral-optimum') assert.ok(existsSync(join(out, 'onnx', 'model.onnx_data')), 'the external data travels with the graph');
      if (fixture === 'llama-optimum') assert.deepEqual(readdirSync(join(out, 'onnx')), ['model_q4.onnx'], 'only the chosen dtype is copied');
    });
  }

  it('refuses a graph that already has the output, --out equal to the model or not empty, naming the flag', async () => {
    const first = join(scratch, 'twice');
    assert.equal((await cli(['dev', 'expose-hidden-states', '--model', join(conformanceDir, 'gpt2-optimum'), '--out', first, '--dtype', 'fp32'])).code, 0);
    const again = await cli(['dev', 'expose-hidden-states', '--model', first, '--out', join(scratch, 'thrice')]);
    assert.equal(again.code, 2);
    assert.match(again.err, /already outputs last_hidden_state/);
    const same = await cli(['dev', 'expose-hidden-states', '--model', first, '--out', first]);
    assert.equal(same.code, 2);
    assert.match(same.err, /--out must differ/);
    const busy = join(scratch, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'x'), '');
    const notEmpty = await cli(['dev', 'expose-hidden-states', '--model', join(conformanceDir, 'gpt2-optimum'), '--out', busy]);
    assert.equal(notEmpty.code, 2);
    assert.match(notEmpty.err, /exists and is not empty/);
  });

  it('contrastive search on an export without the output names the command as the fix', async () => {
    const loaded = await loadModel({ dir: join(conformanceDir, 'llama-optimum'), dtype: 'fp32', device: 'cpu', inWorker: false });
    try {
      assert.throws(() => generate(loaded.model, loaded.tokenizer, { prompts: [prompt], config: mergeConfig(greedy, { penalty_alpha: 0.6, top_k: 4 }) }), /inkwell dev expose-hidden-states/);
    } finally {
      await loaded.model.dispose();
    }
  });
});
