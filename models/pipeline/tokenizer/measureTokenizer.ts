import { HfTokenizer } from '../../../sidecar/runtime/tokenizer/HfTokenizer';
import type { Language } from '../corpus/CandidateFile';

export interface TokenizerMeasurement {
  readonly bytes: number;
  readonly tokens: number;
  readonly bytesPerToken: number;
  readonly byLanguage: Record<string, { bytes: number; tokens: number; bytesPerToken: number }>;
  /** Ids of documents whose decode(encode(text)) is not the text. */
  readonly roundTripFailures: string[];
  readonly encodeSeconds: number;
}

/**
 * Compression and exactness of a tokenizer on held-out documents, through the runtime's own
 * tokenizer (the code that will encode prompts), not the trainer's view of it.
 */
export function measureTokenizer(tokenizer: HfTokenizer, docs: readonly { id: string; text: string; language: Language }[]): TokenizerMeasurement {
  const started = performance.now();
  const byLanguage: TokenizerMeasurement['byLanguage'] = {};
  const roundTripFailures: string[] = [];
  let bytes = 0;
  let tokens = 0;
  for (const doc of docs) {
    const ids = tokenizer.encode(doc.text);
    if (tokenizer.decode(ids) !== doc.text) roundTripFailures.push(doc.id);
    const b = Buffer.byteLength(doc.text, 'utf8');
    const lang = (byLanguage[doc.language] ??= { bytes: 0, tokens: 0, bytesPerToken: 0 });
    lang.bytes += b;
    lang.tokens += ids.length;
    bytes += b;
    tokens += ids.length;
  }
  for (const lang of Object.values(byLanguage)) lang.bytesPerToken = lang.bytes / lang.tokens;
  return { bytes, tokens, bytesPerToken: bytes / tokens, byLanguage, roundTripFailures, encodeSeconds: (performance.now() - started) / 1000 };
}
