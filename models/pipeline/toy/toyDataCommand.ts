import { parseArgs } from 'node:util';
import { defaultTokenizerCorpus } from '../../../sidecar/builder/tokenizer/index';
import { positiveInteger } from '../positiveInteger';
import { makeToyData } from './makeToyData';

export const toyDataUsage = `toy-data [--work DIR] [--vocab 1024] [--cases 500]
    A toy stand-in for the corpus/tokenizer/encode stages (development and CI only): TypeScript's
    lib .d.ts files, the last two held out, a small BPE tokenizer, token files and FIM cases.`;

export async function toyDataCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { work: { type: 'string' }, vocab: { type: 'string' }, cases: { type: 'string' } } });
  const summary = makeToyData({
    ...(values.work && { root: values.work }),
    texts: defaultTokenizerCorpus(),
    heldoutFiles: 2,
    vocabSize: positiveInteger('vocab', values.vocab) ?? 1024,
    fimCases: positiveInteger('cases', values.cases) ?? 500,
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
