import { Template } from '@huggingface/jinja';
import { z } from 'zod';
import { InkwellError } from '../../engine/InkwellError';

export const ChatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
});
export const ChatMessagesSchema = z.array(ChatMessageSchema).min(1);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The model's chat_template from tokenizer_config.json, rendered with @huggingface/jinja. */
export class ChatTemplate {
  private readonly template: Template;

  constructor(
    source: string,
    private readonly specialTokens: Readonly<Record<string, string | undefined>>,
  ) {
    try {
      this.template = new Template(source);
    } catch (cause) {
      throw new InkwellError('tokenizer-invalid', `tokenizer_config.json chat_template does not parse: ${(cause as Error).message}`, {
        cause,
        details: { field: 'chat_template' },
      });
    }
  }

  /**
   * Returns undefined when the model has no chat template. `templateFile` is the folder's
   * chat_template.jinja: like transformers, it wins over tokenizer_config.json's chat_template.
   */
  static fromTokenizerConfig(config: Readonly<Record<string, unknown>>, templateFile?: string): ChatTemplate | undefined {
    let source = templateFile ?? config.chat_template;
    // Some models ship several named templates: [{ name, template }].
    if (Array.isArray(source)) {
      const named = source as { name?: unknown; template?: unknown }[];
      source = (named.find((t) => t.name === 'default') ?? named[0])?.template;
    }
    if (typeof source !== 'string') return undefined;
    const tokens: Record<string, string | undefined> = {};
    for (const key of ['bos_token', 'eos_token', 'pad_token', 'unk_token']) {
      const v = config[key];
      tokens[key] = typeof v === 'string' ? v : typeof (v as { content?: unknown })?.content === 'string' ? (v as { content: string }).content : undefined;
    }
    return new ChatTemplate(source, tokens);
  }

  render(messages: readonly ChatMessage[], addGenerationPrompt = true): string {
    try {
      return this.template.render({ messages, add_generation_prompt: addGenerationPrompt, ...this.specialTokens });
    } catch (cause) {
      throw new InkwellError('invalid-argument', `chat template failed to render: ${(cause as Error).message}`, { cause });
    }
  }
}
