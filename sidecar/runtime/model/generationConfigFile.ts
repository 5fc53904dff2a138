import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InkwellError } from '../../engine';
import type { GenerationConfig } from '../../engine';
import { parseGenerationConfig, type ParsedGenerationConfig } from '../../engine';
import { serializeGenerationConfig } from '../../engine';
import { MODEL_FILE_LIMITS, readModelJson, statModelPath } from './readModelFile';

/**
 * Where a config named on the command line lives: a path as given, or — like HF's
 * GenerationConfig.from_pretrained(dir, config_file_name) — a named file inside the model folder.
 */
export function resolveGenerationConfigPath(nameOrPath: string, modelDir: string | undefined): string {
  if (isAbsolute(nameOrPath) || existsSync(nameOrPath) || modelDir === undefined) return nameOrPath;
  const named = join(modelDir, nameOrPath.endsWith('.json') ? nameOrPath : `${nameOrPath}.json`);
  return existsSync(named) ? named : nameOrPath;
}

/** Reads and validates a generation_config.json; errors name the file and the field. */
export function readGenerationConfigFile(path: string): ParsedGenerationConfig {
  const stats = statModelPath(path);
  if (stats === undefined) {
    throw new InkwellError('invalid-argument', `generation config file ${path} does not exist`, { details: { file: path } });
  }
  if (!stats.isFile()) {
    throw new InkwellError('invalid-argument', `generation config ${path} is not a file`, { details: { file: path } });
  }
  const json = readModelJson(path, MODEL_FILE_LIMITS.generationConfig, 'invalid-config');
  try {
    return parseGenerationConfig(json);
  } catch (e) {
    if (InkwellError.is(e)) throw new InkwellError(e.code, `${path}: ${e.message}`, { cause: e, details: { ...e.details, file: path } });
    throw e;
  }
}

/** Writes a config in HF's format (non-default fields only), atomically so a crash never leaves half a file. */
export function writeGenerationConfigFile(path: string, config: GenerationConfig): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(serializeGenerationConfig(config), null, 2)}\n`);
  renameSync(tmp, path);
}
