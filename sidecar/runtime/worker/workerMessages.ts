import type { InkwellErrorCode } from '../../engine';
import type { ForwardInput, KvCache, ModelInfo } from '../../engine';
import type { SharedFloatsRef } from './SharedFloats';
import type { ModelDtype } from '../model/modelFolder';
import type { ProviderAttempt } from '../session/createSession';
import type { OpenModelOptions } from '../onnx/openOnnxModel';

/** Requests the main thread sends to the model worker, each answered by one WorkerReply with the same id. */
export type WorkerRequest =
  | { readonly id: number; readonly op: 'open'; readonly options: OpenModelOptions }
  | { readonly id: number; readonly op: 'createCache'; readonly batch: number }
  | { readonly id: number; readonly op: 'forward'; readonly cache: KvCache; readonly input: ForwardInput }
  | { readonly id: number; readonly op: 'cropCache'; readonly cache: KvCache; readonly length: number }
  | { readonly id: number; readonly op: 'selectCacheRows'; readonly cache: KvCache; readonly rows: readonly number[] }
  | { readonly id: number; readonly op: 'releaseCache'; readonly cache: KvCache }
  | { readonly id: number; readonly op: 'dispose' }
  /** Handled on arrival, not queued, and never answered: aborts request `target` at its next chunk boundary. */
  | { readonly id: number; readonly op: 'abort'; readonly target: number };

export interface OpenedReply {
  readonly info: ModelInfo;
  readonly dtype: ModelDtype;
  readonly file: string;
  readonly attempts: readonly ProviderAttempt[];
  readonly loadMs: number;
  readonly warnings: readonly string[];
}

export interface SerializedError {
  readonly name: string;
  readonly code: InkwellErrorCode | undefined;
  readonly message: string;
  readonly details: Record<string, unknown> | undefined;
}

/** A forward's result: the arrays themselves stay in shared memory (see SharedFloats). */
export interface ForwardReply {
  readonly cache: KvCache;
  readonly logits: SharedFloatsRef;
  readonly hiddenStates: SharedFloatsRef | undefined;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: OpenedReply | KvCache | ForwardReply | null }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };
