import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { DEVICE_REQUESTS, loadModel, MODEL_DTYPES, type ModelDtype } from '../../runtime/index';
import type { CliOutput } from '../CliOutput';
import { choiceFlag, parseFlags, requireFlag } from '../parseFlags';

export const inspectUsage = 'inkwell inspect --model DIR [--dtype auto|fp32|fp16|q4|…] [--device auto|cuda|webgpu|cpu] [--json]';

/** Prints what a model folder holds and how it loads: architecture, graph, provider, tokenizer. */
export async function inspectCommand(argv: readonly string[], io: CliOutput): Promise<number> {
  const { values } = parseFlags('inspect', argv, {
    model: { type: 'string' },
    dtype: { type: 'string' },
    device: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = requireFlag('inspect', 'model', values.model);
  const dtype = choiceFlag<ModelDtype | 'auto'>('dtype', values.dtype, 'auto', ['auto', ...MODEL_DTYPES]);
  const device = choiceFlag('device', values.device, 'auto', DEVICE_REQUESTS);
  const loaded = await loadModel({ dir, dtype, device, inWorker: false });
  try {
    const { folder, tokenizer } = loaded;
    const files = Object.entries(folder.onnxFiles).map(([d, path]) => ({
      dtype: d,
      file: relative(folder.dir, path),
      bytes: statSync(path).size,
    }));
    const special = ['eos_token', 'bos_token', 'pad_token'].map((k) => [k, folder.tokenizerConfig[k]]);
    const fim = ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'].filter((t) => tokenizer.tokenToId(t) !== undefined);
    const report = {
      dir: folder.dir,
      architecture: folder.architecture,
      variants: files,
      loaded: { dtype: loaded.dtype, file: relative(folder.dir, loaded.file), loadMs: Math.round(loaded.loadMs) },
      executionProvider: loaded.model.info.executionProvider,
      providerAttempts: loaded.attempts,
      logitsWidth: loaded.model.info.vocabSize,
      maxPositions: loaded.model.info.maxPositions,
      warnings: loaded.warnings,
      hiddenStatesOutput: loaded.model.info.hiddenSize !== undefined,
      tokenizer: {
        vocabSize: tokenizer.vocabSize,
        eosTokenIds: tokenizer.eosTokenIds,
        specialTokens: Object.fromEntries(special),
        fimTokens: fim,
        chatTemplate: loaded.chatTemplate !== undefined,
      },
      generationConfig: folder.generationConfig ?? null,
    };
    if (values.json) {
      io.out(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const a = folder.architecture;
    const lines = [
      `model        ${folder.dir}`,
      `type         ${a.modelType}: ${a.numLayers} layers, hidden ${a.hiddenSize}, ${a.numHeads} heads (${a.numKvHeads} kv), head_dim ${a.headDim}, vocab ${a.vocabSize}, ${a.maxPositions} positions`,
      `variants     ${files.map((f) => `${f.dtype} (${f.file}, ${(f.bytes / 1e6).toFixed(1)} MB)`).join(', ')}`,
      `loaded       ${loaded.dtype} on ${loaded.model.info.executionProvider} in ${Math.round(loaded.loadMs)} ms`,
      `providers    ${loaded.attempts.map((t) => (t.ok ? `${t.provider}: ok` : `${t.provider}: ${t.error}`)).join(' | ')}`,
      `tokenizer    ${tokenizer.vocabSize} tokens, eos ${JSON.stringify(tokenizer.eosTokenIds)}, FIM ${fim.length === 3 ? 'yes' : 'no'}, chat template ${loaded.chatTemplate ? 'yes' : 'no'}`,
      `generation   ${folder.generationConfig ? JSON.stringify(folder.generationConfig) : '(no generation_config.json)'}`,
      ...loaded.warnings.map((w) => `warning      ${w}`),
    ];
    io.out(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await loaded.model.dispose();
  }
}
