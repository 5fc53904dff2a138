import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files under `dir` in sorted order (so the corpus does not depend on directory order), not
 * following symbolic links (node_modules/.bin, links between packages: loops and repeats).
 * `skipDir(name, path)` prunes subfolders.
 */
export function* walkFiles(dir: string, skipDir: (name: string, path: string) => boolean = () => false): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folder: nothing to collect there
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipDir(entry.name, path)) yield* walkFiles(path, skipDir);
    } else if (entry.isFile()) {
      yield path;
    }
  }
}
