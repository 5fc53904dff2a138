import { createHash } from 'node:crypto';
import { InkwellError } from '../../../sidecar/engine/InkwellError';

export type Split = 'train' | 'heldout';

/**
 * The split from a hex digest: held out when its first 32 bits, taken modulo 10 000, fall below
 * `heldOutBasisPoints` (300 = 3%). The corpus hashes each file's package (`packageSplit`); exact
 * duplicates are dropped before the split, so one content cannot land on both sides.
 */
export function heldOutSplit(sha256: string, heldOutBasisPoints: number): Split {
  if (!Number.isInteger(heldOutBasisPoints) || heldOutBasisPoints < 0 || heldOutBasisPoints > 10_000) {
    throw new InkwellError('invalid-argument', `heldOutBasisPoints must be an integer from 0 to 10000, got ${heldOutBasisPoints}`, {
      details: { field: 'heldOutBasisPoints', value: heldOutBasisPoints, min: 0, max: 10_000 },
    });
  }
  if (!/^[0-9a-f]{8}/.test(sha256)) {
    throw new InkwellError('invalid-argument', `sha256 must be a lowercase hex digest, got ${JSON.stringify(sha256)}`, { details: { field: 'sha256' } });
  }
  return parseInt(sha256.slice(0, 8), 16) % 10_000 < heldOutBasisPoints ? 'heldout' : 'train';
}

/**
 * The unit a file is split by: its package, so that no package has files on both sides (files of
 * one package share names, helpers and style, and a held-out file whose siblings were trained on
 * measures memory more than skill). npm and PyPI origins lose their version (two installed
 * versions of a package land on the same side); the Python standard library, one huge origin, is
 * split by its top-level module or package (`asyncio`, `json.py`).
 */
export function splitUnit(origin: string, path: string): string {
  const pkg = /^(npm|pypi):(.+)@[^@]*$/.exec(origin);
  if (pkg !== null) return `${pkg[1]}:${pkg[2]}`;
  const stdlib = /\/python3\.\d+\/([^/]+)/.exec(path);
  if (origin.startsWith('debian ') && stdlib !== null) return `stdlib:${stdlib[1]}`;
  return origin;
}

/** The split of a file by its package (`splitUnit`), through the same hash rule as `heldOutSplit`. */
export function packageSplit(origin: string, path: string, heldOutBasisPoints: number): Split {
  return heldOutSplit(createHash('sha256').update(splitUnit(origin, path)).digest('hex'), heldOutBasisPoints);
}

/** A deterministic shuffle key: files sorted by it are in no meaningful order (not by folder or package). */
export function shuffleKey(path: string): string {
  return createHash('sha256').update(`inkwell-corpus:${path}`).digest('hex');
}
