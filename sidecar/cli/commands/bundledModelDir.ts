import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InkwellError } from '../../engine';

/**
 * The model shipped with Inkwell: models/default beside dist/ (the extension's and the repo's
 * layout; the CLI is bundled into dist/inkwell.js).
 */
export function bundledModelDir(): string {
  const dir = join(__dirname, '..', 'models', 'default');
  if (!existsSync(join(dir, 'config.json'))) {
    throw new InkwellError('model-not-found', `the bundled model is missing: ${dir} (pass --model DIR)`, { details: { field: 'model', file: dir } });
  }
  return dir;
}
