import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { conformanceDir } from './conformanceFixtures';

/**
 * The seeds' experiment fixture (test/conformance/fixtures/qwen2chat-optimum/, written by
 * test/conformance/make_seeds_experiment.py): transformers' answers for two chat prompts × the
 * experiment's settings, up to 1000 new tokens. It has seeds.json instead of goldens.json, so the
 * per-fixture conformance tests leave it alone.
 */
export const seedsFixtureDir = join(conformanceDir, 'qwen2chat-optimum');

const ids = z.array(z.number().int().nonnegative());
const hfConfig = z.record(z.string(), z.unknown());

const SeedsSchema = z.object({
  versions: z.record(z.string(), z.string()),
  eosTokenIds: ids,
  maxNewTokens: z.number().int().positive(),
  fullRows: z.object({ first: z.number().int(), every: z.number().int(), last: z.boolean() }),
  scoresFile: z.string(),
  prompts: z.array(
    z.object({
      messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
      addGenerationPrompt: z.boolean(),
      text: z.string(),
      ids,
    }),
  ),
  /** Greedy (sequences of one, top2Gap per step) and beam search (sequencesScores). */
  search: z.array(
    z.object({
      name: z.string(),
      prompt: z.number().int().nonnegative(),
      config: hfConfig,
      sequences: z.array(ids).min(1),
      top2Gap: z.array(z.number()).optional(),
      sequencesScores: z.array(z.number()).optional(),
    }),
  ),
  /**
   * Sampling runs: HF's drawn tokens; per step the number of finite processed scores and (at
   * float offsets into the scores file) the drawn token's processed score and log-probability;
   * at some steps the whole processed row's finite entries (ids here, values at `at`).
   */
  sampled: z.array(
    z.object({
      name: z.string(),
      prompt: z.number().int().nonnegative(),
      config: hfConfig,
      seed: z.number().int(),
      tokens: ids,
      finiteCounts: z.array(z.number().int().nonnegative()),
      chosenScoresAt: z.number().int().nonnegative(),
      chosenLogProbsAt: z.number().int().nonnegative(),
      rows: z.array(z.object({ step: z.number().int().nonnegative(), ids, at: z.number().int().nonnegative() })),
    }),
  ),
});
export type SeedsGoldens = z.infer<typeof SeedsSchema>;

export interface SeedsFixture {
  readonly dir: string;
  readonly goldens: SeedsGoldens;
  /** The scores file: little-endian float32 values that the goldens' offsets point into. */
  readonly floats: Float32Array;
}

export function seedsFixture(): SeedsFixture {
  const goldens = SeedsSchema.parse(JSON.parse(readFileSync(join(seedsFixtureDir, 'seeds.json'), 'utf8')));
  const bytes = readFileSync(join(seedsFixtureDir, goldens.scoresFile));
  if (bytes.byteLength % 4 !== 0) throw new Error(`${goldens.scoresFile}: ${bytes.byteLength} bytes is not a float32 array`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const floats = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < floats.length; i++) floats[i] = view.getFloat32(i * 4, true);
  return { dir: seedsFixtureDir, goldens, floats };
}
