import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { InkwellError } from '../../../sidecar/engine/InkwellError';

/**
 * Appends ids to a raw little-endian uint16 file (the workPaths token-file format), buffering a
 * block at a time. Ids must fit 16 bits: the vocabulary is at most 65 536 ids.
 */
export class TokenFileWriter {
  private readonly fd: number;
  private readonly block = new Uint16Array(1 << 20);
  private used = 0;
  private written = 0;

  constructor(readonly path: string) {
    if (endianness() !== 'LE') throw new InkwellError('invalid-argument', 'token files are little-endian; this machine is big-endian', { details: { path } });
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  /** Ids written so far (flushed or not). */
  get count(): number {
    return this.written + this.used;
  }

  append(ids: readonly number[]): void {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id > 0xffff) {
        throw new InkwellError('invalid-argument', `token ids must be integers from 0 to 65535 to fit a uint16 file, got ${id}`, { details: { field: 'id', value: id, path: this.path } });
      }
      this.block[this.used++] = id;
      if (this.used === this.block.length) this.flush();
    }
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, new Uint8Array(this.block.buffer, 0, this.used * 2));
    this.written += this.used;
    this.used = 0;
  }
}

/** The ids of a token file. */
export function readTokenFile(path: string): Uint16Array {
  const bytes = readFileSync(path);
  if (bytes.length % 2 !== 0) throw new InkwellError('invalid-argument', `${path} has an odd number of bytes: not a uint16 token file`, { details: { path } });
  const ids = new Uint16Array(bytes.length / 2);
  for (let i = 0; i < ids.length; i++) ids[i] = bytes.readUInt16LE(2 * i);
  return ids;
}
