import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HfTokenizer } from '../../../../sidecar/runtime/tokenizer/HfTokenizer';
import { qwen3TokenizerDir, smallModel } from '../../../support/testModels';

function load(dir: string): HfTokenizer {
  const json = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
  return new HfTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
}

let qwen: HfTokenizer | undefined;
let small: HfTokenizer | undefined;

/** The real Qwen3 tokenizer (151k vocabulary; FIM markers are added tokens not flagged special). */
export function qwen3Tokenizer(): HfTokenizer {
  return (qwen ??= load(qwen3TokenizerDir));
}

/** The generated small model's trained tokenizer (Qwen's marker names, 1024 ids). */
export function smallTokenizer(): HfTokenizer {
  return (small ??= load(smallModel()));
}
