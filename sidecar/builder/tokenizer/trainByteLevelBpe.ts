import { InkwellError } from '../../engine';
import { buildTokenizerFiles, type TokenizerFiles } from './buildTokenizerFiles';
import { codePreTokenize } from './codePreTokenizer';
import { learnMerges } from './learnMerges';

/**
 * Qwen2.5-Coder's names, so FIM and chat prompt builders treat generated models like real ones.
 * The first one is the default EOS and pad token.
 */
export const defaultSpecialTokens: readonly string[] = [
  '<|endoftext|>',
  '<|fim_prefix|>',
  '<|fim_middle|>',
  '<|fim_suffix|>',
  '<|fim_pad|>',
  '<|im_start|>',
  '<|im_end|>',
];

export interface TrainByteLevelBpeOptions {
  readonly texts: Iterable<string>;
  /** Total number of ids: 256 bytes + learned tokens + special tokens, exactly. */
  readonly vocabSize: number;
  /** Appended after the BPE vocabulary in this order; defaults to `defaultSpecialTokens`. */
  readonly specialTokens?: readonly string[];
  /** Defaults to the first special token. */
  readonly eosToken?: string;
  /** Defaults to the EOS token. */
  readonly padToken?: string;
  /** Pairs seen fewer times are never merged (a pair seen once only memorizes). Default 2. */
  readonly minFrequency?: number;
  /** `model_max_length` in tokenizer_config.json. Default 2048. */
  readonly modelMaxLength?: number;
}

export type TrainedTokenizer = TokenizerFiles;

const byteCount = 256;
// Pair keys are left * vocabSize + right and must stay exact doubles.
const maxVocabSize = 1 << 24;

/**
 * Trains a byte-level BPE tokenizer with a code-oriented pre-tokenizer and returns the files
 * that HF tokenizer libraries load. The same texts and options always give the same files.
 */
export function trainByteLevelBpe(options: TrainByteLevelBpeOptions): TrainedTokenizer {
  const specialTokens = options.specialTokens ?? defaultSpecialTokens;
  validateSpecialTokens(specialTokens);
  const eosToken = options.eosToken ?? specialTokens[0];
  const padToken = options.padToken ?? eosToken;
  for (const [field, token] of [['eosToken', eosToken], ['padToken', padToken]] as const) {
    if (token === undefined || !specialTokens.includes(token)) {
      throw invalid(`${field} ${JSON.stringify(token)} must be one of the special tokens`, { field, token });
    }
  }
  const minFrequency = options.minFrequency ?? 2;
  requireInteger('minFrequency', minFrequency, 1, Number.MAX_SAFE_INTEGER);
  const modelMaxLength = options.modelMaxLength ?? 2048;
  requireInteger('modelMaxLength', modelMaxLength, 1, Number.MAX_SAFE_INTEGER);
  const { vocabSize } = options;
  const minVocabSize = byteCount + specialTokens.length;
  if (Number.isInteger(vocabSize) && vocabSize < minVocabSize) {
    throw invalid(
      `vocabSize ${vocabSize} is too small: it must be at least ${minVocabSize} ` +
        `(${byteCount} bytes + ${specialTokens.length} special tokens)`,
      { field: 'vocabSize', value: vocabSize, min: minVocabSize },
    );
  }
  requireInteger('vocabSize', vocabSize, minVocabSize, maxVocabSize);

  const learned = learnMerges(countWords(options.texts, specialTokens), {
    maxTokens: vocabSize - specialTokens.length,
    minFrequency,
  });
  const reachable = learned.tokens.length + specialTokens.length;
  if (reachable < vocabSize) {
    throw invalid(
      `vocabSize ${vocabSize} is not reachable: this corpus gives at most ${reachable} ids ` +
        `(${byteCount} bytes + ${learned.tokens.length - byteCount} merged tokens + ` +
        `${specialTokens.length} special tokens with minFrequency ${minFrequency}); ` +
        'use a larger corpus, a lower minFrequency or a smaller vocabSize',
      { field: 'vocabSize', value: vocabSize, max: reachable },
    );
  }
  for (const token of specialTokens) {
    // Cannot happen with the code pre-tokenizer (it never keeps `<|` and letters together), but
    // an added token sharing a vocab string would give that string two ids.
    if (learned.tokens.includes(token)) throw invalid(`special token ${token} is also a learned token`, { token });
  }
  return buildTokenizerFiles(learned, { specialTokens, eosToken, padToken, modelMaxLength });
}

/** Word → occurrences. Special tokens are cut out first, as the tokenizer does at encode time. */
function countWords(texts: Iterable<string>, specialTokens: readonly string[]): Map<string, number> {
  const escaped = [...specialTokens]
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const specials = escaped.length > 0 ? new RegExp(escaped.join('|'), 'u') : undefined;
  const counts = new Map<string, number>();
  for (const text of texts) {
    if (typeof text !== 'string') throw invalid('texts must contain only strings', { field: 'texts' });
    for (const segment of specials === undefined ? [text] : text.split(specials)) {
      for (const word of codePreTokenize(segment)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

function validateSpecialTokens(tokens: readonly string[]): void {
  if (tokens.length === 0) {
    throw invalid('specialTokens must contain at least one token, the EOS token', { field: 'specialTokens' });
  }
  const seen = new Set<string>();
  for (const token of tokens) {
    if (typeof token !== 'string' || token.length === 0) {
      throw invalid('special tokens must be non-empty strings', { field: 'specialTokens', token });
    }
    if (seen.has(token)) throw invalid(`special token ${token} is listed twice`, { field: 'specialTokens', token });
    seen.add(token);
  }
}

function requireInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${field} must be an integer from ${min} to ${max}, got ${value}`, { field, value, min, max });
  }
}

function invalid(message: string, details: Record<string, unknown>): InkwellError {
  return new InkwellError('invalid-argument', message, { details });
}
