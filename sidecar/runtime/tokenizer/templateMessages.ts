/** One render request to the template process; answered by one TemplateReply with the same id. */
export interface TemplateRequest {
  readonly id: number;
  readonly source: string;
  readonly context: Readonly<Record<string, unknown>>;
  /** Parsing and rendering together. */
  readonly timeMs: number;
  /** A longer output is refused (the process's heap limit bounds what happens before). */
  readonly maxOutputChars: number;
}

export type TemplateReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'rendered'; readonly id: number; readonly text: string }
  | { readonly kind: 'failed'; readonly id: number; readonly stage: 'parse' | 'render'; readonly message: string }
  | { readonly kind: 'timed-out'; readonly id: number }
  | { readonly kind: 'too-long'; readonly id: number; readonly chars: number };
