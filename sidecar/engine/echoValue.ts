/** Longest string an error repeats back, in UTF-16 units. */
const MAX_STRING = 200;
/** Entries of an array or object an error repeats back. */
const MAX_ENTRIES = 20;
/** Levels of nesting an error repeats back. */
const MAX_DEPTH = 4;

/**
 * A short, JSON-safe stand-in for a value that an error reports back to its sender: strings cut
 * to 200 characters, arrays and objects to their first 20 entries and 4 levels. What a client
 * sent may be 10 MB long or nested 100,000 levels deep; echoing it whole would make the answer
 * as large, and serialising it would overflow the stack before the answer is sent.
 */
export function echoValue(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
      return shorten(value, MAX_STRING);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'undefined':
      return undefined;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        if (depth >= MAX_DEPTH) return `[… ${value.length} items]`;
        const items = value.slice(0, MAX_ENTRIES).map((item) => echoValue(item, depth + 1));
        return value.length > MAX_ENTRIES ? [...items, `… ${value.length - MAX_ENTRIES} more items`] : items;
      }
      if (depth >= MAX_DEPTH) return '{…}';
      const entries: [string, unknown][] = [];
      let more = false;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        if (entries.length === MAX_ENTRIES) {
          more = true;
          break;
        }
        entries.push([shorten(key, MAX_STRING), echoValue((value as Record<string, unknown>)[key], depth + 1)]);
      }
      if (more) entries.push(['…', 'more keys']);
      // fromEntries defines each key, so a "__proto__" key stays a key instead of a prototype.
      return Object.fromEntries(entries);
    }
    default:
      return String(value);
  }
}

/** `text` itself when it has at most `max` characters, else its start and its length. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
