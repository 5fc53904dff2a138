/**
 * Params and results of Inkwell's own JSON-RPC methods. Plain JSON shapes (snake_case only
 * inside generation configs, which are Hugging Face's generation_config.json format).
 */

/** A generation_config.json object (HF snake_case keys). */
export type GenerationConfigJson = Record<string, unknown>;

export type { ChatMessage } from './chatMessage';
import type { ChatMessage } from './chatMessage';

export type Device = 'auto' | 'cuda' | 'webgpu' | 'cpu';
export type Dtype = 'auto' | 'fp32' | 'fp16' | 'q4' | 'q4f16' | 'int8' | 'uint8' | 'quantized' | 'bnb4';

export type FinishReason = 'eos' | 'length' | 'stop-string' | 'max-time' | 'aborted';

// ---- inkwell/generate -----------------------------------------------------------------------

export interface GenerateParams {
  /** Raw prompt text (encoded as is). Exactly one of prompt / messages. */
  readonly prompt?: string;
  /** Chat messages, rendered with the model's chat template. */
  readonly messages?: readonly ChatMessage[];
  /** Overrides on top of the sidecar's current generation config (HF snake_case keys). */
  readonly config?: GenerationConfigJson;
  /** When set, tokens are streamed as inkwell/generateProgress notifications carrying this id. */
  readonly streamId?: string;
}

export interface GenerateProgress {
  readonly streamId: string;
  readonly sequence: number;
  readonly delta: string;
  readonly tokenId?: number;
  /** Set on the sequence's last notification. */
  readonly finishReason?: FinishReason;
}

export interface GeneratedSequence {
  readonly text: string;
  readonly tokenIds: readonly number[];
  readonly finishReason: FinishReason;
}

export interface GenerationTimings {
  readonly totalMs: number;
  readonly timeToFirstTokenMs: number;
  readonly prefillMs: number;
  readonly prefillTokens: number;
  readonly reusedTokens: number;
  readonly decodeMs: number;
  readonly decodeTokensPerSecond: number;
}

export interface GenerateResult {
  readonly sequences: readonly GeneratedSequence[];
  readonly timings: GenerationTimings;
  readonly seed: number;
  readonly warnings: readonly string[];
  /** When cancelled: tokens the engine produced after the server saw the cancellation. */
  readonly tokensAfterCancel?: number;
  /**
   * Beam modes only: each sequence's score, in the order of `sequences` (best first): the sum of
   * its processed log-probabilities / length ** length_penalty (HF's sequences_scores).
   */
  readonly sequenceScores?: readonly number[];
}

// ---- inkwell/nextTokenDistribution ------------------------------------------------------------

export interface NextTokenDistributionParams {
  readonly prompt?: string;
  readonly messages?: readonly ChatMessage[];
  readonly config?: GenerationConfigJson;
  /** How many tokens to show (1..100, default 12). */
  readonly topN?: number;
}

export interface DistributionStage {
  /** 'raw', then each logits processor's name in the order it applies (e.g. 'temperature', 'top-k'). */
  readonly name: string;
  /** Probability of each of NextTokenDistributionResult.tokens after this stage. */
  readonly probs: readonly number[];
  /** Tokens of the whole vocabulary with non-zero probability after this stage. */
  readonly kept: number;
  /** Entropy of the stage's distribution, in nats. */
  readonly entropy: number;
}

export interface NextTokenDistributionResult {
  readonly tokens: readonly { readonly id: number; readonly text: string }[];
  readonly stages: readonly DistributionStage[];
  /**
   * How the next token is chosen from the last stage: 'greedy' takes the most probable, 'sample'
   * draws from it; the beam modes add these log-probabilities to each beam's score (and their
   * stages are computed on log-probabilities); contrastive search re-ranks the top_k.
   */
  readonly decoding: 'greedy' | 'sample' | 'beam' | 'beam-sample' | 'group-beam' | 'contrastive';
  readonly promptTokens: number;
  readonly forwardMs: number;
  readonly warnings: readonly string[];
}

// ---- configuration ----------------------------------------------------------------------------

/**
 * One generation parameter as the panel's form shows it. The same shape as the engine's
 * ConfigFieldInfo (sidecar/engine/config/configFieldInfo.ts), repeated because this module may not
 * import the engine; ConfigStore.state() assigns one to the other, so the compiler keeps them equal.
 */
