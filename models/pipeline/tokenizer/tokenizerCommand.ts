import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSpecialTokens, tokenizerFileNames, trainByteLevelBpe, writeTokenizerFiles } from '../../../sidecar/builder/tokenizer';
import { abortError, InkwellError } from '../../../sidecar/engine/InkwellError';
import { HfTokenizer } from '../../../sidecar/runtime/tokenizer/HfTokenizer';
import { fimFormat } from '../../../sidecar/completion/fimFormat';
import type { ManifestEntry } from '../corpus/buildCorpus';
import { readJsonLines, type CorpusText } from '../readJsonLines';
import { workPaths } from '../workPaths';
import { chooseVocabSize } from './chooseVocabSize';
import { measureTokenizer } from './measureTokenizer';

/** The trainer's defaults (EOS, FIM markers, chat) plus a file separator, which the server stops at. */
export const pipelineSpecialTokens: readonly string[] = [...defaultSpecialTokens, '<|file_sep|>'];

export const tokenizerUsage = `tokenizer [--work DIR] [--sizes 8192,12288,16384] [--sample-mb 32] [--tolerance 0.03]
    Trains byte-level BPE at each size on the first sample-mb of train.jsonl, measures bytes per
    token on every held-out file, and writes the smallest size within tolerance of the best.`;

/** Rows of an embedding table at this width (the model's hidden size the report quotes). */
const HIDDEN = 512;

export async function tokenizerCommand(argv: readonly string[], signal: AbortSignal): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { work: { type: 'string' }, sizes: { type: 'string' }, 'sample-mb': { type: 'string' }, tolerance: { type: 'string' } },
  });
  const paths = workPaths(values.work);
  const sizes = (values.sizes ?? '8192,12288,16384').split(',').map(Number);
  const sampleBytes = Number(values['sample-mb'] ?? 32) * 1e6;
  const tolerance = Number(values.tolerance ?? 0.03);
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 512 || size > 65_535) {
      throw new InkwellError('invalid-argument', `--sizes must be integers from 512 to 65535 (token files are uint16), got ${size}`, { details: { field: 'sizes', value: size } });
    }
  }
  if (!(sampleBytes > 0)) throw new InkwellError('invalid-argument', `--sample-mb must be positive, got ${values['sample-mb']}`, { details: { field: 'sample-mb' } });

  const sample: string[] = [];
  let sampled = 0;
  for (const doc of readJsonLines<CorpusText>(paths.trainText)) {
    if (sampled >= sampleBytes) break;
    sample.push(doc.text);
    sampled += Buffer.byteLength(doc.text, 'utf8');
  }
  const languages = new Map<string, ManifestEntry['language']>();
  for (const e of readJsonLines<ManifestEntry>(paths.manifest)) languages.set(e.path, e.language);
  const heldout = [...readJsonLines<CorpusText>(paths.heldoutText)].map((d) => ({ ...d, language: languages.get(d.id)! }));
  process.stdout.write(`sample: ${sample.length} train files, ${(sampled / 1e6).toFixed(1)} MB; held out: ${heldout.length} files\n`);

  const candidatesDir = join(paths.root, 'tokenizer-candidates');
  const results = [];
  for (const vocabSize of sizes) {
    if (signal.aborted) throw abortError();
    const started = performance.now();
    const trained = trainByteLevelBpe({ texts: sample, vocabSize, specialTokens: pipelineSpecialTokens, modelMaxLength: 4096 });
    const trainSeconds = (performance.now() - started) / 1000;
    const dir = join(candidatesDir, String(vocabSize));
    writeTokenizerFiles(dir, trained);
    const measured = measureTokenizer(loadTokenizer(dir), heldout);
    const row = { vocabSize, trainSeconds, embeddingParamsAtHidden512: vocabSize * HIDDEN, ...measured, roundTripFailures: measured.roundTripFailures.length };
    results.push(row);
    const langs = Object.entries(measured.byLanguage).map(([k, v]) => `${k} ${v.bytesPerToken.toFixed(3)}`).join(', ');
    process.stdout.write(`${vocabSize}: trained in ${trainSeconds.toFixed(1)} s; held out ${measured.bytesPerToken.toFixed(3)} bytes/token (${langs}); ` +
      `${measured.tokens} tokens; round-trip failures ${measured.roundTripFailures.length}; embedding ${(vocabSize * HIDDEN / 1e6).toFixed(2)}M params at hidden ${HIDDEN}\n`);
    if (measured.roundTripFailures.length > 0) {
      throw new InkwellError('tokenizer-invalid', `tokenizer ${vocabSize} does not round-trip ${measured.roundTripFailures.length} held-out files, e.g. ${measured.roundTripFailures[0]}`, { details: { vocabSize } });
    }
  }
  const chosen = chooseVocabSize(results, tolerance);
  const chosenDir = join(candidatesDir, String(chosen));
  const format = fimFormat(loadTokenizer(chosenDir));
  if (format?.family !== 'qwen') {
    throw new InkwellError('tokenizer-invalid', `the server detects FIM family ${format?.family} in the chosen tokenizer, not qwen`, { details: { vocabSize: chosen } });
  }
  rmSync(paths.tokenizerDir, { recursive: true, force: true });
  mkdirSync(paths.tokenizerDir, { recursive: true });
  for (const name of Object.values(tokenizerFileNames)) cpSync(join(chosenDir, name), join(paths.tokenizerDir, name));
  const selection = { rule: `smallest vocabulary within ${tolerance * 100}% of the best held-out bytes/token`, chosen, sampleFiles: sample.length, sampleBytes: sampled, heldoutFiles: heldout.length, candidates: results };
  writeFileSync(join(paths.tokenizerDir, 'selection.json'), `${JSON.stringify(selection, null, 2)}\n`);
  process.stdout.write(`chosen: ${chosen} (${selection.rule}); written to ${paths.tokenizerDir}\n`);
}

export function loadTokenizer(dir: string): HfTokenizer {
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
  return new HfTokenizer(read(tokenizerFileNames.tokenizer), read(tokenizerFileNames.tokenizerConfig));
}
