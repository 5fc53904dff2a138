import type { Feature, FeatureRoutes } from '../Feature';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type InlineCompletionList, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { z } from 'zod';
import { PromptCache, type GenerationConfig, type LanguageModel } from '../../engine';
import { completionGeneration, type CompletionGeneration } from '../../completion/completionConfig';
import type { InvalidParamsData } from '../../protocol';
import { buildCompletionPrompt } from '../../completion/buildCompletionPrompt';
import { CompletionCache } from '../../completion/CompletionCache';
import { completionContext } from '../../completion/completionContext';
import type { CompletionContext } from '../../completion/completionShape';
import { healPromptTail, TokenTexts } from '../../completion/healPromptTail';
import { runCompletion } from '../../completion/runCompletion';
import { fimFormat, type FimFormat } from '../../completion/fimFormat';
import type { CompletionStats } from '../CompletionStats';
import type { ConfigStore } from '../ConfigStore';
import { linkSignals } from '../linkSignals';
import type { ModelHost, ServingModel } from '../ModelHost';

/** Completions generate at most this many tokens unless the config says otherwise. */
/** Documents whose KV cache is kept (most recently completed first). */
const KEPT_DOCUMENTS = 4;

const paramsSchema = z.looseObject({
  textDocument: z.looseObject({ uri: z.string() }),
  position: z.looseObject({ line: z.number().int().min(0), character: z.number().int().min(0) }),
});

interface DocumentState {
  readonly model: LanguageModel;
  readonly promptCache: PromptCache;
  windowStart: number | undefined;
}

export interface CompletionHooks {
  readonly onFinished: (tokensPerSecond: number) => void;
  readonly onChange: () => void;
  readonly log: (line: string) => void;
  /** Reuse each document's KV cache between requests (off only to measure what it saves). */
  readonly promptCache: boolean;
}

/**
 * textDocument/inlineCompletion.
 *
 * - The prompt is fill-in-the-middle when the tokenizer has FIM markers (buildCompletionPrompt),
 *   within the context budget; its window start is kept per document so that consecutive
 *   keystrokes produce prompts with a long common token prefix.
 * - Each document keeps a KV cache (PromptCache) of its last prompt and completion: the next
 *   request prefills only the tokens after the shared prefix.
 * - An LRU of recent completions answers without the model when the user types the characters
 *   the completion predicted.
 * - Pre-emption: a new completion request aborts the running one (the engine stops at its next
 *   step); `$/cancelRequest` does the same for its own request. Completions run in the
 *   scheduler's 'completion' lane and hold it, so playground generations pause meanwhile.
 * - Generation stops as soon as every sequence is complete by the line rules (completionIsDone),
 *   not at max_new_tokens.
 */
export class CompletionFeature implements Feature {
  private readonly documents = new Map<string, DocumentState>();
  private readonly recent = new CompletionCache();
  private readonly formats = new WeakMap<LanguageModel, FimFormat | null>();
  private readonly tokenTexts = new WeakMap<ServingModel['loaded']['tokenizer'], TokenTexts>();
  private readonly configs = new WeakMap<GenerationConfig, { model: LanguageModel; lookup: number; contextTokens: number; generation: CompletionGeneration }>();
  private active: AbortController | undefined;

  constructor(
    private readonly host: ModelHost,
    private readonly config: ConfigStore,
    private readonly openDocuments: TextDocuments<TextDocument>,
    private readonly stats: CompletionStats,
    private readonly hooks: CompletionHooks,
  ) {}

  routes(on: FeatureRoutes): void {
    on.inlineCompletion((params, token) => this.handle(params, token));
  }