export interface ConfigFieldInfo {
  readonly key: string;
  readonly group: 'length' | 'strategy' | 'shaping' | 'penalties' | 'output' | 'tokens' | 'advanced';
  readonly kind: 'integer' | 'number' | 'boolean' | 'string' | 'enum' | 'json';
  readonly default: unknown;
  readonly min?: number;
  readonly max?: number;
  /** Whether min/max themselves are allowed. */
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** Where a slider stops when the allowed range is wider or open (temperature: > 0, slider to 2). */
  readonly sliderMin?: number;
  readonly sliderMax?: number;
  readonly step?: number;
  readonly options?: readonly unknown[];
  /** One line: what the parameter does to the text. */
  readonly help: string;
  /** Only read when sampling (do_sample = true). */
  readonly samplingOnly?: boolean;
}

export interface CompletionOptions {
  readonly enabled: boolean;
  /** Largest number of lines in a multi-line completion. */
  readonly maxLines: number;
  /** Prompt budget in tokens (prefix + suffix). */
  readonly contextTokens: number;
  /** Speculative decoding by prompt lookup: tokens drafted per step by copying from the prompt (0 = off). */
  readonly promptLookupTokens: number;
}

export interface ConfigState {
  /** The effective generation config (HF snake_case, defaults omitted). */
  readonly generation: GenerationConfigJson;
  /**
   * The user's own choices: the keys of the last setConfig whose value differs from the model's
   * generation_config.json (or from HF's default where the model sets none). This, not
   * `generation`, is what a client saves in its settings: it carries no model-specific token ids.
   */
  readonly user: GenerationConfigJson;
  readonly completion: CompletionOptions;
  readonly fields: readonly ConfigFieldInfo[];
  readonly warnings: readonly string[];
}

export interface SetConfigParams {
  /** Replaces the user's generation config (keys absent take the model's or HF's defaults). */
  readonly generation?: GenerationConfigJson;
  readonly completion?: Partial<CompletionOptions>;
}

export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly generation: GenerationConfigJson;
}

export interface PresetsResult {
  readonly presets: readonly Preset[];
}

// ---- model and status -------------------------------------------------------------------------

export interface LoadModelParams {
  /** A model folder (HF / onnx-community layout). */
  readonly dir: string;
  /** A smaller model with the same tokenizer that drafts tokens for speculative decoding. */
  readonly assistantDir?: string;
  readonly dtype?: Dtype;
  readonly device?: Device;
}

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

// ---- inkwell/detectWatermark ---------------------------------------------------------------------

/**
 * Scores a text for the inkwell-wm-v1 watermark with the loaded model's tokenizer. Scheme fields
 * left out take the sidecar's generation config `watermarking_config` (the key Inkwell marks
 * with), else the scheme's defaults (key 15485863, γ 0.25, width 1).
 */
export interface DetectWatermarkParams {
  readonly text: string;
  /** uint32. */
  readonly hashingKey?: number;
  /** γ in (0, 1). */
  readonly greenlistRatio?: number;
  /** h >= 1. */
  readonly contextWidth?: number;
  /** Default 4. */
  readonly zThreshold?: number;
  /** Default 16. */
  readonly minTokens?: number;
  /** Count each distinct (h+1)-gram once (default true: code repeats itself). */
  readonly ignoreRepeatedNgrams?: boolean;
}

export type WatermarkTokenStatus = 'green' | 'red' | 'unscored' | 'repeated';

export interface DetectWatermarkResult {
  readonly verdict: 'watermarked' | 'not-watermarked' | 'too-short';
  readonly scored: number;
  readonly green: number;
  readonly greenFraction: number;
  readonly z: number;
  /** One-sided p-value of z (exact far into the tail; 0 only below ~1e-308). */
  readonly p: number;
  readonly zThreshold: number;
  readonly minTokens: number;
  readonly ignoreRepeatedNgrams: boolean;
  readonly hashingKey: number;
  readonly greenlistRatio: number;
  readonly contextWidth: number;
  /** UTF-16 offsets into params.text of every token with characters of its own, in order. */
  readonly tokens: readonly { readonly start: number; readonly end: number; readonly status: WatermarkTokenStatus }[];
  /** False when the tokenizer does not decode back to the text, so offsets are approximate. */
  readonly spansExact: boolean;
  readonly detectMs: number;
}
