import { InkwellError } from '../../engine/InkwellError';
import { readModelFolder, selectOnnxFile, type ModelDtype } from '../model/modelFolder';
import { createSession, type ProviderAttempt, type SessionOptions } from '../session/createSession';
import { readGraphSignature } from './graphSignature';
import { OnnxCausalLM, type KvStrategy } from './OnnxCausalLM';

export interface OpenModelOptions extends SessionOptions {
  readonly dir: string;
  readonly dtype: ModelDtype | 'auto';
  /** How past key/values are kept between steps (tests compare both strategies). */
  readonly kvCache?: KvStrategy;
}

export interface OpenedOnnxModel {
  readonly model: OnnxCausalLM;
  readonly dtype: ModelDtype;
  readonly file: string;
  readonly attempts: readonly ProviderAttempt[];
  readonly loadMs: number;
}

/** Loads a model folder's onnx file into a session on the best available provider (in this thread). */
export async function openOnnxModel(options: OpenModelOptions): Promise<OpenedOnnxModel> {
  const started = performance.now();
  const folder = readModelFolder(options.dir);
  const { dtype, path } = selectOnnxFile(folder, options.dtype);
  const { session, provider, attempts } = await createSession(path, options);
  try {
    const signature = readGraphSignature(session, path);
    const logitsMeta = session.outputMetadata.find((m) => m.name === 'logits');
    const width = logitsMeta && logitsMeta.isTensor ? logitsMeta.shape[2] : undefined;
    const vocabSize = typeof width === 'number' ? width : folder.architecture.vocabSize;
    if (typeof width === 'number' && width !== folder.architecture.vocabSize) {
      throw new InkwellError(
        'model-invalid',
        `${path}: logits width ${width} differs from config.json vocab_size ${folder.architecture.vocabSize}`,
        { details: { file: path, field: 'vocab_size' } },
      );
    }
    const model = new OnnxCausalLM(session, signature, folder.architecture, {
      vocabSize,
      maxPositions: folder.architecture.maxPositions,
      dtype,
      executionProvider: provider,
    }, options.kvCache ?? 'auto');
    return { model, dtype, file: path, attempts, loadMs: performance.now() - started };
  } catch (e) {
    await session.release();
    throw e;
  }
}
