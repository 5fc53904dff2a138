import { InkwellError } from '../../InkwellError';
import type { LanguageModel } from '../../model/LanguageModel';
import type { TextTokenizer } from '../../model/TextTokenizer';

interface Side {
  readonly model: LanguageModel;
  readonly tokenizer: TextTokenizer;
  readonly name: string;
}

/**
 * Speculative decoding compares token ids and distributions position by position, so the
 * assistant must map every id to the same token and produce logits of the same width.
 * (The runtime first compares tokenizer.json bytes; this is the check for any tokenizer.)
 */
export function checkSameVocabulary(main: Side, assistant: Side): void {
  const fail = (why: string, details: Record<string, unknown>) =>
    new InkwellError(
      'model-invalid',
      `the assistant model ${assistant.name} does not share the vocabulary of the main model ${main.name}: ${why}`,
      { details: { field: 'assistant_model', mainModel: main.name, assistantModel: assistant.name, ...details } },
    );
  if (main.model.info.vocabSize !== assistant.model.info.vocabSize) {
    throw fail(`logits width ${assistant.model.info.vocabSize} vs ${main.model.info.vocabSize}`, {
      assistantWidth: assistant.model.info.vocabSize,
      mainWidth: main.model.info.vocabSize,
    });
  }
  if (main.tokenizer === assistant.tokenizer) return;
  if (main.tokenizer.vocabSize !== assistant.tokenizer.vocabSize) {
    throw fail(`${assistant.tokenizer.vocabSize} tokens vs ${main.tokenizer.vocabSize}`, {
      assistantVocabSize: assistant.tokenizer.vocabSize,
      mainVocabSize: main.tokenizer.vocabSize,
    });
  }
  for (let id = 0; id < main.tokenizer.vocabSize; id++) {
    const a = assistant.tokenizer.idToToken(id);
    const m = main.tokenizer.idToToken(id);
    if (a !== m) throw fail(`token id ${id} is ${JSON.stringify(a)} there but ${JSON.stringify(m)} here`, { tokenId: id });
  }
}
