import { InkwellError } from '../engine';
import type { LanguageModel } from '../engine';
import { readModelFolder, type ModelDtype, type ModelFolder } from './model/modelFolder';
import { openOnnxModel, type OpenModelOptions } from './onnx/openOnnxModel';
import type { KvStrategy } from './onnx/OnnxCausalLM';
import type { ProviderAttempt, SessionOptions } from './session/createSession';
import { DEFAULT_SESSION_OPTIONS } from './session/createSession';
import { ChatTemplate } from './tokenizer/ChatTemplate';
import { HfTokenizer } from './tokenizer/HfTokenizer';
import { WorkerLanguageModel } from './worker/WorkerLanguageModel';

export interface LoadModelOptions extends Partial<SessionOptions> {
  readonly dir: string;
  readonly dtype?: ModelDtype | 'auto';
  /** Run onnxruntime in a worker thread (default). In-thread is for tests and benchmarks. */
  readonly inWorker?: boolean;
  /** 'auto' keeps the KV cache in place when the graph allows it; 'concat' always round-trips present. */
  readonly kvCache?: KvStrategy;
  /** The folder already read by readModelFolder(dir), to avoid reading it twice. */
  readonly folder?: ModelFolder;
}

export interface LoadedModel {
  readonly model: LanguageModel;
  readonly tokenizer: HfTokenizer;
  readonly chatTemplate: ChatTemplate | undefined;
  readonly folder: ModelFolder;
  readonly dtype: ModelDtype;
  readonly file: string;
  readonly attempts: readonly ProviderAttempt[];
  readonly loadMs: number;
  /** Problems that did not stop the load, one line each (e.g. fewer positions than config.json says). */
  readonly warnings: readonly string[];
}

/** Reads a model folder, its tokenizer and chat template, and opens its onnx graph. */
export async function loadModel(options: LoadModelOptions): Promise<LoadedModel> {
  const folder = options.folder ?? readModelFolder(options.dir);
  const eosFromFiles = [folder.generationConfig?.eos_token_id, folder.config.eos_token_id].flatMap((v) =>
    typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [],
  );
  const tokenizer = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig, eosFromFiles);
  const chatTemplate = ChatTemplate.fromTokenizerConfig(folder.tokenizerConfig, folder.chatTemplateFile);
  const openOptions: OpenModelOptions = {
    ...DEFAULT_SESSION_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'folder' && k !== 'inWorker')),
    dir: folder.dir,
    dtype: options.dtype ?? 'auto',
  };
  let model: LanguageModel;
  let report: { dtype: ModelDtype; file: string; attempts: readonly ProviderAttempt[]; loadMs: number; warnings: readonly string[] };
  if (options.inWorker === false) {
    const opened = await openOnnxModel(openOptions);
    model = opened.model;
    report = opened;
  } else {
    const worker = await WorkerLanguageModel.open(openOptions);
    model = worker;
    report = worker.opened;
  }
  if (tokenizer.vocabSize > model.info.vocabSize) {
    await model.dispose();
    throw new InkwellError(
      'tokenizer-invalid',
      `tokenizer.json has ${tokenizer.vocabSize} tokens but the model's logits are only ${model.info.vocabSize} wide (config.json vocab_size); the tokenizer does not belong to this model`,
      { details: { file: 'tokenizer.json', field: 'vocab_size', tokenizer: tokenizer.vocabSize, logits: model.info.vocabSize } },
    );
  }
  return { model, tokenizer, chatTemplate, folder, ...report };
}
