import { join, relative } from 'node:path';
import { InkwellError } from '../../engine';
import { serializeGenerationConfig } from '../../engine';
import { writeGenerationConfigFile } from '../../runtime/index';
import type { CliOutput } from '../CliOutput';
import { parseFlags } from '../parseFlags';
import { readFolderFromFlags, resolveConfig, splitSetFlag } from '../prepareGeneration';

export const configUsage = 'inkwell config --model DIR [--config F] [--set key=value …] [--save NAME.json] [--all]';

/**
 * Shows the generation config a run would use (the model's generation_config.json or --config,
 * plus --set), and with --save writes it as a named config file next to the model, which
 * `--config NAME` then finds (like HF's GenerationConfig.from_pretrained(dir, config_file_name)).
 */
export async function configCommand(argv: readonly string[], io: CliOutput): Promise<number> {
  const { values } = parseFlags('config', argv, {
    model: { type: 'string' },
    config: { type: 'string' },
    set: { type: 'string', multiple: true },
    save: { type: 'string' },
    all: { type: 'boolean' },
  });
  const folder = readFolderFromFlags('config', values);
  const overrides = Object.fromEntries((values.set ?? []).map(splitSetFlag));
  // No CLI length default here: what is saved is exactly what the files and flags say.
  const config = resolveConfig(values, folder, overrides, io, { cliDefaults: false });
  if (values.save !== undefined) {
    const name = values.save;
    if (!/^[\w.-]+\.json$/.test(name) || name === 'config.json' || name.startsWith('tokenizer')) {
      throw new InkwellError('invalid-argument', `--save ${name}: give a file name like creative.json (letters, digits, . _ -), not config.json or a tokenizer file`, {
        details: { field: 'save', value: name },
      });
    }
    const path = join(folder.dir, name);
    writeGenerationConfigFile(path, config);
    io.err(`wrote ${relative(process.cwd(), path)}\n`);
  }
  io.out(`${JSON.stringify(serializeGenerationConfig(config, { includeDefaults: values.all ?? false }), null, 2)}\n`);
  return 0;
}
