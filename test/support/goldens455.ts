import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * goldens-455.json beside a conformance fixture: transformers 4.55.4's group (diverse) beam search
 * and contrastive search on the same PyTorch model (rebuilt from families.py and checked against
 * the committed fixture by test/conformance/make_goldens_455.py; 4.56+ no longer run either
 * offline).
 */
const ids = z.array(z.number().int().nonnegative());
const hfConfig = z.record(z.string(), z.unknown());
const run = z.object({ name: z.string(), prompt: z.string(), config: hfConfig, promptIds: ids, sequences: z.array(ids).min(1) });

const Goldens455Schema = z.object({
  versions: z.record(z.string(), z.string()),
  /** How closely the rebuilt model reproduced the committed fixture. */
  identity: z.record(z.string(), z.union([z.string(), z.number()])),
  diverseBeam: z.array(run.extend({ sequencesScores: z.array(z.number()) })).min(1),
  contrastive: z.array(run),
});
export type Goldens455 = z.infer<typeof Goldens455Schema>;

export const GOLDENS_455 = 'goldens-455.json';

/** The fixture folder's goldens-455.json, or undefined when it has none. */
export function goldens455(dir: string): Goldens455 | undefined {
  const path = join(dir, GOLDENS_455);
  if (!existsSync(path)) return undefined;
  return Goldens455Schema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
