import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenizerFiles } from './buildTokenizerFiles';

/** File names inside a model folder, as HF loaders expect them. */
export const tokenizerFileNames = {
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  specialTokensMap: 'special_tokens_map.json',
} as const;

/** Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json into `dir`. */
export function writeTokenizerFiles(
  dir: string,
  trained: Pick<TokenizerFiles, 'tokenizerJson' | 'tokenizerConfigJson' | 'specialTokensMapJson'>,
): void {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, value: unknown): void =>
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  write(tokenizerFileNames.tokenizer, trained.tokenizerJson);
  write(tokenizerFileNames.tokenizerConfig, trained.tokenizerConfigJson);
  write(tokenizerFileNames.specialTokensMap, trained.specialTokensMapJson);
}
