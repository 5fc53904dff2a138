// Public API of the tokenizer builder: train a byte-level BPE tokenizer and write its files.
export { trainByteLevelBpe, defaultSpecialTokens } from './trainByteLevelBpe';
export type { TrainByteLevelBpeOptions, TrainedTokenizer } from './trainByteLevelBpe';
export { defaultTokenizerCorpus, defaultTokenizerCorpusFiles } from './defaultTokenizerCorpus';
export { writeTokenizerFiles, tokenizerFileNames } from './writeTokenizerFiles';
export { chatMlTemplate } from './chatMlTemplate';
export { codePreTokenizerPattern, codePreTokenize } from './codePreTokenizer';
export { byteToUnicode } from './byteToUnicode';
export type {
  AddedTokenJson,
  SpecialTokensMapJson,
  TokenizerConfigJson,
  TokenizerFiles,
  TokenizerJson,
} from './buildTokenizerFiles';
