import { performance } from 'node:perf_hooks';
import { parseGenerationConfig, type AssistantModel, type AssistedStats, type LanguageModel, type TextTokenizer } from '../../../sidecar/engine';
import { DEFAULT_COMPLETION_OPTIONS } from '../../../sidecar/server/ConfigStore';
import { buildCompletionPrompt } from '../../../sidecar/completion/buildCompletionPrompt';
import { completionGeneration, type CompletionGeneration } from '../../../sidecar/completion/completionConfig';
import { completionContext } from '../../../sidecar/completion/completionContext';
import { healPromptTail, TokenTexts } from '../../../sidecar/completion/healPromptTail';
import { runCompletion } from '../../../sidecar/completion/runCompletion';
import { fimFormat, type FimFormat, type FimOrder } from '../../../sidecar/completion/fimFormat';

/** The server's default prompt budget (inkwell.completions.contextTokens). */
const CONTEXT_TOKENS = DEFAULT_COMPLETION_OPTIONS.contextTokens;

export interface Completer {
  readonly model: LanguageModel;
  readonly tokenizer: TextTokenizer;
  readonly format: FimFormat | undefined;
  /** completionGeneration's answer for the model's generation_config.json (config, prompt budget). */
  readonly generation: CompletionGeneration;
  /** Token healing at a cursor inside a word, as the server does (undefined: off, to measure without it). */
  readonly tokenTexts: TokenTexts | undefined;
}

/**
 * The completion settings the server derives (completionGeneration): the model's
 * generation_config.json, its max_new_tokens or the default, and the FIM format's stop ids added to EOS;
 * the FIM order is the one the model folder declares (inkwell.json `fim.order`), as in the server.
 */
export function makeCompleter(model: LanguageModel, tokenizer: TextTokenizer, generationConfigJson: Record<string, unknown> | undefined, declaredOrder?: FimOrder, tokenHealing = true): Completer {
  const format = fimFormat(tokenizer, declaredOrder);
  const generation = completionGeneration(parseGenerationConfig(generationConfigJson ?? {}).config, {
    tokenizerEos: tokenizer.eosTokenIds,
    format,
    promptLookupTokens: 0,
    contextTokens: CONTEXT_TOKENS,
    maxPositions: model.info.maxPositions,
  });
  return { model, tokenizer, format, generation, tokenTexts: tokenHealing ? new TokenTexts(tokenizer) : undefined };
}

export interface CaseCompletion {
  /** What the editor would show (undefined: nothing). */
  readonly text: string | undefined;
  /** Prompt building + generation, until the line rules end it. */
  readonly ms: number;
  readonly generatedTokens: number;
  readonly promptTokens: number;
  readonly assisted: AssistedStats | undefined;
}

/**
 * One completion of `text` at `cursor`, the way CompletionFeature.complete makes it (same prompt
 * builder, stop ids, early stop by completionIsDone, shaping chain), for a fresh document: no
 * PromptCache and no recent-completion cache, which only help repeated keystrokes.
 * `maxLines` 1 makes every completion single-line (the inkwell.completions.maxLines setting).
 */
export async function completeCase(completer: Completer, text: string, cursor: number, maxLines: number, assistant?: AssistantModel, signal?: AbortSignal): Promise<CaseCompletion> {
  const start = performance.now();
  const context = completionContext(text, cursor, maxLines);
  const prompt = buildCompletionPrompt({ text, cursor, format: completer.format, encode: (t) => completer.tokenizer.encode(t), budget: completer.generation.budget });
  const healing = completer.tokenTexts ? healPromptTail(prompt, completer.tokenTexts) : undefined;
  const run = await runCompletion({
    model: completer.model,
    tokenizer: completer.tokenizer,
    generation: completer.generation,
    promptIds: healing?.ids ?? prompt.ids,
    ...(healing && { healing }),
    context,
    ...(signal && { signal }),
    ...(assistant && { assistant }),
  });
  const ms = performance.now() - start;
  return { text: run.texts[0], ms, generatedTokens: run.result.sequences[0]?.tokenIds.length ?? 0, promptTokens: prompt.ids.length, assisted: run.result.assisted };
}
