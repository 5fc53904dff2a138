import { join } from 'node:path';

/**
 * Where each pipeline stage reads and writes (all under the gitignored models/.work/), so the
 * stages agree on one layout. Token files are raw little-endian uint16 streams: every document
 * (plain or fill-in-the-middle) ends with the EOS id, so packing needs no separate index.
 */
export function workPaths(root: string = join(__dirname, '..', '.work')) {
  const corpus = join(root, 'corpus');
  const data = join(root, 'data');
  return {
    root,
    /** One JSON line per kept file: path, origin (package or Debian source), license, sha256, split. */
    manifest: join(corpus, 'manifest.jsonl'),
    /** Kept file texts, concatenated per split (JSON lines of {id, text}). */
    trainText: join(corpus, 'train.jsonl'),
    heldoutText: join(corpus, 'heldout.jsonl'),
    /** tokenizer.json / tokenizer_config.json of the chosen size. */
    tokenizerDir: join(root, 'tokenizer'),
    /** Training stream (plain + FIM documents) and the held-out plain stream (perplexity). */
    trainTokens: join(data, 'train.u16'),
    heldoutTokens: join(data, 'heldout.u16'),
    /** {vocabSize, eosId, fimPrefixId, fimSuffixId, fimMiddleId, ...counts} */
    dataMeta: join(data, 'meta.json'),
    /** ≥ 500 single-line fill-in-the-middle cases from held-out files: {file, prefix, suffix, middle}. */
    fimCases: join(data, 'heldout-fim.jsonl'),
    /** Checkpoints written by train.py (safetensors with HF Llama names + config.json). */
    checkpoints: join(root, 'checkpoints'),
  };
}

export type WorkPaths = ReturnType<typeof workPaths>;
