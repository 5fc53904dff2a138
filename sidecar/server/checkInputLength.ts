import { InkwellError } from '../engine';

/**
 * Refuses an input over its limit (protocol/inputLimits.ts) before any work is done on it.
 * `subject` is what the message calls the input when it is not the field itself.
 */
export function checkInputLength(field: string, length: number, max: number, unit: 'characters' | 'entries' = 'characters', subject = field): void {
  if (length <= max) return;
  throw new InkwellError('invalid-argument', `${subject} has ${length} ${unit}: at most ${max} are accepted`, {
    details: { field, length, max, unit },
  });
}
