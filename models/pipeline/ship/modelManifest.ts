import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { InkwellError } from '../../../sidecar/engine/InkwellError';

const fileEntry = z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type FileEntry = z.infer<typeof fileEntry>;

/**
 * models/<name>/manifest.json: what a shipped model folder holds and where it came from. Every
 * model file (not the manifest and the data notes) is listed with its size and sha256, and so is
 * the committed checkpoint it was exported from, so a test can export the checkpoint again and
 * require the same bytes: no model ships that nobody can trace to its weights.
 */
export const modelManifestSchema = z.object({
  name: z.string(),
  /** The checkpoint folder, relative to the repo root. */
  checkpoint: z.string(),
  checkpointFiles: z.record(z.string(), fileEntry),
  /** The dtypes exported (exportModel's `dtypes`). */
  dtypes: z.array(z.enum(['fp32', 'fp16', 'q4'])),
  /** The FIM order declared in inkwell.json (exportModel's `fimOrder`); absent: none declared. */
  fimOrder: z.enum(['psm', 'spm']).optional(),
  files: z.record(z.string(), fileEntry),
});
export type ModelManifest = z.infer<typeof modelManifestSchema>;

/** Files of a shipped folder that describe it rather than being the model: not in `files`. */
export const NOTE_FILES = new Set(['manifest.json', 'README.md', 'training-data.json']);

export function fileEntryOf(path: string): FileEntry {
  const data = readFileSync(path);
  return { bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}

/** Every regular file under `dir` (relative paths with '/', sorted), less the note files at its top. */
export function listModelFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.filter((f) => !NOTE_FILES.has(f));
}

export function readModelManifest(dir: string): ModelManifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new InkwellError('model-not-found', `${file} does not exist`, { details: { file } });
  const parsed = modelManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new InkwellError('model-invalid', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { details: { file } });
  return parsed.data;
}
