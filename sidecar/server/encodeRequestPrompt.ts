import { InkwellError } from '../engine';
import { checkPromptLength } from '../engine';
import { InputLimits, type ChatMessage } from '../protocol';
import type { LoadedModel } from '../runtime';
import { checkInputLength } from './checkInputLength';

/**
 * A request's prompt text or chat messages as token ids for the loaded model. Sizes are checked
 * before any work, a long text is tokenized off the request loop, and the ids are held to the one
 * prompt-length rule of every request kind (checkPromptLength).
 */
export async function encodeRequestPrompt(loaded: LoadedModel, params: { prompt?: string; messages?: readonly ChatMessage[] }): Promise<number[]> {
  const maxPositions = loaded.model.info.maxPositions;
  if (params.messages !== undefined) {
    const { messages } = params;
    checkInputLength('messages', messages.length, InputLimits.messages, 'entries');
    checkInputLength('messages', messages.reduce((n, m) => n + m.content.length, 0), InputLimits.promptCharacters);
    if (!loaded.chatTemplate) {
      throw new InkwellError('invalid-argument', `messages: the model in ${loaded.folder.dir} has no chat_template (tokenizer_config.json or chat_template.jinja); send a prompt instead`, {
        details: { field: 'messages' },
      });
    }
    const text = await loaded.chatTemplate.render(messages, true);
    checkInputLength('messages', text.length, InputLimits.promptCharacters, 'characters', "the chat template's output for messages");
    const ids = await loaded.tokenizer.encodeOffThread(text, { addSpecialTokens: false });
    checkPromptLength('messages', ids.length, maxPositions);
    return ids;
  }
  const text = params.prompt ?? '';
  if (text.length === 0) throw new InkwellError('invalid-argument', 'prompt is empty', { details: { field: 'prompt' } });
  checkInputLength('prompt', text.length, InputLimits.promptCharacters);
  const ids = await loaded.tokenizer.encodeOffThread(text, { addSpecialTokens: true });
  checkPromptLength('prompt', ids.length, maxPositions);
  return ids;
}
