import { createHash } from 'node:crypto';
import { InkwellError } from '../../../sidecar/engine/InkwellError';

export type Split = 'train' | 'heldout';

/**
 * The split of a file from its content hash: held out when the first 32 bits of sha256(content),
 * taken modulo 10 000, fall below `heldOutBasisPoints` (300 = 3%). Content rather than path, so
 * a file reached by two paths cannot land on both sides, and the split does not move when the
 * same machine installs packages in another folder.
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

/** A deterministic shuffle key: files sorted by it are in no meaningful order (not by folder or package). */
export function shuffleKey(path: string): string {
  return createHash('sha256').update(`inkwell-corpus:${path}`).digest('hex');
}
