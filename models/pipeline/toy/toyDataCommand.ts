import { defaultTokenizerCorpus } from '../../../sidecar/builder/tokenizer/index';
import type { Flags } from '../main';
import { makeToyData } from './makeToyData';

/** `toy-data`: the TypeScript lib files as a toy corpus (the last one held out). */
export async function toyDataCommand(flags: Flags): Promise<void> {
  const summary = makeToyData({
    ...(flags.has('root') && { root: flags.get('root') }),
    texts: defaultTokenizerCorpus(),
    heldoutFiles: 2,
    vocabSize: Number(flags.get('vocab') ?? 1024),
    fimCases: Number(flags.get('cases') ?? 500),
  });
  console.log(JSON.stringify(summary));
}
