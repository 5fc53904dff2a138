import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InkwellError } from '../../engine/InkwellError';

/**
 * The model shipped with Inkwell: models/<name> beside dist/ (the extension's and the repo's
 * layout; the CLI is bundled into dist/inkwell.js). `name` is 'default' or 'default-assistant'.
 */
export function bundledModelDir(name: 'default' | 'default-assistant' = 'default'): string {
  const dir = join(__dirname, '..', 'models', name);
  if (!existsSync(join(dir, 'config.json'))) {
    throw new InkwellError('model-not-found', `the bundled model is missing: ${dir} (pass --model DIR)`, { details: { field: 'model', file: dir } });
  }
  return dir;
}
