import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InkwellError } from '../../engine';

/**
 * TypeScript's own declaration files: about 1 MB of real code and JSDoc prose that every
 * checkout has after `npm ci` (typescript is pinned by the lockfile), so a tokenizer can be
 * built offline and is the same on every machine. The list is fixed rather than globbed so a
 * new lib file in a TypeScript update cannot silently change the tokenizer.
 */
export const defaultTokenizerCorpusFiles: readonly string[] = [
  'lib/lib.es5.d.ts',
  'lib/typescript.d.ts',
  'lib/lib.es2015.core.d.ts',
  'lib/lib.es2015.collection.d.ts',
  'lib/lib.es2015.iterable.d.ts',
  'lib/lib.es2015.promise.d.ts',
  'lib/lib.es2015.proxy.d.ts',
  'lib/lib.es2015.reflect.d.ts',
  'lib/lib.es2015.symbol.wellknown.d.ts',
  'lib/lib.es2017.sharedmemory.d.ts',
  'lib/lib.es2020.bigint.d.ts',
  'lib/lib.es2020.intl.d.ts',
  'lib/lib.es2023.array.d.ts',
  'lib/lib.decorators.d.ts',
  'lib/lib.scripthost.d.ts',
];

/** The default corpus, one string per file, in `defaultTokenizerCorpusFiles` order. */
export function defaultTokenizerCorpus(): string[] {
  let root: string;
  try {
    root = dirname(require.resolve('typescript/package.json'));
  } catch (cause) {
    throw new InkwellError(
      'invalid-argument',
      'The default tokenizer corpus needs the typescript package: run `npm ci` in the Inkwell ' +
        'repository, or pass training texts explicitly',
      { cause, details: { package: 'typescript' } },
    );
  }
  return defaultTokenizerCorpusFiles.map((file) => {
    const path = join(root, file);
    try {
      return readFileSync(path, 'utf8');
    } catch (cause) {
      throw new InkwellError(
        'invalid-argument',
        `The default tokenizer corpus file ${path} is missing; this typescript version may not ` +
          'ship it. Run `npm ci` so the locked version is installed, or pass training texts explicitly',
        { cause, details: { path } },
      );
    }
  });
}
