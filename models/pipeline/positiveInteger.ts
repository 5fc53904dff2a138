import { InkwellError } from '../../sidecar/engine/InkwellError';

/** A command-line flag's value as a positive integer (undefined when the flag is absent). */
export function positiveInteger(field: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new InkwellError('invalid-argument', `--${field} must be a positive integer, got ${raw}`, { details: { field, value: raw } });
  return value;
}
