import { RequestType0 } from 'vscode-languageserver-protocol';

export interface ModelStatus {
  readonly dir: string;
  readonly name: string;
  readonly modelType: string;
  readonly dtype: string;
  readonly executionProvider: string;
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly loadMs: number;
  /** Providers tried before the one that worked, with the reason each failed. */
  readonly attempts: readonly { readonly provider: string; readonly error?: string }[];
  readonly fim: boolean;
  /** The assistant (draft) model completions use for speculative decoding, when one is loaded. */
  readonly assistant?: { readonly dir: string; readonly name: string; readonly dtype: string };
  /**
   * Problems with the model's files that did not stop it from serving, e.g. an invalid
   * generation_config.json (not used: HF's defaults apply). Absent when there are none.
   */
  readonly warnings?: readonly string[];
}

export type SidecarState = 'starting' | 'loading' | 'ready' | 'error';

/** The result of inkwell/status and inkwell/loadModel, and what inkwell/statusChanged carries. */
export interface StatusInfo {
  readonly state: SidecarState;
  readonly model?: ModelStatus;
  /** Why the last load failed (the previous model, if any, keeps serving). */
  readonly error?: { readonly code: string; readonly message: string };
  readonly loading?: { readonly dir: string; readonly stage: string; readonly startedAt: number };
  readonly memory: { readonly rssMb: number; readonly heapUsedMb: number };
  readonly lastTokensPerSecond?: number;
  readonly queue: { readonly running: number; readonly waiting: number };
  readonly completions: {
    readonly requests: number;
    readonly served: number;
    readonly cacheHits: number;
    readonly cancelled: number;
    readonly reusedTokens: number;
    readonly prefillTokens: number;
    /** Tokens generated after the last cancelled completion's cancellation arrived. */
    readonly lastStepsAfterCancel?: number;
    /** Speculative decoding over all completions so far (assistant model or prompt lookup). */
    readonly assisted?: {
      readonly drafted: number;
      readonly accepted: number;
      readonly acceptanceRate: number;
      readonly tokensPerMainForward: number;
    };
  };
}

export const statusRequest = new RequestType0<StatusInfo, void>('inkwell/status');
