import { parseArgs } from 'node:util';
import { InkwellError } from '../../engine';
import { formatBytes } from '../../protocol/formatBytes';
import { listCachedModels } from '../../hub/listCachedModels';
import { hubCacheDir } from '../../runtime/index';
import type { CliOutput } from '../CliOutput';

export const modelsUsage = 'inkwell models [--cache-dir DIR] [--json]   (the Hub models in the Hugging Face cache that Inkwell can load)';

/**
 * Lists the models of the Hugging Face cache that Inkwell can run (whoever downloaded them), one
 * per line: the reference to pass as --model, its dtypes, model_type and size; with --json, one
 * JSON array. Reads the disk only.
 */
export async function modelsCommand(argv: readonly string[], io: CliOutput): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { 'cache-dir': { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (cause) {
    throw new InkwellError('invalid-argument', `inkwell models: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  if (values['cache-dir'] === '') throw new InkwellError('invalid-argument', '--cache-dir must not be empty', { details: { field: 'cache-dir' } });
  const cacheDir = values['cache-dir'] ?? hubCacheDir();
  const models = listCachedModels(cacheDir);
  if (values.json === true) {
    io.out(`${JSON.stringify({ cacheDir, models })}\n`);
    return 0;
  }
  if (models.length === 0) {
    io.err(`no model Inkwell can load in ${cacheDir}; get one with: inkwell download REPO_ID\n`);
    return 0;
  }
  for (const m of models) io.out(`${m.reference}\t${m.dtypes.join(',')}\t${m.modelType}\t${formatBytes(m.bytes)}\n`);
  return 0;
}
