import { chatMlTemplate } from './chatMlTemplate';
import { codePreTokenizerPattern } from './codePreTokenizer';
import type { LearnedMerges } from './learnMerges';

/** One entry of `added_tokens` in tokenizer.json (HF's snake_case file format). */
export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

interface ByteLevelJson {
  type: 'ByteLevel';
  add_prefix_space: boolean;
  trim_offsets: boolean;
  use_regex: boolean;
}

export interface TokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: null;
  pre_tokenizer: {
    type: 'Sequence';
    pretokenizers: [
      { type: 'Split'; pattern: { Regex: string }; behavior: 'Isolated'; invert: boolean },
      ByteLevelJson,
    ];
  };
  post_processor: ByteLevelJson;
  decoder: ByteLevelJson;
  model: {
    type: 'BPE';
    dropout: null;
    unk_token: null;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: [string, string][];
  };
}

export interface TokenizerConfigJson {
  tokenizer_class: 'PreTrainedTokenizerFast';
  add_bos_token: false;
  add_eos_token: false;
  add_prefix_space: false;
  bos_token: null;
  eos_token: string;
  pad_token: string;
  unk_token: null;
  additional_special_tokens: string[];
  added_tokens_decoder: Record<string, Omit<AddedTokenJson, 'id'>>;
  chat_template: string;
  clean_up_tokenization_spaces: false;
  errors: 'replace';
  model_max_length: number;
  split_special_tokens: false;
}

export interface SpecialTokensMapJson {
  eos_token: string;
  pad_token: string;
  additional_special_tokens: string[];
}

export interface TokenizerFiles {
  tokenizerJson: TokenizerJson;
  tokenizerConfigJson: TokenizerConfigJson;
  specialTokensMapJson: SpecialTokensMapJson;
  /** Id of each special token (they follow the BPE vocabulary, in the order given). */
  specialTokenIds: Record<string, number>;
}

export interface SpecialTokenRoles {
  readonly specialTokens: readonly string[];
  readonly eosToken: string;
  readonly padToken: string;
  readonly modelMaxLength: number;
}

const byteLevel = (): ByteLevelJson => ({
  type: 'ByteLevel',
  add_prefix_space: false,
  trim_offsets: false,
  use_regex: false, // the Split step before it already did the word splitting
});

/** Turns learned merges into the three files HF tokenizer libraries load. */
export function buildTokenizerFiles(learned: LearnedMerges, roles: SpecialTokenRoles): TokenizerFiles {
  // fromEntries defines own properties, so even a token named `__proto__` stays a plain key.
  const vocab: Record<string, number> = Object.fromEntries(learned.tokens.map((token, id) => [token, id]));
  const addedTokens = roles.specialTokens.map((content, i): AddedTokenJson => {
    const id = learned.tokens.length + i;
    // normalized: false so the tokens match raw text; special: true so decoding can skip them.
    return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
  });
  const addedTokensDecoder: TokenizerConfigJson['added_tokens_decoder'] = {};
  for (const { id, ...rest } of addedTokens) addedTokensDecoder[String(id)] = rest;
  const specialTokenIds: Record<string, number> = Object.fromEntries(addedTokens.map((t) => [t.content, t.id]));
  const additional = roles.specialTokens.filter((t) => t !== roles.eosToken && t !== roles.padToken);

  return {
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens,
      // No normalizer: byte-level BPE must give back the exact text, NFC would not.
      normalizer: null,
      pre_tokenizer: {
        type: 'Sequence',
        pretokenizers: [
          { type: 'Split', pattern: { Regex: codePreTokenizerPattern }, behavior: 'Isolated', invert: false },
          byteLevel(),
        ],
      },
      post_processor: byteLevel(),
      decoder: byteLevel(),
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        // false: a word is encoded by replaying merges even when it is itself a vocab entry,
        // which is what training assumed.
        ignore_merges: false,
        vocab,
        merges: learned.merges.map(([a, b]): [string, string] => [a, b]),
      },
    },
    tokenizerConfigJson: {
      tokenizer_class: 'PreTrainedTokenizerFast',
      add_bos_token: false,
      add_eos_token: false,
      add_prefix_space: false,
      bos_token: null,
      eos_token: roles.eosToken,
      pad_token: roles.padToken,
      unk_token: null,
      additional_special_tokens: additional,
      added_tokens_decoder: addedTokensDecoder,
      chat_template: chatMlTemplate,
      // Cleanup would turn ` .` into `.` on decode and break the exact round trip code needs.
      clean_up_tokenization_spaces: false,
      errors: 'replace',
      model_max_length: roles.modelMaxLength,
      split_special_tokens: false,
    },
    specialTokensMapJson: {
      eos_token: roles.eosToken,
      pad_token: roles.padToken,
      additional_special_tokens: additional,
    },
    specialTokenIds,
  };
}
