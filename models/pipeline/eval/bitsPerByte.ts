import { languageOf, type Language } from '../corpus/CandidateFile';
import type { LanguageModel } from '../../../sidecar/engine/model/LanguageModel';
import type { CorpusText } from '../readJsonLines';
import { heldoutPerplexity } from './heldoutPerplexity';

export interface BitsPerByteResult {
  readonly files: number;
  /** UTF-8 bytes of the files' texts. */
  readonly bytes: number;
  /** Ids of the stream (each file's ids and its EOS). */
  readonly ids: number;
  /** Positions scored (window − 1 per window). */
  readonly scored: number;
  readonly meanNll: number;
  /** meanNll / ln 2 × ids / bytes: the scored positions' mean cost in bits, spread over the bytes the stream's ids stand for. */
  readonly bitsPerByte: number;
  readonly accuracy: number;
}

/** One language's held-out files as a single token stream (each file's ids, then EOS). */
export interface LanguageStream {
  readonly ids: number[];
  readonly bytes: number;
  readonly files: number;
}

/**
 * Each language's held-out files tokenized as the encode stage does (`encode` is its literal
 * encoder: the file's ids, then EOS) into one stream. Encoded once, scored per dtype.
 */
export function languageStreams(encode: (text: string) => number[], files: Iterable<CorpusText>, eosId: number): Map<Language, LanguageStream> {
  const streams = new Map<Language, { ids: number[]; bytes: number; files: number }>();
  for (const file of files) {
    const language = languageOf(file.id);
    if (language === undefined) continue;
    const s = streams.get(language) ?? { ids: [], bytes: 0, files: 0 };
    for (const id of encode(file.text)) s.ids.push(id);
    s.ids.push(eosId);
    s.bytes += Buffer.byteLength(file.text, 'utf8');
    s.files++;
    streams.set(language, s);
  }
  return streams;
}

/**
 * Bits per byte per language: each stream scored by `heldoutPerplexity` (non-overlapping windows,
 * each a fresh context), and the mean NLL per id converted with that stream's ids per byte. Bits
 * per byte compare across tokenizers, unlike perplexity.
 */
export async function bitsPerByte(
  model: LanguageModel,
  streams: ReadonlyMap<Language, LanguageStream>,
  options: { readonly window: number; readonly maxWindows?: number; readonly signal?: AbortSignal },
): Promise<Partial<Record<Language, BitsPerByteResult>>> {
  const result: Partial<Record<Language, BitsPerByteResult>> = {};
  for (const [language, s] of [...streams].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (s.ids.length < options.window) continue;
    const p = await heldoutPerplexity(model, s.ids, { window: options.window, ...(options.maxWindows && { maxWindows: options.maxWindows }), ...(options.signal && { signal: options.signal }) });
    result[language] = {
      files: s.files, bytes: s.bytes, ids: s.ids.length, scored: p.tokens, meanNll: p.meanNll,
      bitsPerByte: (p.meanNll / Math.LN2) * (s.ids.length / s.bytes), accuracy: p.accuracy,
    };
  }
  return result;
}
