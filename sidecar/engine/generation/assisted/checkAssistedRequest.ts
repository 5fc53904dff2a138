import type { GenerationRequest } from '../GenerationEvent';
import { InkwellError } from '../../InkwellError';
import type { LanguageModel } from '../../model/LanguageModel';
import type { TextTokenizer } from '../../model/TextTokenizer';
import { checkSameVocabulary } from './checkSameVocabulary';

/** What assisted generation accepts: one prompt, one sequence, a loaded assistant when one is named. */
export function checkAssistedRequest(request: GenerationRequest, model: LanguageModel, tokenizer: TextTokenizer): void {
  const { config, prompts, assistant } = request;
  if (prompts.length !== 1) {
    throw new InkwellError(
      'invalid-argument',
      `assisted generation (assistant_model / prompt_lookup_num_tokens) runs batch size 1: got ${prompts.length} prompts`,
      { details: { field: 'prompts', prompts: prompts.length } },
    );
  }
  if (config.doSample && config.numReturnSequences > 1) {
    throw new InkwellError(
      'invalid-config',
      `assisted generation runs batch size 1: num_return_sequences = ${config.numReturnSequences} must be 1`,
      { details: { field: 'num_return_sequences', value: config.numReturnSequences } },
    );
  }
  if (assistant === undefined && config.promptLookupNumTokens === undefined) {
    throw new InkwellError(
      'invalid-argument',
      `assistant_model ${JSON.stringify(config.assistantModel)} is set but no assistant model was loaded for this request`,
      { details: { field: 'assistant_model', value: config.assistantModel } },
    );
  }
  if (assistant !== undefined) {
    checkSameVocabulary({ model, tokenizer, name: `(${model.info.modelType})` }, assistant);
  }
}
