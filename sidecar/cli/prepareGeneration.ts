import { existsSync, readFileSync, statSync } from 'node:fs';
import { InkwellError } from '../engine';
import type { GenerationConfig } from '../engine';
import { mergeConfig } from '../engine';
import { parseGenerationConfig } from '../engine';
import { usableModelDefaults } from '../engine';
import { ChatMessagesSchema } from '../protocol';
import {
  DEVICE_REQUESTS,
  loadModel,
  MODEL_DTYPES,
  readGenerationConfigFile,
  resolveGenerationConfigPath,
  readModelFolder,
  type LoadedModel,
  type ModelFolder,
  type ModelDtype,
} from '../runtime/index';
import type { CliOutput } from './CliOutput';
import { choiceFlag, intFlag, requireFlag } from './parseFlags';

/** Flags shared by generate and sweep. */
export const generationFlags = {
  model: { type: 'string' },
  prompt: { type: 'string' },
  'prompt-file': { type: 'string' },
  chat: { type: 'string' },
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
  seed: { type: 'string' },
  dtype: { type: 'string' },
  device: { type: 'string' },
  threads: { type: 'string' },
  optimization: { type: 'string' },
} as const;

export interface GenerationFlagValues {
  model?: string;
  prompt?: string;
  'prompt-file'?: string;
  chat?: string;
  config?: string;
  set?: string[];
  seed?: string;
  dtype?: string;
  device?: string;
  threads?: string;
  optimization?: string;
}

/** When neither the files nor the flags bound the length, the CLI stops after this many tokens (HF's max_length 20 counts the prompt). */
export const CLI_DEFAULT_MAX_NEW_TOKENS = 128;

/** Reads the model folder named by --model (JSON only: cheap, so flags are checked before the model loads). */
export function readFolderFromFlags(command: string, values: GenerationFlagValues): ModelFolder {
  return readModelFolder(requireFlag(command, 'model', values.model));
}

export async function openModelFromFlags(folder: ModelFolder, values: GenerationFlagValues): Promise<LoadedModel> {
  return loadModel({
    dir: folder.dir,
    folder,
    dtype: choiceFlag<ModelDtype | 'auto'>('dtype', values.dtype, 'auto', ['auto', ...MODEL_DTYPES]),
    device: choiceFlag('device', values.device, 'auto', DEVICE_REQUESTS),
    threads: intFlag('threads', values.threads, 0, 0, 1024),
    optimizationLevel: choiceFlag('optimization', values.optimization, 'all', ['disabled', 'basic', 'extended', 'all'] as const),
  });
}

/** "key=value" → [key, value]; the error names the flag. */
export function splitSetFlag(item: string): [string, string] {
  const eq = item.indexOf('=');
  if (eq <= 0) {
    throw new InkwellError('invalid-argument', `--set ${item}: expected key=value (e.g. --set temperature=0.7)`, { details: { field: 'set', value: item } });
  }
  return [item.slice(0, eq).trim(), item.slice(eq + 1)];
}

/**
 * The config a run uses: the model's generation_config.json (or --config, a path or a named
 * file in the model folder), then --set overrides, then --seed.
 */
export function resolveConfig(
  values: GenerationFlagValues,
  folder: ModelFolder,
  overrides: Record<string, string>,
  io: CliOutput,
  options: { cliDefaults: boolean } = { cliDefaults: true },
): GenerationConfig {
  // Each warning once, whether it comes from the files or from the merged overrides.
  const seen = new Set<string>();
  const warn = (w: string) => {
    if (!seen.has(w)) io.err(`warning: ${w}\n`);
    seen.add(w);
  };
  let base: GenerationConfig;
  let explicitLength = false;
  if (values.config !== undefined) {
    const parsed = readGenerationConfigFile(resolveGenerationConfigPath(values.config, folder.dir));
    parsed.warnings.forEach(warn);
    base = parsed.config;
    explicitLength = parsed.config.maxNewTokens !== undefined || parsed.config.maxLength !== 20;
  } else {
    // The model's own file: a field it gets wrong is left out with a warning, as the sidecar does.
    const usable = usableModelDefaults(folder.generationConfig ?? {});
    usable.warnings.forEach(warn);
    const parsed = parseGenerationConfig(usable.defaults);
    parsed.warnings.forEach(warn);
    base = parsed.config;
    explicitLength = base.maxNewTokens !== undefined || base.maxLength !== 20;
  }
  const all: Record<string, string> = { ...overrides };
  // HF lets max_new_tokens win over max_length; a max_length typed on the command line is meant
  // to bound this run, so it replaces a max_new_tokens inherited from the files.
  if ('max_length' in all && !('max_new_tokens' in all) && base.maxNewTokens !== undefined) {
    all.max_new_tokens = 'null';
    io.err(`note: --set max_length replaces max_new_tokens = ${base.maxNewTokens} from the config file\n`);
  }
  if (values.seed !== undefined) all.seed = values.seed;
  if (options.cliDefaults && !explicitLength && !('max_new_tokens' in all) && !('max_length' in all)) all.max_new_tokens = String(CLI_DEFAULT_MAX_NEW_TOKENS);
  return Object.keys(all).length > 0 ? mergeConfig(base, all, warn) : base;
}

/** Exactly one of --prompt, --prompt-file, --chat, encoded for the model. */
export async function encodePrompt(command: string, values: GenerationFlagValues, loaded: LoadedModel): Promise<{ text: string; ids: number[] }> {
  const given = (['prompt', 'prompt-file', 'chat'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) {
    throw new InkwellError('invalid-argument', `inkwell ${command}: give exactly one of --prompt, --prompt-file, --chat (got ${given.length})`, {
      details: { field: 'prompt' },
    });
  }
  if (values.chat !== undefined) {
    if (!loaded.chatTemplate) {
      throw new InkwellError('invalid-argument', `--chat: the model in ${loaded.folder.dir} has no chat_template (tokenizer_config.json or chat_template.jinja)`, {
        details: { field: 'chat' },
      });
    }
    const raw = readText('chat', values.chat);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (cause) {
      throw new InkwellError('invalid-argument', `--chat ${values.chat} is not valid JSON: ${(cause as Error).message}`, { cause, details: { field: 'chat' } });
    }
    const parsed = ChatMessagesSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InkwellError('invalid-argument', `--chat ${values.chat}: messages${issue.path.map((p) => `[${JSON.stringify(p)}]`).join('')}: ${issue.message} (expected [{"role": "system"|"user"|"assistant"|"tool", "content": string}, …])`, {
        details: { field: 'chat' },
      });
    }
    const text = await loaded.chatTemplate.render(parsed.data, true);
    return { text, ids: loaded.tokenizer.encode(text, { addSpecialTokens: false }) };
  }
  const text = values.prompt ?? readText('prompt-file', values['prompt-file']!);
  if (text.length === 0) throw new InkwellError('invalid-argument', `the prompt is empty`, { details: { field: 'prompt' } });
  return { text, ids: loaded.tokenizer.encode(text, { addSpecialTokens: true }) };
}

function readText(flag: string, path: string): string {
  if (!existsSync(path)) throw new InkwellError('invalid-argument', `--${flag} ${path}: file does not exist`, { details: { field: flag } });
  if (!statSync(path).isFile()) throw new InkwellError('invalid-argument', `--${flag} ${path}: not a file`, { details: { field: flag } });
  return readFileSync(path, 'utf8');
}
