import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { mergeConfig } from '../../sidecar/engine/config/mergeConfig';
import { parseGenerationConfig } from '../../sidecar/engine/config/parseGenerationConfig';
import type { GenerationConfig } from '../../sidecar/engine/config/GenerationConfig';
import type { ModelFolder } from '../../sidecar/runtime/model/modelFolder';

/**
 * The committed conformance fixtures (test/conformance/fixtures/<family>-<exporter>/): folders a
 * real exporter wrote, with transformers' own answers in goldens.json. Made by
 * test/conformance/make_fixtures.py; tests only read them.
 */
export const conformanceDir = join(__dirname, '..', 'conformance', 'fixtures');

const ids = z.array(z.number().int().nonnegative());
/** -Infinity is written as null (JSON has no infinities). */
const scoreRow = z.array(z.number().nullable());
const hfConfig = z.record(z.string(), z.unknown());

const GoldensSchema = z.object({
  versions: z.record(z.string(), z.string()),
  family: z.string(),
  exporter: z.string(),
  variants: z.array(z.string()).min(1),
  eosTokenIds: ids,
  greedy: z.array(z.object({ prompt: z.string(), promptIds: ids, tokens: ids, top2Gap: z.array(z.number()) })),
  /** Per variant, per greedy prompt: onnxruntime-Python's teacher-forced top-1 at each generated position. */
  ortTop1: z.record(z.string(), z.array(ids)),
  beam: z.array(
    z.object({ name: z.string(), config: hfConfig, promptIds: ids, sequences: z.array(ids), sequencesScores: z.array(z.number()) }),
  ),
  processed: z.array(z.object({ name: z.string(), config: hfConfig, promptIds: ids, tokens: ids, scores: z.array(scoreRow) })),
  tokenization: z.array(
    z.object({ text: z.string(), ids, idsNoSpecial: ids, decoded: z.string(), decodedSkipSpecial: z.string() }),
  ),
  chat: z.array(
    z.object({
      messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
      addGenerationPrompt: z.boolean(),
      text: z.string(),
      ids,
    }),
  ),
});
export type Goldens = z.infer<typeof GoldensSchema>;

export interface ConformanceFixture {
  /** <family>-<exporter>, the folder's name. */
  readonly name: string;
  readonly dir: string;
  readonly goldens: Goldens;
}

/** Every fixture folder with a goldens.json, in name order. */
export function conformanceFixtures(): ConformanceFixture[] {
  if (!existsSync(conformanceDir)) return [];
  return readdirSync(conformanceDir)
    .sort()
    .filter((name) => existsSync(join(conformanceDir, name, 'goldens.json')))
    .map((name) => {
      const dir = join(conformanceDir, name);
      const goldens = GoldensSchema.parse(JSON.parse(readFileSync(join(dir, 'goldens.json'), 'utf8')));
      return { name, dir, goldens };
    });
}

/**
 * The config HF's generate() ran with: the model's generation_config.json, then the call's
 * keyword arguments on top (as GenerationMixin merges them).
 */
export function hfRunConfig(folder: ModelFolder, kwargs: Readonly<Record<string, unknown>>): GenerationConfig {
  const base = parseGenerationConfig(folder.generationConfig ?? {}).config;
  return mergeConfig(base, kwargs);
}

/** A golden score row back as float32 scores (null → -Infinity). */
export function scoresOf(row: readonly (number | null)[]): Float32Array {
  return Float32Array.from(row, (v) => (v === null ? -Infinity : v));
}
