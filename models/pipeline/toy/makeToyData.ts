import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { trainByteLevelBpe, writeTokenizerFiles } from '../../../sidecar/builder/tokenizer/index';
import { HfTokenizer } from '../../../sidecar/runtime/tokenizer/HfTokenizer';
import { workPaths } from '../workPaths';
import { uniformStream } from '../../../sidecar/builder/weights/RandomWeightSource';

export interface ToyDataOptions {
  /** Work root (models/.work by default): tokenizer/ and data/ are written under it. */
  readonly root?: string;
  /** The texts: the last `heldoutFiles` are held out. */
  readonly texts: readonly string[];
  readonly heldoutFiles?: number;
  readonly vocabSize?: number;
  /** Fill-in-the-middle cases taken from the held-out texts. */
  readonly fimCases?: number;
  readonly seed?: number;
}

export interface ToyDataSummary {
  readonly trainTokens: number;
  readonly heldoutTokens: number;
  readonly fimCases: number;
  readonly vocabSize: number;
}

/**
 * A stand-in for part 1 of the pipeline (corpus → tokenizer → token files) at toy size, for
 * development and CI: the same file layout (workPaths) and conventions — uint16 streams, every
 * document ends with EOS, half of the training documents rearranged as PSM fill-in-the-middle
 * (`<|fim_prefix|>` prefix `<|fim_suffix|>` suffix `<|fim_middle|>` middle EOS) — and
 * single-line FIM cases: the cursor inside a non-blank line, the middle the rest of that line.
 */
export function makeToyData(options: ToyDataOptions): ToyDataSummary {
  const paths = workPaths(options.root);
  const heldoutCount = options.heldoutFiles ?? 1;
  if (!(heldoutCount >= 1 && heldoutCount < options.texts.length)) {
    throw new InkwellError('invalid-argument', `heldoutFiles must be in [1, ${options.texts.length - 1}], got ${heldoutCount}`, { details: { field: 'heldoutFiles', value: heldoutCount } });
  }
  const train = options.texts.slice(0, options.texts.length - heldoutCount);
  const heldout = options.texts.slice(options.texts.length - heldoutCount);
  const trained = trainByteLevelBpe({ texts: train, vocabSize: options.vocabSize ?? 512 });
  mkdirSync(paths.tokenizerDir, { recursive: true });
  writeTokenizerFiles(paths.tokenizerDir, trained);
  const tokenizer = new HfTokenizer(trained.tokenizerJson as unknown as Record<string, unknown>, trained.tokenizerConfigJson as unknown as Record<string, unknown>, []);
  const id = (t: string): number => {
    const found = tokenizer.tokenToId(t);
    if (found === undefined) throw new InkwellError('tokenizer-invalid', `the toy tokenizer has no ${t}`);
    return found;
  };
  const eos = id('<|endoftext|>');
  const [pre, suf, mid] = [id('<|fim_prefix|>'), id('<|fim_suffix|>'), id('<|fim_middle|>')];
  const random = uniformStream(options.seed ?? 1);

  // Files run to 100k+ ids: append piece by piece (a spread of that many overflows the stack).
  const trainIds: number[] = [];
  const append = (out: number[], ...pieces: (number | number[])[]): void => {
    for (const piece of pieces) {
      if (typeof piece === 'number') out.push(piece);
      else for (const id of piece) out.push(id);
    }
  };
  for (const text of train) {
    append(trainIds, tokenizer.encode(text), eos);
    const [a, b] = [Math.floor(random() * text.length), Math.floor(random() * text.length)].sort((x, y) => x - y);
    append(trainIds, pre, tokenizer.encode(text.slice(0, a)), suf, tokenizer.encode(text.slice(b)), mid, tokenizer.encode(text.slice(a, b)), eos);
  }
  const heldoutIds: number[] = [];
  for (const text of heldout) append(heldoutIds, tokenizer.encode(text), eos);

  const cases: { file: string; prefix: string; suffix: string; middle: string }[] = [];
  const wanted = options.fimCases ?? 20;
  heldout.forEach((text, file) => {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    for (const start of starts) {
      if (cases.length >= wanted) return;
      const end = text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start);
      const line = text.slice(start, end);
      const first = line.search(/\S/);
      if (first < 0 || line.trim().length < 4) continue;
      const cursor = start + first + Math.floor(random() * (line.trimEnd().length - first - 1));
      cases.push({ file: `heldout-${file}`, prefix: text.slice(0, cursor), middle: text.slice(cursor, end), suffix: text.slice(end) });
    }
  });

  mkdirSync(dirname(paths.trainTokens), { recursive: true });
  writeFileSync(paths.trainTokens, Buffer.from(Uint16Array.from(trainIds).buffer));
  writeFileSync(paths.heldoutTokens, Buffer.from(Uint16Array.from(heldoutIds).buffer));
  writeFileSync(paths.fimCases, cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const meta = { vocabSize: tokenizer.vocabSize, eosId: eos, fimPrefixId: pre, fimSuffixId: suf, fimMiddleId: mid, trainTokens: trainIds.length, heldoutTokens: heldoutIds.length, toy: true };
  writeFileSync(paths.dataMeta, `${JSON.stringify(meta, null, 2)}\n`);
  return { trainTokens: trainIds.length, heldoutTokens: heldoutIds.length, fimCases: cases.length, vocabSize: tokenizer.vocabSize };
}
