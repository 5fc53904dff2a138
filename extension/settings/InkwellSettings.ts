import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { CompletionOptions, Device, GenerationConfigJson, InitializationOptions } from '../../sidecar/protocol';

/**
 * The `inkwell.*` settings, decoded once into an immutable value. No vscode import: the caller
 * passes a getter over `workspace.getConfiguration('inkwell')`, so this file is unit-testable.
 * The ranges match package.json's contributes.configuration; a value outside them (VS Code only
 * warns in the settings editor) falls back to the default and is reported in `problems`.
 */
export const SETTINGS_SECTION = 'inkwell';

export const SettingKeys = {
  modelFolder: 'modelFolder',
  assistantModelFolder: 'assistantModelFolder',
  device: 'device',
  completionsEnabled: 'completions.enabled',
  debounceMs: 'completions.debounceMs',
  maxLines: 'completions.maxLines',
  contextTokens: 'completions.contextTokens',
  promptLookupTokens: 'completions.promptLookupTokens',
  generationConfig: 'generationConfig',
  watermarkEnabled: 'watermark.enabled',
  watermarkKey: 'watermark.key',
} as const;

export interface InkwellSettings {
  /** '' = the model bundled with the extension. */
  readonly modelFolder: string;
  /** '' = no assistant (speculative decoding off unless prompt lookup is on). */
  readonly assistantModelFolder: string;
  readonly device: Device;
  readonly completions: CompletionOptions & { readonly debounceMs: number };
  readonly generationConfig: GenerationConfigJson;
  /** Marks what Inkwell generates with the inkwell-wm-v1 watermark under this key. */
  readonly watermark: { readonly enabled: boolean; readonly key: number };
}

export const DEFAULT_SETTINGS: InkwellSettings = Object.freeze({
  modelFolder: '',
  assistantModelFolder: '',
  device: 'auto',
  completions: Object.freeze({ enabled: true, debounceMs: 150, maxLines: 8, contextTokens: 1024, promptLookupTokens: 0 }),
  generationConfig: Object.freeze({}),
  watermark: Object.freeze({ enabled: false, key: 15485863 }),
});

const fields = {
  modelFolder: z.string().transform((s) => s.trim()),
  device: z.enum(['auto', 'cuda', 'webgpu', 'cpu']),
  completionsEnabled: z.boolean(),
  debounceMs: z.number().int().min(0).max(2000),
  maxLines: z.number().int().min(1).max(200),
  contextTokens: z.number().int().min(64).max(32768),
  promptLookupTokens: z.number().int().min(0).max(64),
  generationConfig: z.record(z.string(), z.unknown()),
  watermarkEnabled: z.boolean(),
  watermarkKey: z.number().int().min(0).max(0xffff_ffff),
};

export interface DecodedSettings {
  readonly settings: InkwellSettings;
  /** One line per setting that was ignored, naming it and why. */
  readonly problems: readonly string[];
}

/** `get(key)` returns the effective value of `inkwell.<key>` (undefined when unset). */
export function decodeSettings(get: (key: string) => unknown): DecodedSettings {
  const problems: string[] = [];
  function read<T>(name: keyof typeof SettingKeys, schema: z.ZodType<T>, fallback: T): T {
    const raw = get(SettingKeys[name]);
    if (raw === undefined || raw === null) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`${SETTINGS_SECTION}.${SettingKeys[name]}: ${parsed.error.issues[0]?.message ?? 'invalid'} (using ${JSON.stringify(fallback)})`);
    return fallback;
  }
  const d = DEFAULT_SETTINGS;
  const settings: InkwellSettings = Object.freeze({
    modelFolder: read('modelFolder', fields.modelFolder, d.modelFolder),
    assistantModelFolder: read('assistantModelFolder', fields.modelFolder, d.assistantModelFolder),
    device: read('device', fields.device, d.device),
    completions: Object.freeze({
      enabled: read('completionsEnabled', fields.completionsEnabled, d.completions.enabled),
      debounceMs: read('debounceMs', fields.debounceMs, d.completions.debounceMs),
      maxLines: read('maxLines', fields.maxLines, d.completions.maxLines),
      contextTokens: read('contextTokens', fields.contextTokens, d.completions.contextTokens),
      promptLookupTokens: read('promptLookupTokens', fields.promptLookupTokens, d.completions.promptLookupTokens),
    }),
    generationConfig: Object.freeze({ ...read('generationConfig', fields.generationConfig, d.generationConfig) }),
    watermark: Object.freeze({
      enabled: read('watermarkEnabled', fields.watermarkEnabled, d.watermark.enabled),
      key: read('watermarkKey', fields.watermarkKey, d.watermark.key),
    }),
  });
  return { settings, problems };
}

/** `org/name` or `org/name@revision`: a Hugging Face Hub model, which the sidecar finds in the Hub cache. */
export const HUB_MODEL_ID = /^[\w.-]+\/[\w.-]+(@[\w.\-/]+)?$/;

/**
 * The model to load: the setting when given (a relative path is taken from the first workspace
 * folder; a Hub model id such as `onnx-community/Qwen2.5-Coder-0.5B-Instruct` that is not a
 * folder there goes to the sidecar as it is), else the bundled default, models/default.
 */
export function resolveModelDir(
  modelFolder: string,
  extensionPath: string,
  options: { readonly workspaceFolder?: string; readonly exists?: (path: string) => boolean } = {},
): string {
  if (modelFolder !== '') {
    if (isAbsolute(modelFolder) || !options.workspaceFolder) return modelFolder;
    const inWorkspace = join(options.workspaceFolder, modelFolder);
    if (HUB_MODEL_ID.test(modelFolder) && !(options.exists ?? existsSync)(inWorkspace)) return modelFolder;
    return inWorkspace;
  }
  return join(extensionPath, 'models', 'default');
}

/** What the sidecar's completion options are, from the settings (debounce stays client-side). */
export function completionOptions(settings: InkwellSettings): CompletionOptions {
  const { enabled, maxLines, contextTokens, promptLookupTokens } = settings.completions;
  return { enabled, maxLines, contextTokens, promptLookupTokens };
}

export function toInitializationOptions(settings: InkwellSettings, modelDir: string, assistantDir?: string): InitializationOptions {
  return {
    modelDir,
    ...(assistantDir && { assistantModelDir: assistantDir }),
    device: settings.device,
    generation: sidecarGeneration(settings),
    completion: completionOptions(settings),
  };
}

/**
 * The generation config the sidecar gets: the user's, plus the watermark when inkwell.watermark
 * is on — that setting owns `watermarking_config` then (the panel never saves it into
 * inkwell.generationConfig, see withoutManagedKeys), so turning it off really turns it off.
 */
export function sidecarGeneration(settings: InkwellSettings): GenerationConfigJson {
  if (!settings.watermark.enabled) return settings.generationConfig;
  return {
    ...settings.generationConfig,
    watermarking_config: { seeding_scheme: 'inkwell-wm-v1', hashing_key: settings.watermark.key },
  };
}

/** What may be saved into inkwell.generationConfig: not the keys another setting owns. */
export function withoutManagedKeys(settings: InkwellSettings, config: GenerationConfigJson): GenerationConfigJson {
  if (!settings.watermark.enabled) return config;
  const { watermarking_config: _owned, ...rest } = config;
  return rest;
}
