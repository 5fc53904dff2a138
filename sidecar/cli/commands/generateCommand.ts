import { resolve } from 'node:path';
import { isBeamMode } from '../../engine';
import { mergeConfig } from '../../engine';
import { generate } from '../../engine';
import { sequenceScoresOf } from '../../engine';
import { DEVICE_REQUESTS, MODEL_DTYPES, type ModelDtype } from '../../runtime/index';
import { loadAssistantModel } from '../../runtime/loadAssistantModel';
import type { CliOutput } from '../CliOutput';
import { choiceFlag, parseFlags } from '../parseFlags';
import { encodePrompt, generationFlags, openModelFromFlags, readFolderFromFlags, resolveConfig, splitSetFlag } from '../prepareGeneration';

export const generateUsage =
  'inkwell generate --model DIR (--prompt TEXT | --prompt-file F | --chat messages.json) [--config F] [--set key=value …] [--seed N] [--dtype auto|fp32|fp16|q4] [--device auto|cuda|webgpu|cpu] [--threads N] [--optimization disabled|basic|extended|all] [--assistant DIR] [--stream] [--json] (both: JSON lines, one per token, then the result)';

/** One generation: text to stdout (streamed with --stream), or a JSON result with --json. */
export async function generateCommand(argv: readonly string[], io: CliOutput, signal: AbortSignal): Promise<number> {
  const { values } = parseFlags('generate', argv, { ...generationFlags, assistant: { type: 'string' }, stream: { type: 'boolean' }, json: { type: 'boolean' } });
  const overrides = Object.fromEntries((values.set ?? []).map(splitSetFlag));
  const folder = readFolderFromFlags('generate', values);
  // --assistant (relative to the working directory) names the draft model; so may the config's
  // assistant_model (relative to the main model's folder).
  const assistantDir = values.assistant !== undefined ? resolve(values.assistant) : undefined;
  let config = resolveConfig(values, folder, assistantDir !== undefined ? { ...overrides, assistant_model: assistantDir } : overrides, io);
  const loaded = await openModelFromFlags(folder, values);
  let assistant: Awaited<ReturnType<typeof loadAssistantModel>> | undefined;
  try {
    if (config.assistantModel !== undefined) {
      const dir = resolve(folder.dir, config.assistantModel);
      // The same execution provider as the main model; the dtype flag applies to both.
      const device = DEVICE_REQUESTS.find((d) => d === loaded.model.info.executionProvider) ?? 'auto';
      assistant = await loadAssistantModel(loaded, { dir, dtype: choiceFlag<ModelDtype | 'auto'>('dtype', values.dtype, 'auto', ['auto', ...MODEL_DTYPES]), device });
      config = mergeConfig(config, { assistant_model: dir });
    }
    const prompt = await encodePrompt('generate', values, loaded);
    const run = generate(loaded.model, loaded.tokenizer, { prompts: [prompt.ids], config, signal, ...(assistant && { assistant }) });
    // Sampling and beam search can return several sequences per prompt.
    const many = config.numReturnSequences > 1;
    if (values.stream && isBeamMode(config.mode)) {
      // A beam's tokens can be dropped at any later step: nothing is shown before it is final.
      io.err(`generate: ${config.mode} search streams each sequence once the search has ended (a beam's text can still change until then)\n`);
    }
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
    const scores = sequenceScoresOf(result);
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
          // HF's sequences_scores, one per sequence (beam modes only).
          ...(scores && { sequence_scores: scores }),
          seed: result.seed,
          timings: result.timings,
          ...(result.assisted && {
            assisted: {
              drafted: result.assisted.drafted,
              accepted: result.assisted.accepted,
              acceptance_rate: result.assisted.acceptanceRate,
              main_forwards: result.assisted.mainForwards,
              tokens_per_main_forward: result.assisted.tokensPerMainForward,
            },
          }),
          model: { dir: loaded.folder.dir, dtype: loaded.dtype, execution_provider: loaded.model.info.executionProvider },
        }, null, values.stream ? undefined : 2)}\n`,
      );
    } else {
      if (!values.stream) io.out(`${many ? '--- sequence 0 ---\n' : ''}${result.sequences[0]!.text}`);
      if (many) result.sequences.slice(1).forEach((s, i) => io.out(`\n--- sequence ${i + 1} ---\n${s.text}`));
      io.out('\n');
      scores?.forEach((score, i) => io.err(`sequence ${i}: score ${score.toFixed(4)} (sum of log-probabilities / length ** length_penalty)\n`));
      const t = result.timings;
      io.err(
        `[${result.sequences[0]!.finishReason}] prompt ${t.prefillTokens} tokens, prefill ${t.prefillTokensPerSecond.toFixed(0)} tok/s, ` +
          `first token ${result.sequences[0]!.timings.timeToFirstTokenMs.toFixed(1)} ms, decode ${t.decodeTokensPerSecond.toFixed(1)} tok/s` +
          `${config.doSample ? `, seed ${result.seed}` : ''}` +
          `${result.assisted ? `; assisted: ${result.assisted.accepted}/${result.assisted.drafted} drafted tokens accepted, ${result.assisted.tokensPerMainForward.toFixed(2)} tokens per main forward` : ''}; ${loaded.dtype} on ${loaded.model.info.executionProvider}, loaded in ${Math.round(loaded.loadMs)} ms\n`,
      );
    }
    return 0;
  } finally {
    await assistant?.model.dispose();
    await loaded.model.dispose();
  }
}
