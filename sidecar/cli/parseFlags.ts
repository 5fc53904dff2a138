import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InkwellError } from '../engine';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode, with its errors turned into one-line InkwellErrors. */
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>>;

export function parseFlags<T extends Options>(command: string, argv: readonly string[], options: T): { values: Parsed<T>['values'] } {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (cause) {
    const message = (cause as Error).message.split('\n')[0];
    throw new InkwellError('invalid-argument', `inkwell ${command}: ${message}`, { cause });
  }
}

export function requireFlag(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new InkwellError('invalid-argument', `inkwell ${command}: --${name} is required`, { details: { field: name } });
  }
  return value;
}

/** An integer flag within [min, max]; the error names the flag and the range. */
export function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InkwellError('invalid-argument', `--${name} = ${value} is out of range: must be an integer from ${min} to ${max}`, {
      details: { field: name, value },
    });
  }
  return n;
}

export function choiceFlag<C extends string>(name: string, value: string | undefined, fallback: C, allowed: readonly C[]): C {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InkwellError('invalid-argument', `--${name} = ${value} is not allowed: use one of ${allowed.join(', ')}`, {
      details: { field: name, value },
    });
  }
  return value as C;
}
