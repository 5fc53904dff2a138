import { configFieldInfo, mergeConfig, parseGenerationConfig, serializeGenerationConfig, usableModelDefaults, type GenerationConfig } from '../engine';
import type { CompletionOptions, ConfigState, GenerationConfigJson } from '../protocol';

export const DEFAULT_COMPLETION_OPTIONS: CompletionOptions = { enabled: true, maxLines: 8, contextTokens: 1024, promptLookupTokens: 0 };

/**
 * The sidecar's generation config: the model's generation_config.json, overlaid with the
 * user's settings (the extension's inkwell.generationConfig). Every change is validated as a
 * whole before it replaces the current value, so a bad field never half-applies.
 */
export class ConfigStore {
  private modelDefaults: GenerationConfigJson = {};
  private user: GenerationConfigJson = {};
  private current: { config: GenerationConfig; warnings: readonly string[] };
  private completionOptions: CompletionOptions = DEFAULT_COMPLETION_OPTIONS;
  private modelProblems: readonly string[] = [];

  constructor(user: GenerationConfigJson = {}, completion: Partial<CompletionOptions> = {}) {
    this.current = parseGenerationConfig({});
    this.setUser(user);
    this.setCompletion(completion);
  }

  get config(): GenerationConfig {
    return this.current.config;
  }

  get completion(): CompletionOptions {
    return this.completionOptions;
  }

  /**
   * A new model brings its own generation_config.json; the user's overlay is kept and
   * re-validated on top (a token id beyond the vocabulary is checked later, per request). A field
   * of the file that is invalid is left out (usableModelDefaults) — HF's default stands in, and
   * modelWarnings (shown in the status and in getConfig's warnings) says why — so the model still
   * serves. Throws, and
   * changes nothing, when the user's settings do not fit the new model's defaults.
   */
  setModelDefaults(json: GenerationConfigJson | undefined): void {
    const { defaults, warnings } = usableModelDefaults(stripBookkeeping(json ?? {}));
    this.current = parseGenerationConfig({ ...defaults, ...this.user });
    this.modelDefaults = defaults;
    this.modelProblems = warnings;
  }

  /** Why the model's generation_config.json is not used, if it is not. */
  get modelWarnings(): readonly string[] {
    return this.modelProblems;
  }

  /**
   * Replaces the user's overlay; throws InkwellError('invalid-config') naming the field. Keys
   * that only repeat a default (the model's, else HF's) are not kept: a client that sends the
   * whole effective config back (the panel does) must not freeze the model's token ids or
   * defaults into the user's settings.
   */
  setUser(json: GenerationConfigJson): void {
    const parsed = parseGenerationConfig({ ...this.modelDefaults, ...json });
    this.user = Object.fromEntries(Object.entries(json).filter(([key, value]) => !this.isDefault(key, value)));
    this.current = parsed;
  }

  private isDefault(key: string, value: unknown): boolean {
    if (Object.hasOwn(this.modelDefaults, key)) return sameJson(this.modelDefaults[key], value);
    if (value === null || value === undefined) return true;
    try {
      // HF's default for this key: serializing omits it.
      return !Object.hasOwn(serializeGenerationConfig(parseGenerationConfig({ [key]: value }).config), key);
    } catch {
      return false; // valid only together with other keys: keep it
    }
  }

  setCompletion(options: Partial<CompletionOptions>): void {
    this.completionOptions = { ...this.completionOptions, ...options };
  }

  /** The current config with one request's overrides (unknown keys are errors there). */
  forRequest(overrides: GenerationConfigJson | undefined, onWarning?: (line: string) => void): GenerationConfig {
    if (!overrides || Object.keys(overrides).length === 0) return this.current.config;
    return mergeConfig(this.current.config, overrides, onWarning);
  }

  state(): ConfigState {
    return {
      generation: serializeGenerationConfig(this.current.config) as GenerationConfigJson,
      user: { ...this.user },
      completion: this.completionOptions,
      fields: configFieldInfo,
      warnings: [...this.modelProblems, ...this.current.warnings],
    };
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function stripBookkeeping(json: GenerationConfigJson): GenerationConfigJson {
  const { transformers_version: _v, _from_model_config: _f, ...rest } = json;
  return rest;
}
