import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type {
  ConfigState,
  DetectWatermarkParams,
  DetectWatermarkResult,
  GenerateParams,
  GenerateProgress,
  GenerateResult,
  LoadModelParams,
  NextTokenDistributionParams,
  NextTokenDistributionResult,
  PresetsResult,
  SetConfigParams,
  StatusInfo,
} from './types';

/**
 * Every Inkwell request and notification, typed. Completions use the standard LSP 3.18
 * `textDocument/inlineCompletion`; these are the rest. Call them through these objects
 * (`client.sendRequest(InkwellRequests.generate, params)`), never by method string.
 */
export const InkwellRequests = {
  /** Generate from a prompt or chat messages; streams inkwell/generateProgress when params.streamId is set. */
  generate: new RequestType<GenerateParams, GenerateResult, void>('inkwell/generate'),
  /** Top-N next tokens and their probability after each logits-processor stage. */
  nextTokenDistribution: new RequestType<NextTokenDistributionParams, NextTokenDistributionResult, void>('inkwell/nextTokenDistribution'),
  getConfig: new RequestType0<ConfigState, void>('inkwell/getConfig'),
  /** Validates with the same schema as generation_config.json; an invalid field is an InvalidParams error naming it. */
  setConfig: new RequestType<SetConfigParams, ConfigState, void>('inkwell/setConfig'),
  presets: new RequestType0<PresetsResult, void>('inkwell/presets'),
  /** Loads a model folder; on failure the previous model keeps serving and the status says why. */
  loadModel: new RequestType<LoadModelParams, StatusInfo, void>('inkwell/loadModel'),
  status: new RequestType0<StatusInfo, void>('inkwell/status'),
  /** Scores a text for the inkwell-wm-v1 watermark: verdict, z, p and each token's span and colour. */
  detectWatermark: new RequestType<DetectWatermarkParams, DetectWatermarkResult, void>('inkwell/detectWatermark'),
} as const;

export const InkwellNotifications = {
  /** Server → client: the status changed (load progress, model, queue, last tokens/s). */
  status: new NotificationType<StatusInfo>('inkwell/statusChanged'),
  /** Server → client: streamed tokens of an inkwell/generate request. */
  generateProgress: new NotificationType<GenerateProgress>('inkwell/generateProgress'),
} as const;

/** initializationOptions the client passes in `initialize`. */
export interface InitializationOptions {
  readonly modelDir?: string;
  /** An assistant (draft) model folder for speculative decoding of completions. */
  readonly assistantModelDir?: string;
  readonly device?: import('./types').Device;
  readonly dtype?: import('./types').Dtype;
  readonly generation?: import('./types').GenerationConfigJson;
  readonly completion?: Partial<import('./types').CompletionOptions>;
}
