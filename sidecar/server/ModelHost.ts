import { basename } from 'node:path';
import { InkwellError, isAbortError, type AssistantModel, type LanguageModel } from '../engine';
import { abortError } from '../engine';
import type { Device, Dtype, ModelStatus } from '../protocol';
import { hubModelIdOfSnapshot, loadAssistantModel, loadModel, type LoadedModel, type ModelDtype } from '../runtime';
import { ModelScheduler } from './ModelScheduler';
import type { ServerLog } from './ServerLog';

const RECOVERY_INTERVAL_MS = 30_000;

/** The model that serves requests, with its scheduler; replaced as a whole by a new load. */
export interface ServingModel {
  readonly request: LoadRequest;
  readonly loaded: LoadedModel;
  readonly scheduler: ModelScheduler;
  /** The draft model for speculative decoding of completions (own worker), when one is configured and loaded. */
  readonly assistant: (AssistantModel & { readonly loaded: LoadedModel }) | undefined;
  readonly status: ModelStatus;
  /** Aborted when this model is replaced: requests on it stop, the next ones use the new model. */
  readonly retired: AbortSignal;
}

export interface LoadRequest {
  readonly dir: string;
  /** An assistant model folder (same tokenizer) for speculative decoding. */
  readonly assistantDir?: string;
  readonly dtype?: Dtype;
  readonly device?: Device;
}

export type LoadFunction = (request: LoadRequest & { signal: AbortSignal }) => Promise<LoadedModel>;
export type LoadAssistantFunction = (main: LoadedModel, request: LoadRequest & { assistantDir: string }) => Promise<AssistantModel & { readonly loaded: LoadedModel }>;

/** The runtime's loader: a worker thread per model, all cores for onnxruntime. */
export const loadInWorker: LoadFunction = (request) =>
  loadModel({ dir: request.dir, dtype: (request.dtype ?? 'auto') as ModelDtype | 'auto', device: request.device ?? 'auto' });

/** The assistant in a worker of its own, on the main model's device; refused unless it shares the tokenizer. */
export const loadAssistantInWorker: LoadAssistantFunction = (main, request) =>
  loadAssistantModel(main, { dir: request.assistantDir, dtype: 'auto', device: request.device ?? 'auto' });

/**
 * Loads models and keeps the one that serves. A failed load leaves the previous model serving
 * and reports why (lastError). Loads are serialised: a second load waits for the first.
 * The old model is disposed once the requests still running on it have finished.
 */
export class ModelHost {
  private serving: (ServingModel & { retire: AbortController; users: number; disposeWhenIdle: boolean }) | undefined;
  private loadingRequest: LoadRequest | undefined;
  private loadStartedAt = 0;
  private lastErrorValue: InkwellError | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private lastRecovery = 0;
  private disposed = false;

  constructor(
    private readonly load: LoadFunction,
    private readonly onChange: () => void,
    private readonly log: ServerLog,
    private readonly loadAssistant: LoadAssistantFunction = loadAssistantInWorker,
  ) {}

  get current(): ServingModel | undefined {
    return this.serving;
  }

  get loading(): { dir: string; startedAt: number } | undefined {
    return this.loadingRequest ? { dir: this.loadingRequest.dir, startedAt: this.loadStartedAt } : undefined;
  }

  get lastError(): InkwellError | undefined {
    return this.lastErrorValue;
  }

