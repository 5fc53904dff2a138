import { generate } from '../../engine/generation/generate';
import type { CliOutput } from '../CliOutput';
import { parseFlags } from '../parseFlags';
import { encodePrompt, generationFlags, openModelFromFlags, readFolderFromFlags, resolveConfig, splitSetFlag } from '../prepareGeneration';

export const generateUsage =
  'inkwell generate --model DIR (--prompt TEXT | --prompt-file F | --chat messages.json) [--config F] [--set key=value …] [--seed N] [--dtype auto|fp32|fp16|q4] [--device auto|cuda|webgpu|cpu] [--threads N] [--optimization disabled|basic|extended|all] [--stream] [--json] (both: JSON lines, one per token, then the result)';

/** One generation: text to stdout (streamed with --stream), or a JSON result with --json. */
export async function generateCommand(argv: readonly string[], io: CliOutput, signal: AbortSignal): Promise<number> {
  const { values } = parseFlags('generate', argv, { ...generationFlags, stream: { type: 'boolean' }, json: { type: 'boolean' } });
  const overrides = Object.fromEntries((values.set ?? []).map(splitSetFlag));
  const folder = readFolderFromFlags('generate', values);
  const config = resolveConfig(values, folder, overrides, io);
  const loaded = await openModelFromFlags(folder, values);
  try {
    const prompt = encodePrompt('generate', values, loaded);
    const run = generate(loaded.model, loaded.tokenizer, { prompts: [prompt.ids], config, signal });
    const many = config.doSample && config.numReturnSequences > 1;
    if (values.stream && values.json) {
      // JSON lines: one object per token, then the result (for tools that read a pipe).
      for await (const event of run) {
        if (event.type === 'token') io.out(`${JSON.stringify({ type: 'token', sequence: event.sequence, token_id: event.tokenId, text: event.delta, ...(event.logprob !== undefined ? { logprob: event.logprob } : {}) })}\n`);
        else if (event.type === 'finish') io.out(`${JSON.stringify({ type: 'finish', sequence: event.sequence, finish_reason: event.finishReason, text: event.delta })}\n`);
        else break;
      }
    } else if (values.stream) {
      if (many) io.out('--- sequence 0 ---\n');
      for await (const event of run) {
        if (event.type === 'done') break;
        // Several sequences interleave; streaming prints the first, the rest come at the end.
        if (event.sequence === 0 && event.delta) io.out(event.delta);
      }
    }
    const result = await run.result();
    if (values.json) {
      io.out(
        `${JSON.stringify({
          ...(values.stream ? { type: 'result' } : {}),
          prompt: { text: prompt.text, token_ids: prompt.ids },
          sequences: result.sequences.map((s) => ({
            text: s.text,
            token_ids: s.tokenIds,
            finish_reason: s.finishReason,
            ...(s.logprobs ? { logprobs: s.logprobs } : {}),
          })),
          seed: result.seed,
          timings: result.timings,
          model: { dir: loaded.folder.dir, dtype: loaded.dtype, execution_provider: loaded.model.info.executionProvider },
        }, null, values.stream ? undefined : 2)}\n`,
      );
    } else {
      if (!values.stream) io.out(`${many ? '--- sequence 0 ---\n' : ''}${result.sequences[0]!.text}`);
      if (many) result.sequences.slice(1).forEach((s, i) => io.out(`\n--- sequence ${i + 1} ---\n${s.text}`));
      io.out('\n');
      const t = result.timings;
      io.err(
        `[${result.sequences[0]!.finishReason}] prompt ${t.prefillTokens} tokens, prefill ${t.prefillTokensPerSecond.toFixed(0)} tok/s, ` +
          `first token ${result.sequences[0]!.timings.timeToFirstTokenMs.toFixed(1)} ms, decode ${t.decodeTokensPerSecond.toFixed(1)} tok/s` +
          `${config.doSample ? `, seed ${result.seed}` : ''}; ${loaded.dtype} on ${loaded.model.info.executionProvider}, loaded in ${Math.round(loaded.loadMs)} ms\n`,
      );
    }
    return 0;
  } finally {
    await loaded.model.dispose();
  }
}
