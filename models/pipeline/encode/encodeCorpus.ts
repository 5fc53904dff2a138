import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { abortError, InkwellError } from '../../../sidecar/engine/InkwellError';
import { Xoshiro128 } from '../../../sidecar/engine/sampling/Xoshiro128';
import type { TextTokenizer } from '../../../sidecar/engine/model/TextTokenizer';
import { fimFormat } from '../../../sidecar/completion/fimFormat';
import { readJsonLines, type CorpusText } from '../readJsonLines';
import type { WorkPaths } from '../workPaths';
import { exampleIds } from './exampleIds';
import { fimExamples, type FimMix } from './fimExamples';
import { defaultFimCaseRule, heldoutFimCases, type FimCaseRule } from './heldoutFimCases';
import { literalEncoder } from './literalEncoder';
import { TokenFileWriter } from './TokenFileWriter';

export interface EncodeOptions {
  readonly mix: FimMix;
  readonly seed: number;
  /** Most train tokens (uint16: 2 bytes each); the shipped token file must stay within 64 MiB with the rest. */
  readonly maxTrainTokens: number;
  readonly caseRule: FimCaseRule;
  readonly specialTokens: readonly string[];
}

/**
 * Writes train.u16 (plain and FIM examples of every train document, in the corpus's shuffled
 * order), heldout.u16 (held-out documents plain, for perplexity), heldout-fim.jsonl and meta.json.
 * Each document draws from its own RNG, seeded by the run seed and its id, so one document's
 * examples do not depend on the others.
 */
export function encodeCorpus(tokenizer: TextTokenizer, paths: WorkPaths, options: EncodeOptions, signal?: AbortSignal) {
  const format = fimFormat(tokenizer);
  if (format === undefined) throw new InkwellError('tokenizer-invalid', 'the tokenizer has no FIM markers the server recognises', { details: {} });
  const eosId = tokenizer.eosTokenIds[0];
  if (eosId === undefined) throw new InkwellError('tokenizer-invalid', 'the tokenizer names no EOS token', { details: {} });
  const encode = literalEncoder((t) => tokenizer.encode(t), options.specialTokens);
  const counts = { documents: 0, plain: 0, psm: 0, spm: 0, lineSpans: 0, randomSpans: 0, truncatedDocuments: 0, bytes: 0 };

  const train = new TokenFileWriter(paths.trainTokens);
  try {
    for (const doc of readJsonLines<CorpusText>(paths.trainText)) {
      if ((counts.documents & 63) === 0 && signal?.aborted) throw abortError();
      const rng = new Xoshiro128(options.seed ^ createHash('sha256').update(doc.id).digest().readUInt32LE(0));
      const ids = fimExamples(doc.text, options.mix, rng).flatMap((example) => {
        if (example.kind === 'plain') counts.plain++;
        else {
          counts[example.kind]++;
          counts[example.span === 'line' ? 'lineSpans' : 'randomSpans']++;
        }
        return exampleIds(example, { format, eosId }, encode);
      });
      if (train.count + ids.length > options.maxTrainTokens) {
        counts.truncatedDocuments++;
        continue; // over the token budget: left out whole, never cut mid-example
      }
      train.append(ids);
      counts.documents++;
      counts.bytes += Buffer.byteLength(doc.text, 'utf8');
    }
  } finally {
    train.close();
  }

  const heldout = new TokenFileWriter(paths.heldoutTokens);
  mkdirSync(dirname(paths.fimCases), { recursive: true });
  const cases = openSync(paths.fimCases, 'w');
  let heldoutDocuments = 0;
  let fimCases = 0;
  try {
    for (const doc of readJsonLines<CorpusText>(paths.heldoutText)) {
      if (signal?.aborted) throw abortError();
      heldout.append([...encode(doc.text), eosId]);
      heldoutDocuments++;
      for (const c of heldoutFimCases(doc.id, doc.text, options.caseRule)) {
        writeSync(cases, `${JSON.stringify(c)}\n`);
        fimCases++;
      }
    }
  } finally {
    heldout.close();
    closeSync(cases);
  }

  const id = (t: string) => tokenizer.tokenToId(t);
  const meta = {
    vocabSize: tokenizer.vocabSize,
    eosId,
    fimPrefixId: format.prefixId,
    fimSuffixId: format.suffixId,
    fimMiddleId: format.middleId,
    fimPadId: id('<|fim_pad|>'),
    fileSepId: id('<|file_sep|>'),
    dtype: 'uint16-le',
    trainTokens: train.count,
    heldoutTokens: heldout.count,
    trainDocuments: counts.documents,
    trainBytes: counts.bytes,
    heldoutDocuments,
    fimCases,
    examples: { plain: counts.plain, psm: counts.psm, spm: counts.spm, lineSpans: counts.lineSpans, randomSpans: counts.randomSpans },
    documentsOverTokenBudget: counts.truncatedDocuments,
    fim: { ...options.mix, caseRule: options.caseRule, seed: options.seed, spmForm: 'starcoder: <|fim_prefix|><|fim_suffix|>suffix<|fim_middle|>prefix middle' },
  };
  writeFileSync(paths.dataMeta, `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

export { defaultFimCaseRule };
