import type { ConfigFieldInfo } from '../../sidecar/protocol';

/** `unset: true` removes the key from the config (the field takes its default). */
export type ParsedValue = { readonly ok: true; readonly value: unknown; readonly unset: boolean } | { readonly ok: false; readonly message: string };

const unset: ParsedValue = { ok: true, value: undefined, unset: true };

/**
 * Reads what the user typed into a field and checks it against the field's range, the same
 * bounds the sidecar enforces; the sidecar's answer stays the authority. An empty input
 * means "unset". Checkboxes pass their boolean; selects pass the option's JSON.
 */
export function parseFieldValue(info: ConfigFieldInfo, raw: string | boolean): ParsedValue {
  if (typeof raw === 'boolean') return info.kind === 'boolean' ? { ok: true, value: raw, unset: false } : { ok: false, message: `${info.key} takes a ${info.kind}` };
  const text = raw.trim();
  if (text === '') return unset;
  switch (info.kind) {
    case 'boolean':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true', unset: false };
      return { ok: false, message: `${info.key} must be true or false` };
    case 'integer':
    case 'number':
      return parseNumber(info, text);
    case 'string':
      return { ok: true, value: text, unset: false };
    case 'enum': {
      const options = info.options ?? [];
      const value = parseJson(text);
      const match = options.find((o) => value.ok && o === value.value) ?? options.find((o) => String(o) === text);
      if (match === undefined) return { ok: false, message: `${info.key} must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}` };
      return { ok: true, value: match, unset: false };
    }
    case 'json': {
      const value = parseJson(text);
      if (!value.ok) return { ok: false, message: `${info.key} is not valid JSON: ${value.message}` };
      return value.value === null ? unset : { ok: true, value: value.value, unset: false };
    }
    default: {
      const unknownKind: never = info.kind;
      return { ok: false, message: `unknown field kind ${String(unknownKind)}` };
    }
  }
}

function parseNumber(info: ConfigFieldInfo, text: string): ParsedValue {
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, message: `${info.key} must be a number` };
  if (info.kind === 'integer' && !Number.isInteger(value)) return { ok: false, message: `${info.key} must be a whole number` };
  // The sidecar refuses integers a JSON number cannot hold exactly (1e20).
  if (info.kind === 'integer' && !Number.isSafeInteger(value)) return { ok: false, message: `${info.key} must be ≤ ${Number.MAX_SAFE_INTEGER}` };
  const range = describeRange(info);
  const belowMin = info.min !== undefined && (info.minExclusive ? value <= info.min : value < info.min);
  const aboveMax = info.max !== undefined && (info.maxExclusive ? value >= info.max : value > info.max);
  if (belowMin || aboveMax) return { ok: false, message: `${info.key} must be ${range}` };
  return { ok: true, value, unset: false };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** "> 0 and ≤ 1", "≥ 1", "" for an unbounded field. */
export function describeRange(info: ConfigFieldInfo): string {
  const low = info.min === undefined ? undefined : `${info.minExclusive ? '>' : '≥'} ${info.min}`;
  const high = info.max === undefined ? undefined : `${info.maxExclusive ? '<' : '≤'} ${info.max}`;
  return [low, high].filter((p) => p !== undefined).join(' and ');
}

/** The text an input shows for a value; '' for unset. */
export function formatFieldValue(info: ConfigFieldInfo, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (info.kind === 'json' || info.kind === 'enum') return JSON.stringify(value);
  return String(value);
}

/** "default: 1", "default: unset". */
export function describeDefault(info: ConfigFieldInfo): string {
  return `default: ${info.default === null || info.default === undefined ? 'unset' : JSON.stringify(info.default)}`;
}
