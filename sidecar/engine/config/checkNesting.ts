import { shorten } from '../echoValue';
import { InkwellError } from '../InkwellError';

/**
 * Deepest nesting a generation config value may have, below its key. HF's own fields need 3
 * (sequence_bias: [[[ids], bias]]); unknown keys kept from a file rarely go past a few more.
 */
export const MAX_CONFIG_NESTING = 32;

/**
 * Refuses a value nested deeper than MAX_CONFIG_NESTING, naming its key. Runs before anything
 * else looks at the config: zod, structuredClone, freezing and JSON.stringify all recurse, and
 * a 5,000-level value under any key overflowed the stack somewhere among them. The walk itself
 * keeps its own stack, so it cannot overflow.
 */
export function checkNesting(config: object, maxDepth = MAX_CONFIG_NESTING): void {
  for (const key of Object.keys(config)) {
    const stack: [value: unknown, depth: number][] = [[(config as Record<string, unknown>)[key], 0]];
    while (stack.length > 0) {
      const [value, depth] = stack.pop()!;
      if (typeof value !== 'object' || value === null) continue;
      if (depth >= maxDepth) {
        const field = shorten(key, 100);
        throw new InkwellError('invalid-config', `${field} is nested too deeply: a generation config value may nest at most ${maxDepth} levels`, {
          details: { field, allowed: `at most ${maxDepth} levels of nesting` },
        });
      }
      for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}