  async handle(rawParams: unknown, token: CancellationToken): Promise<InlineCompletionList> {
    const parsed = paramsSchema.safeParse(rawParams);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new ResponseError<InvalidParamsData>(ErrorCodes.InvalidParams, `invalid params: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
    }
    const { textDocument, position } = parsed.data;
    this.stats.requests++;
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'completion cancelled');
    if (!this.config.completion.enabled) return { items: [] };
    const document = this.openDocuments.get(textDocument.uri);
    if (!document) {
      throw new ResponseError<InvalidParamsData>(ErrorCodes.InvalidParams, `textDocument.uri: ${textDocument.uri} is not open (send textDocument/didOpen first)`, {
        issues: [{ path: 'textDocument.uri', message: 'document is not open' }],
      });
    }
    const text = document.getText();
    const cursor = document.offsetAt(position);
    const context = completionContext(text, cursor, this.config.completion.maxLines);
    const prefix = text.slice(0, cursor);

    const known = this.recent.get(textDocument.uri, prefix, context.lineSuffix);
    if (known && known.length > 0) {
      this.stats.cacheHits++;
      this.stats.served++;
      this.hooks.onChange();
      return { items: known.map((insertText) => ({ insertText, range: { start: position, end: position } })) };
    }

    // A newer request pre-empts the running one.
    this.active?.abort();
    const mine = new AbortController();
    this.active = mine;
    try {
      const texts = await this.host.use((serving) => this.complete(serving, textDocument.uri, text, cursor, context, token, mine.signal));
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'completion cancelled');
      if (texts === undefined || mine.signal.aborted) return { items: [] };
      this.recent.put({ uri: textDocument.uri, prefix, suffix: context.lineSuffix }, texts);
      if (texts.length > 0) this.stats.served++;
      return { items: texts.map((insertText) => ({ insertText, range: { start: position, end: position } })) };
    } finally {
      if (this.active === mine) this.active = undefined;
      this.hooks.onChange();
    }
  }

  forgetDocument(uri: string): void {
    const state = this.documents.get(uri);
    this.documents.delete(uri);
    this.recent.clear(uri);
    if (state) state.promptCache.dispose().catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.active?.abort();
    const states = [...this.documents.values()];
    this.documents.clear();
    await Promise.all(states.map((s) => s.promptCache.dispose()));
  }

  private async complete(
    serving: ServingModel,
    uri: string,
    text: string,
    cursor: number,
    context: CompletionContext,
    token: CancellationToken,
    preempted: AbortSignal,
  ): Promise<string[]> {
    const release = serving.scheduler.hold();
    const link = linkSignals(token, preempted, serving.retired);
    try {
      const { loaded } = serving;
      const format = this.formatOf(loaded);
      const { config, returns, budget, stepwise } = this.completionConfig(serving, format);
      const state = this.documentState(uri, serving);
      const prompt = buildCompletionPrompt({
        text,
        cursor,
        format,
        encode: (t) => loaded.tokenizer.encode(t),
        budget,
        ...(state.windowStart !== undefined && { previousWindowStart: state.windowStart }),
      });
      state.windowStart = prompt.windowStart;
      const healing = healPromptTail(prompt, this.tokenTextsOf(loaded.tokenizer));
      if (link.signal.aborted) return [];

      // Speculative decoding (one sequence, greedy or sampling): the assistant drafts, or prompt
      // lookup does when configured; the output is what plain decoding gives.
      // KV reuse and drafting need one sequence from a one-token-at-a-time loop (not beams).
      const assistant = stepwise ? serving.assistant : undefined;
      const run = await runCompletion({
        model: serving.scheduler.lane('completion'),
        tokenizer: loaded.tokenizer,
        generation: { config, returns, budget, stepwise },
        promptIds: healing.ids,
        healing,
        context,
        signal: link.signal,
        ...(stepwise && this.hooks.promptCache && { promptCache: state.promptCache }),
        ...(assistant && { assistant }),
      });
      const { result } = run;
      this.stats.prefillTokens += result.timings.prefillTokens;
      this.stats.reusedTokens += result.timings.reusedTokens;
      if (result.assisted) this.stats.addAssisted(result.assisted);
      if (run.stepsAfterCancel !== undefined) {
        this.stats.cancelled++;
        this.stats.lastStepsAfterCancel = run.stepsAfterCancel;
      }
      if (result.timings.decodeSteps > 0) this.hooks.onFinished(result.timings.decodeTokensPerSecond);
      return [...run.texts];
    } finally {
      link.dispose();
      release();
    }
  }

  /**
   * Makes what completions need of a newly loaded model ahead of its first keystroke: token
   * healing's sorted token texts take one decode per id (~0.75 s for Qwen's 151,646 ids, measured),
   * which belongs to the load, not to the first completion.
   */
  prepare(loaded: ServingModel['loaded']): void {
    this.tokenTextsOf(loaded.tokenizer);
  }

  /** The vocabulary's token texts for token healing, made once per tokenizer (prepare, else the first completion). */
  private tokenTextsOf(tokenizer: ServingModel['loaded']['tokenizer']): TokenTexts {
    let texts = this.tokenTexts.get(tokenizer);
    if (texts === undefined) {
      texts = new TokenTexts(tokenizer);
      this.tokenTexts.set(tokenizer, texts);
    }
    return texts;
  }

  /** The FIM format of a model's tokenizer, in the order its folder declares (inkwell.json), memoised per model. */
  private formatOf({ model, tokenizer, folder }: ServingModel['loaded']): FimFormat | undefined {
    let format = this.formats.get(model);
    if (format === undefined) {
      const declaredOrder = folder.inkwell.fim?.order;
      format = fimFormat(tokenizer, declaredOrder) ?? null;
      this.formats.set(model, format);
    }
    return format ?? undefined;
  }

  /** The completion generation for the user's config (completionGeneration), memoised per config, model and options. */
  private completionConfig(serving: ServingModel, format: FimFormat | undefined): CompletionGeneration {
    const base = this.config.config;
    const { promptLookupTokens, contextTokens } = this.config.completion;
    const memo = this.configs.get(base);
    if (memo && memo.model === serving.loaded.model && memo.lookup === promptLookupTokens && memo.contextTokens === contextTokens) return memo.generation;
    const generation = completionGeneration(base, {
      tokenizerEos: serving.loaded.tokenizer.eosTokenIds,
      format,
      promptLookupTokens,
      contextTokens,
      maxPositions: serving.loaded.model.info.maxPositions,
    });
    this.configs.set(base, { model: serving.loaded.model, lookup: promptLookupTokens, contextTokens, generation });
    return generation;
  }

  private documentState(uri: string, serving: ServingModel): DocumentState {
    let state = this.documents.get(uri);
    if (state && state.model !== serving.loaded.model) {
      state.promptCache.dispose().catch(() => undefined);
      state = undefined;
    }
    if (!state) state = { model: serving.loaded.model, promptCache: new PromptCache(serving.scheduler.lane('completion')), windowStart: undefined };
    this.documents.delete(uri);
    this.documents.set(uri, state);
    while (this.documents.size > KEPT_DOCUMENTS) {
      const [oldUri, old] = this.documents.entries().next().value!;
      this.documents.delete(oldUri);
      old.promptCache.dispose().catch(() => undefined);
    }
    return state;
  }
}
