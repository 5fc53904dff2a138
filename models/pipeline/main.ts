// The pipeline's CLI: `npm run models -- <stage> [options]`. A stage is one line in STAGES.
import { InkwellError } from '../../sidecar/engine/InkwellError';
import { corpusCommand, corpusUsage } from './corpus/corpusCommand';
import { fetchCorpusCommand, fetchCorpusUsage } from './corpus/fetchCorpusCommand';
import { encodeCommand, encodeUsage } from './encode/encodeCommand';
import { evalCommand, evalUsage } from './eval/evalCommand';
import { exportCommand, exportUsage } from './export/exportCommand';
import { shipCommand, shipUsage } from './ship/shipCommand';
import { tokenizerCommand, tokenizerUsage } from './tokenizer/tokenizerCommand';
import { toyDataCommand, toyDataUsage } from './toy/toyDataCommand';

type Stage = (argv: readonly string[], signal: AbortSignal) => Promise<void>;

const STAGES: Readonly<Record<string, { run: Stage; usage: string }>> = {
  'fetch-corpus': { run: fetchCorpusCommand, usage: fetchCorpusUsage },
  corpus: { run: corpusCommand, usage: corpusUsage },
  tokenizer: { run: tokenizerCommand, usage: tokenizerUsage },
  encode: { run: encodeCommand, usage: encodeUsage },
  'toy-data': { run: toyDataCommand, usage: toyDataUsage },
  export: { run: exportCommand, usage: exportUsage },
  eval: { run: evalCommand, usage: evalUsage },
  ship: { run: shipCommand, usage: shipUsage },
};

async function main(argv: readonly string[]): Promise<number> {
  const stage = STAGES[argv[0] ?? ''];
  if (stage === undefined) {
    process.stderr.write(`usage: npm run models -- <stage> [options]\n\n${Object.entries(STAGES).map(([name, s]) => `  ${s.usage.startsWith(name) ? '' : `${name} `}${s.usage}`).join('\n\n')}\n`);
    return argv.length === 0 || argv[0] === '--help' ? 0 : 2;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  try {
    await stage.run(argv.slice(1), controller.signal);
    return 0;
  } catch (error) {
    if (controller.signal.aborted) return 130;
    process.stderr.write(`${InkwellError.is(error) ? `${error.code}: ${error.message}` : (error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
