import { RequestType0 } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import type { GenerationConfigJson } from '../generationConfigJson';

/** How inline completions run; inkwell/setConfig and initializationOptions take any part of it. */
export const completionOptionsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Largest number of lines in a multi-line completion. */
  maxLines: z.number().int().min(1).max(200),
  /** Prompt budget in tokens (prefix + suffix). */
  contextTokens: z.number().int().min(16).max(32768),
  /** Speculative decoding by prompt lookup: tokens drafted per step by copying from the prompt (0 = off). */
  promptLookupTokens: z.number().int().min(0).max(64),
});

export type CompletionOptions = Readonly<z.infer<typeof completionOptionsSchema>>;

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

/** The result of inkwell/getConfig and inkwell/setConfig. */
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

export const getConfigRequest = new RequestType0<ConfigState, void>('inkwell/getConfig');
