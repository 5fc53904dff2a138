import { z } from 'zod';

/**
 * What `inkwell download --json` prints, one JSON object a line on stdout: the contract between
 * the CLI and whoever runs it (the extension's "Download Model…" command runs it as a child
 * process). Sizes are bytes.
 */
export const DownloadEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('plan'),
    repoId: z.string(),
    revision: z.string(),
    commit: z.string(),
    dtype: z.string(),
    files: z.array(z.object({ path: z.string(), size: z.number(), cached: z.boolean() })),
    totalBytes: z.number(),
    /** Bytes still to fetch (files not in the cache yet, less what partial files already hold). */
    downloadBytes: z.number(),
  }),
  z.object({
    event: z.literal('progress'),
    file: z.string(),
    bytes: z.number(),
    totalBytes: z.number(),
    bytesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
  }),
  z.object({ event: z.literal('file'), path: z.string(), size: z.number(), resumedFrom: z.number(), cached: z.boolean() }),
  z.object({ event: z.literal('done'), repoId: z.string(), commit: z.string(), dtype: z.string(), path: z.string(), downloadedBytes: z.number(), seconds: z.number() }),
  z.object({ event: z.literal('error'), code: z.string(), message: z.string() }),
  /** `--list`: what each dtype would fetch, nothing downloaded. */
  z.object({
    event: z.literal('variants'),
    repoId: z.string(),
    revision: z.string(),
    commit: z.string(),
    variants: z.array(z.object({ dtype: z.string(), bytes: z.number(), files: z.number() })),
    freeBytes: z.number(),
    cacheDir: z.string(),
  }),
]);

export type DownloadEvent = z.infer<typeof DownloadEventSchema>;
