import type { ChatMessage } from '../../protocol/chatMessage';
import { TemplateRenderer } from './TemplateRenderer';

/**
 * The model's chat template (chat_template.jinja or tokenizer_config.json's chat_template),
 * rendered with @huggingface/jinja. A template is code from the model folder, so it is parsed
 * and rendered off the main thread under limits (TemplateRenderer); a template that does not
 * parse fails the chat requests that need it, not the model's load.
 */
export class ChatTemplate {
  constructor(
    readonly source: string,
    private readonly specialTokens: Readonly<Record<string, string | undefined>>,
    /** The file the template came from, for errors. */
    readonly origin: string,
    private readonly renderer: TemplateRenderer = new TemplateRenderer(),
  ) {}

  /**
   * Returns undefined when the model has no chat template. `templateFile` is the folder's
   * chat_template.jinja: like transformers, it wins over tokenizer_config.json's chat_template.
   */
  static fromTokenizerConfig(config: Readonly<Record<string, unknown>>, templateFile?: string, renderer?: TemplateRenderer): ChatTemplate | undefined {
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
    const origin = templateFile !== undefined ? 'chat_template.jinja' : 'tokenizer_config.json chat_template';
    return new ChatTemplate(source, tokens, origin, renderer);
  }

  render(messages: readonly ChatMessage[], addGenerationPrompt = true, signal?: AbortSignal): Promise<string> {
    const context = { messages, add_generation_prompt: addGenerationPrompt, ...this.specialTokens };
    const inputChars = messages.reduce((n, m) => n + m.content.length, 0);
    return this.renderer.render({ source: this.source, context, inputChars, origin: this.origin }, signal);
  }

  /** Stops the template worker now (it also stops by itself when unused). */
  dispose(): void {
    this.renderer.dispose();
  }
}