  /** Resolves with the new model, or rejects with the load's InkwellError (the old model still serves). */
  loadModel(request: LoadRequest): Promise<ServingModel> {
    const next = this.chain.then(() => this.doLoad(request));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs `work` on the serving model; counts it as a user so that a replaced model is only
   * disposed when its last request is done.
   */
  async use<T>(work: (model: ServingModel) => Promise<T>): Promise<T | undefined> {
    const serving = this.serving;
    if (!serving) return undefined;
    serving.users++;
    try {
      return await work(serving);
    } catch (error) {
      if (error instanceof InkwellError && error.code === 'worker-crashed') this.recover(serving);
      throw error;
    } finally {
      serving.users--;
      if (serving.disposeWhenIdle && serving.users === 0) void this.disposeServing(serving);
    }
  }

  /**
   * The model's worker thread died (onnxruntime aborted, out of memory …): load the same model
   * again, at most once per RECOVERY_INTERVAL_MS so that a model that kills its worker on every
   * request does not spin. Requests in between fail with worker-crashed.
   */
  private recover(serving: ServingModel): void {
    if (this.serving !== serving || Date.now() - this.lastRecovery < RECOVERY_INTERVAL_MS) return;
    this.lastRecovery = Date.now();
    this.log(`the model worker crashed; loading ${serving.request.dir} again`, 'error');
    this.loadModel(serving.request).catch(() => undefined);
  }

  /** Retires the serving model; a load still running is disposed when it finishes, never served. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const serving = this.serving;
    this.serving = undefined;
    if (serving) {
      serving.retire.abort();
      await this.disposeServing(serving);
    }
  }

  private async doLoad(request: LoadRequest): Promise<ServingModel> {
    if (this.disposed) throw abortError();
    const controller = new AbortController();
    this.loadingRequest = request;
    this.loadStartedAt = Date.now();
    this.onChange();
    this.log(`loading model ${request.dir} (dtype ${request.dtype ?? 'auto'}, device ${request.device ?? 'auto'})`);
    try {
      const loaded = await this.load({ ...request, signal: controller.signal });
      const assistant = await this.assistantFor(loaded, request);
      if (this.disposed) {
        // The client went away while the model loaded: an orphan would hold the model's memory.
        await this.disposeModel(loaded.model);
        if (assistant) await this.disposeModel(assistant.model);
        throw abortError();
      }
      const previous = this.serving;
      const retire = new AbortController();
      const serving = {
        request,
        loaded,
        scheduler: new ModelScheduler(loaded.model),
        assistant,
        status: modelStatus(loaded, assistant?.loaded),
        retired: retire.signal,
        retire,
        users: 0,
        disposeWhenIdle: false,
      };
      this.serving = serving;
      if (!request.assistantDir || assistant) this.lastErrorValue = undefined;
      this.log(`model ready: ${serving.status.name} ${serving.status.dtype} on ${serving.status.executionProvider} in ${Math.round(loaded.loadMs)} ms`);
      if (previous) {
        previous.retire.abort();
        previous.disposeWhenIdle = true;
        if (previous.users === 0) void this.disposeServing(previous);
      }
      return serving;
    } catch (cause) {
      if (isAbortError(cause)) throw cause;
      const error = cause instanceof InkwellError ? cause : new InkwellError('model-invalid', `model ${request.dir} failed to load: ${(cause as Error).message}`, { cause });
      this.lastErrorValue = error;
      this.log(`model ${request.dir} failed to load: ${error.message}${this.serving ? ` (still serving ${this.serving.status.dir})` : ''}`, 'error');
      throw error;
    } finally {
      this.loadingRequest = undefined;
      this.onChange();
    }
  }

  /**
   * A failed assistant does not fail the load: the main model serves without it, and the status
   * reports why (lastError) so the user can fix the folder.
   */
  private async assistantFor(loaded: LoadedModel, request: LoadRequest): Promise<ServingModel['assistant']> {
    if (!request.assistantDir) return undefined;
    try {
      const assistant = await this.loadAssistant(loaded, { ...request, assistantDir: request.assistantDir });
      this.log(`assistant ready: ${basename(request.assistantDir)} (${assistant.loaded.dtype}) drafts for ${basename(loaded.folder.dir)}`);
      return assistant;
    } catch (cause) {
      const error = cause instanceof InkwellError ? cause : new InkwellError('model-invalid', `assistant model ${request.assistantDir} failed to load: ${(cause as Error).message}`, { cause });
      this.lastErrorValue = error;
      this.log(`assistant model ${request.assistantDir} not used: ${error.message}`, 'warn');
      return undefined;
    }
  }

  private async disposeServing(serving: ServingModel): Promise<void> {
    await serving.loaded.tokenizer.dispose().catch(() => undefined);
    await this.disposeModel(serving.loaded.model);
    if (serving.assistant) await this.disposeModel(serving.assistant.model);
  }

  private async disposeModel(model: LanguageModel): Promise<void> {
    try {
      await model.dispose();
    } catch (error) {
      this.log(`disposing a replaced model failed: ${(error as Error).message}`, 'warn');
    }
  }
}

function modelStatus(loaded: LoadedModel, assistant: LoadedModel | undefined): ModelStatus {
  const info = loaded.model.info;
  const added = loaded.folder.tokenizerJson.added_tokens;
  const fim = Array.isArray(added) && added.some((t) => /fim.?prefix|<PRE>|fim▁begin/i.test(String((t as { content?: unknown }).content ?? '')));
  return {
    dir: loaded.folder.dir,
    name: modelName(loaded.folder.dir),
    modelType: info.modelType,
    dtype: info.dtype,
    executionProvider: info.executionProvider,
    vocabSize: info.vocabSize,
    maxPositions: info.maxPositions,
    loadMs: Math.round(loaded.loadMs),
    attempts: loaded.attempts.filter((a) => !a.ok).map((a) => ({ provider: a.provider, ...(a.error !== undefined && { error: a.error }) })),
    fim,
    ...(assistant && { assistant: { dir: assistant.folder.dir, name: modelName(assistant.folder.dir), dtype: assistant.dtype } }),
  };
}

/** What the status shows: `org/name` for a snapshot in the Hub cache (its folder is a commit hash), else the folder's name. */
function modelName(dir: string): string {
  return hubModelIdOfSnapshot(dir) ?? basename(dir);
}
