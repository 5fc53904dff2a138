import { generate, type AllowedTokens, type AssistantModel, type GenerationResult, type LanguageModel, type PromptCache, type TextTokenizer } from '../engine';
import type { CompletionGeneration } from './completionConfig';
import { completionIsDone, shapeCompletion, type CompletionContext } from './completionShape';

export interface CompletionRunInput {
  readonly model: LanguageModel;
  readonly tokenizer: TextTokenizer;
  readonly generation: CompletionGeneration;
  /** buildCompletionPrompt's ids. */
  readonly promptIds: readonly number[];
  readonly context: CompletionContext;
  readonly signal?: AbortSignal;
  /** KV reuse across keystrokes (stepwise modes only: see CompletionGeneration.stepwise). */
  readonly promptCache?: PromptCache;
  /** Speculative decoding's drafter (stepwise modes only). */
  readonly assistant?: AssistantModel;
  /** Token healing (healPromptTail): the text cut from the prompt, which every sequence starts with and which is cut from it again. */
  readonly healing?: { readonly healed: string; readonly allowedTokens: AllowedTokens | undefined };
}

export interface CompletionRunOutput {
  /** What the editor shows: each sequence shaped by the line rules, empty ones dropped, duplicates once. */
  readonly texts: readonly string[];
  readonly result: GenerationResult;
  /** Every sequence ended (by the line rules, EOS or length) before any cancellation. */
  readonly complete: boolean;
  /** Token events the run still delivered after `signal` aborted it (undefined: it was not aborted). */
  readonly stepsAfterCancel: number | undefined;
}

/**
 * One completion at the cursor: generate from the prompt, stop as soon as every sequence is
 * complete by the line rules (a stop that is not a cancellation), then shape. A run cancelled
 * before it was complete gives no texts. The server's CompletionFeature and the model evaluation
 * (models/pipeline/eval) both complete through this loop.
 */
export async function runCompletion(input: CompletionRunInput): Promise<CompletionRunOutput> {
  const { generation, context, signal } = input;
  const run = generate(input.model, input.tokenizer, {
    prompts: [[...input.promptIds]],
    config: generation.config,
    ...(signal && { signal }),
    ...(input.promptCache && { promptCache: input.promptCache }),
    ...(input.assistant && { assistant: input.assistant }),
    ...(input.healing?.allowedTokens && { allowedTokens: input.healing.allowedTokens }),
  });
  const healed = input.healing?.healed ?? '';
  // What the editor would insert: the generated text less the healed word start (none until it is all there).
  const atCursor = (raw: string) => (raw.length <= healed.length ? '' : raw.slice(healed.length));
  const sofar = Array.from({ length: generation.returns }, () => '');
  const done = new Array<boolean>(generation.returns).fill(false);
  let atCancel: number | undefined;
  const onCancel = () => (atCancel = run.tokenEvents);
  signal?.addEventListener('abort', onCancel, { once: true });
  let finishedEarly = false;
  try {
    for await (const event of run) {
      if (event.type === 'done') continue;
      sofar[event.sequence] += event.delta;
      if (event.type === 'finish') done[event.sequence] = true;
      else if (!done[event.sequence] && completionIsDone(atCursor(sofar[event.sequence]!), context)) done[event.sequence] = true;
      if (done.every(Boolean) && !finishedEarly) {
        finishedEarly = true;
        signal?.removeEventListener('abort', onCancel);
        run.abort();
      }
    }
  } finally {
    signal?.removeEventListener('abort', onCancel);
  }
  const result = await run.result();
  const complete = done.every(Boolean);
  const stepsAfterCancel = atCancel === undefined ? undefined : run.tokenEvents - atCancel;
  if (signal?.aborted && !complete) return { texts: [], result, complete, stepsAfterCancel };
  const shaped = sofar.map((t) => shapeCompletion(atCursor(t), context)).filter((t): t is string => t !== undefined);
  return { texts: [...new Set(shaped)], result, complete, stepsAfterCancel };
}
