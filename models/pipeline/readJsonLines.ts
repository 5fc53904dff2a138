import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Parsed lines of a JSON-lines file, read in 4 MiB blocks so a 100 MB split never sits in memory whole. */
export function* readJsonLines<T>(path: string): Generator<T> {
  const fd = openSync(path, 'r');
  const block = Buffer.alloc(4 << 20);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for (;;) {
      const n = readSync(fd, block, 0, block.length, null);
      if (n === 0) break;
      pending += decoder.write(block.subarray(0, n));
      let newline: number;
      while ((newline = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.length > 0) yield JSON.parse(line) as T;
      }
    }
    pending += decoder.end();
    if (pending.trim().length > 0) yield JSON.parse(pending) as T;
  } finally {
    closeSync(fd);
  }
}

/** One document of a split text file. */
export interface CorpusText {
  readonly id: string;
  readonly text: string;
}
