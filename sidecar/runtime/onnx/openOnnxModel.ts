import { basename } from 'node:path';
import { InkwellError } from '../../engine';
import type { ModelArchitecture } from '../model/modelArchitecture';
import { readModelFolder, selectOnnxFile, type ModelDtype } from '../model/modelFolder';
import { createSession, type ProviderAttempt, type SessionOptions } from '../session/createSession';
import { checkOnnxFile } from './checkOnnxFile';
import type { GraphPositionLimit } from './graphPositionLimit';
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
  /** What did not stop the model from loading but the user should know (e.g. fewer positions than config.json says). */
  readonly warnings: readonly string[];
}

/** Loads a model folder's onnx file into a session on the best available provider (in this thread). */
export async function openOnnxModel(options: OpenModelOptions): Promise<OpenedOnnxModel> {
  const started = performance.now();
  const folder = readModelFolder(options.dir);
  const { dtype, path } = selectOnnxFile(folder, options.dtype);
  const { positionLimit, groupQueryAttention } = checkOnnxFile(path);
  const positions = usablePositions(folder.architecture, positionLimit, path);
  const { session, provider, attempts } = await createSession(path, options);
  try {
    const signature = readGraphSignature(session, path, folder.genai?.names);
    const logitsMeta = session.outputMetadata.find((m) => m.name === signature.logits);
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
      maxPositions: positions.maxPositions,
      dtype,
      executionProvider: provider,
    }, options.kvCache ?? 'auto', groupQueryAttention);
    return { model, dtype, file: path, attempts, loadMs: performance.now() - started, warnings: positions.warnings };
  } catch (e) {
    await session.release();
    throw e;
  }
}

/**
 * config.json's position count, unless the graph's own position table is smaller: generating
 * past the table would index outside it, so the smaller wins and a warning says why.
 */
function usablePositions(architecture: ModelArchitecture, limit: GraphPositionLimit | undefined, file: string): { maxPositions: number; warnings: string[] } {
  const configured = architecture.maxPositions;
  if (!limit || limit.positions >= configured) return { maxPositions: configured, warnings: [] };
  return {
    maxPositions: limit.positions,
    warnings: [
      `config.json says ${configured} positions (max_position_embeddings / n_positions), but ${basename(file)}'s ${limit.table} holds only ${limit.positions}: using ${limit.positions}`,
    ],
  };
}
