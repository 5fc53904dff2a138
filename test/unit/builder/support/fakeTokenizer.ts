import type { TokenizerFiles } from '../../../../sidecar/builder/makeModel';

/**
 * A minimal valid tokenizer.json: 3 special tokens and the 61 printable ASCII characters ' '..'\\'
 * as a BPE vocabulary without merges (64 tokens). Stands in for the trainer's output.
 */
export function fakeTokenizer(): TokenizerFiles {
  const specials = ['<|pad|>', '<|bos|>', '<|eos|>'];
  const vocab: Record<string, number> = {};
  specials.forEach((t, i) => (vocab[t] = i));
  for (let c = 0x20; c < 0x20 + 61; c++) vocab[String.fromCharCode(c)] = Object.keys(vocab).length;
  return {
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: specials.map((content, id) => ({
        id,
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: null,
      model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: [] },
    },
    tokenizerConfigJson: {
      bos_token: '<|bos|>',
      eos_token: '<|eos|>',
      pad_token: '<|pad|>',
      model_max_length: 128,
      tokenizer_class: 'PreTrainedTokenizerFast',
      clean_up_tokenization_spaces: false,
    },
  };
}
