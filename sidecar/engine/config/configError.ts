import { echoValue } from '../echoValue';
import { InkwellError } from '../InkwellError';

/** `top_p = 1.5 is out of range: must be > 0 and <= 1`, with details.field for callers. */
export function outOfRange(field: string, value: unknown, allowed: string): InkwellError {
  return new InkwellError('invalid-config', `${field} = ${formatValue(value)} is out of range: ${allowed}`, {
    details: { field, value: echoValue(value), allowed },
  });
}

export function wrongType(field: string, value: unknown, expected: string): InkwellError {
  return new InkwellError('invalid-config', `${field} = ${formatValue(value)} has the wrong type: must be ${expected}`, {
    details: { field, value: echoValue(value), allowed: expected },
  });
}

export function configConflict(field: string, value: unknown, message: string): InkwellError {
  return new InkwellError('invalid-config', `${field} = ${formatValue(value)} ${message}`, {
    details: { field, value: echoValue(value) },
  });
}

/** A value as a message shows it: JSON, at most 80 characters, never the whole of a huge value. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(echoValue(value));
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
