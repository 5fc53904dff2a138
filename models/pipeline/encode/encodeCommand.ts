import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { loadTokenizer, pipelineSpecialTokens } from '../tokenizer/tokenizerCommand';
import { workPaths } from '../workPaths';
import { encodeCorpus } from './encodeCorpus';
import { defaultFimMix } from './fimExamples';
import { defaultFimCaseRule } from './heldoutFimCases';

export const encodeUsage = `encode [--work DIR] [--seed 7] [--fim-rate 0.5] [--max-train-tokens 28000000] [--fim-chunk-chars 4000] [--line-share 0.5] [--spm-share 0]
    Tokenizes both splits into train.u16 / heldout.u16 (FIM applied per document at the character
    level), writes heldout-fim.jsonl and meta.json. --fim-chunk-chars: longest FIM example in characters
    (keep an example inside the context train.py trains: ~3.8 characters a token). --line-share: share of
    FIM examples whose middle is the rest of a line; --spm-share: share in suffix-prefix-middle order.`;

export async function encodeCommand(argv: readonly string[], signal: AbortSignal): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { work: { type: 'string' }, seed: { type: 'string' }, 'fim-rate': { type: 'string' }, 'max-train-tokens': { type: 'string' }, 'fim-chunk-chars': { type: 'string' }, 'line-share': { type: 'string' }, 'spm-share': { type: 'string' } },
  });
  const paths = workPaths(values.work);
  const seed = Number(values.seed ?? 7);
  const maxTrainTokens = Number(values['max-train-tokens'] ?? 28_000_000);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InkwellError('invalid-argument', `--seed must be an integer from 0 to 4294967295, got ${values.seed}`, { details: { field: 'seed' } });
  if (!Number.isInteger(maxTrainTokens) || maxTrainTokens < 1) throw new InkwellError('invalid-argument', `--max-train-tokens must be a positive integer, got ${values['max-train-tokens']}`, { details: { field: 'max-train-tokens' } });
  const maxChunkChars = Number(values['fim-chunk-chars'] ?? defaultFimMix.maxChunkChars);
  if (!Number.isInteger(maxChunkChars) || maxChunkChars < 64) throw new InkwellError('invalid-argument', `--fim-chunk-chars must be an integer of at least 64, got ${values['fim-chunk-chars']}`, { details: { field: 'fim-chunk-chars', min: 64 } });
  const started = performance.now();
  const meta = encodeCorpus(
    loadTokenizer(paths.tokenizerDir),
    paths,
    {
      mix: {
        fimRate: Number(values['fim-rate'] ?? defaultFimMix.fimRate),
        lineShare: Number(values['line-share'] ?? defaultFimMix.lineShare),
        spmShare: Number(values['spm-share'] ?? defaultFimMix.spmShare),
        maxChunkChars,
      },
      seed,
      maxTrainTokens,
      caseRule: defaultFimCaseRule,
      specialTokens: pipelineSpecialTokens,
    },
    signal,
  );
  const mib = (p: string) => `${(statSync(p).size / 2 ** 20).toFixed(2)} MiB`;
  process.stdout.write(`${JSON.stringify(meta, null, 2)}\ntrain.u16 ${mib(paths.trainTokens)}, heldout.u16 ${mib(paths.heldoutTokens)}, heldout-fim.jsonl ${mib(paths.fimCases)}; ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
