import type { LanguageModel } from '../../model/LanguageModel';
import type { TextTokenizer } from '../../model/TextTokenizer';

/** A loaded draft model for GenerationRequest.assistant. */
export interface AssistantModel {
  readonly model: LanguageModel;
  readonly tokenizer: TextTokenizer;
  /** Names it in messages (its folder). */
  readonly name: string;
}
