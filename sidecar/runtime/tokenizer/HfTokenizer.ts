import { Tokenizer } from '@huggingface/tokenizers';
import { InkwellError } from '../../engine';
import type { TextTokenizer } from '../../engine';
import { OffThreadEncoder } from './OffThreadEncoder';
import { tokenizerVocabSize } from './tokenizerVocabSize';

function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

/**
 * The tokenizer library's complaint without the file's contents: "Unknown Normalizer type: X"
 * keeps X only when it looks like a type name, since the rest of a hostile file may be anything.
 */
function libraryProblem(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const valued = /^([^:]*):\s*(.*)$/.exec(message);
  if (valued && !/^[A-Za-z][\w.-]{0,63}$/.test(valued[2]!)) return `${valued[1]} (the value is not shown)`;
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

/** tokenizer.json + tokenizer_config.json behind the engine's TextTokenizer seam. */
export class HfTokenizer implements TextTokenizer {
  readonly vocabSize: number;
  readonly eosTokenIds: readonly number[];
  readonly bosTokenId: number | undefined;
  readonly padTokenId: number | undefined;
  private readonly tokenizer: Tokenizer;
  private readonly special: ReadonlySet<number>;
  private readonly offThread: OffThreadEncoder;

  constructor(
    tokenizerJson: Readonly<Record<string, unknown>>,
    tokenizerConfig: Readonly<Record<string, unknown>>,
    /** eos ids from config.json / generation_config.json, used when tokenizer_config names none. */
    fallbackEos: readonly number[] = [],
  ) {
    try {
      this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (cause) {
      throw new InkwellError('tokenizer-invalid', `tokenizer.json could not be loaded: ${libraryProblem(cause)}`, { details: { file: 'tokenizer.json' } });
    }
    this.vocabSize = tokenizerVocabSize(tokenizerJson);
    const special = new Set<number>();
    const added = Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens : [];
    for (const t of added as { id?: unknown; special?: unknown }[]) {
      if (typeof t.id === 'number' && t.special === true) special.add(t.id);
    }
    this.special = special;
    const idOf = (key: string) => {
      const content = tokenContent(tokenizerConfig[key]);
      return content === undefined ? undefined : this.tokenizer.token_to_id(content);
    };
    const eos = idOf('eos_token');
    this.eosTokenIds = eos !== undefined ? [...new Set([eos, ...fallbackEos])] : [...fallbackEos];
    this.bosTokenId = idOf('bos_token');
    this.padTokenId = idOf('pad_token');
    this.offThread = new OffThreadEncoder(tokenizerJson, tokenizerConfig, (text, addSpecialTokens) => this.encode(text, { addSpecialTokens }));
  }

  /**
   * `encode` for request text that may be long (prompts, watermark texts): a long text is encoded
   * in a worker thread, so the caller's event loop keeps serving meanwhile. Same ids as `encode`.
   */
  encodeOffThread(text: string, options: { addSpecialTokens?: boolean } = {}): Promise<number[]> {
    return this.offThread.encode(text, options);
  }

  /** Stops the tokenizer's worker thread, if one was started. */
  dispose(): Promise<void> {
    return this.offThread.dispose();
  }

  encode(text: string, options: { addSpecialTokens?: boolean } = {}): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: options.addSpecialTokens ?? false }).ids;
  }

  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    // @huggingface/tokenizers throws on an empty list; transformers (and every caller) expects ''.
    if (ids.length === 0) return '';
    return this.tokenizer.decode(ids as number[], { skip_special_tokens: options.skipSpecialTokens ?? false, clean_up_tokenization_spaces: false });
  }

  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }

  isSpecial(id: number): boolean {
    return this.special.has(id);
  }
}
