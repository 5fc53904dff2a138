import { InkwellError } from '../engine';
import type { ChatMessage } from '../protocol';
import type { LoadedModel } from '../runtime';

/** A request's prompt text or chat messages as token ids for the loaded model. */
export function encodeRequestPrompt(loaded: LoadedModel, params: { prompt?: string; messages?: readonly ChatMessage[] }): number[] {
  if (params.messages !== undefined) {
    if (!loaded.chatTemplate) {
      throw new InkwellError('invalid-argument', `messages: the model in ${loaded.folder.dir} has no chat_template (tokenizer_config.json or chat_template.jinja); send a prompt instead`, {
        details: { field: 'messages' },
      });
    }
    return loaded.tokenizer.encode(loaded.chatTemplate.render(params.messages, true), { addSpecialTokens: false });
  }
  const text = params.prompt ?? '';
  if (text.length === 0) throw new InkwellError('invalid-argument', 'prompt is empty', { details: { field: 'prompt' } });
  const ids = loaded.tokenizer.encode(text, { addSpecialTokens: true });
  const max = loaded.model.info.maxPositions;
  if (ids.length >= max) {
    throw new InkwellError('invalid-argument', `prompt has ${ids.length} tokens: the model accepts at most ${max - 1} before generating`, {
      details: { field: 'prompt', tokens: ids.length, maxPositions: max },
    });
  }
  return ids;
}
