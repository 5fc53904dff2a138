// `npm run conformance`: one row per fixture × dtype — does the folder load, how much of
// transformers' greedy output and how many of its beam searches Inkwell reproduces, the largest
// sequences_scores error, decode speed — then what failed to load and why. A report, not a test:
// the pass/fail bounds live in test/integration/conformance/.
import { sequenceScoresOf } from '../../sidecar/engine/generation/beam/sequenceScoresOf';
import { generate } from '../../sidecar/engine/generation/generate';
import { loadModel, readModelFolder, type LoadedModel, type ModelDtype } from '../../sidecar/runtime/index';
import { conformanceFixtures, hfRunConfig, type ConformanceFixture } from '../support/conformanceFixtures';

interface Row {
  fixture: string;
  dtype: string;
  loads: string;
  greedy: string;
  beam: string;
  scoreError: string;
  tokensPerSecond: string;
}

/** Leading tokens that equal the golden's. */
function matchingPrefix(ours: readonly number[], golden: readonly number[]): number {
  let n = 0;
  while (n < golden.length && ours[n] === golden[n]) n++;
  return n;
}

async function measure(loaded: LoadedModel, fixture: ConformanceFixture): Promise<Omit<Row, 'fixture' | 'dtype' | 'loads'>> {
  let matched = 0;
  let total = 0;
  let decodeTokens = 0;
  let decodeMs = 0;
  for (const golden of fixture.goldens.greedy) {
    const config = hfRunConfig(loaded.folder, { do_sample: false, max_new_tokens: golden.tokens.length });
    const result = await generate(loaded.model, loaded.tokenizer, { prompts: [golden.promptIds], config }).result();
    matched += matchingPrefix(result.sequences[0]!.tokenIds, golden.tokens);
    total += golden.tokens.length;
    decodeTokens += Math.max(0, result.sequences[0]!.tokenIds.length - 1);
    decodeMs += result.timings.decodeMs;
  }
  let beamMatches = 0;
  let scoreError = 0;
  for (const golden of fixture.goldens.beam) {
    const config = hfRunConfig(loaded.folder, golden.config);
    const result = await generate(loaded.model, loaded.tokenizer, { prompts: [golden.promptIds], config }).result();
    const same = JSON.stringify(result.sequences.map((s) => s.tokenIds)) === JSON.stringify(golden.sequences);
    if (same) {
      beamMatches++;
      const scores = sequenceScoresOf(result) ?? [];
      scores.forEach((s, k) => (scoreError = Math.max(scoreError, Math.abs(s - golden.sequencesScores[k]!))));
    }
  }
  return {
    greedy: `${matched}/${total}`,
    beam: `${beamMatches}/${fixture.goldens.beam.length}`,
    scoreError: beamMatches > 0 ? scoreError.toExponential(1) : '-',
    tokensPerSecond: decodeMs > 0 ? ((decodeTokens / decodeMs) * 1000).toFixed(0) : '-',
  };
}

function printTable(rows: readonly Row[]): void {
  const header: Row = {
    fixture: 'fixture', dtype: 'dtype', loads: 'loads', greedy: 'greedy tokens = HF',
    beam: 'beam searches = HF', scoreError: 'max score error', tokensPerSecond: 'decode tok/s',
  };
  const keys = Object.keys(header) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
  const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const refused: string[] = [];
  for (const fixture of conformanceFixtures()) {
    const dtypes = Object.keys(readModelFolder(fixture.dir).onnxFiles) as ModelDtype[];
    for (const dtype of dtypes) {
      const base = { fixture: fixture.name, dtype };
      let loaded: LoadedModel;
      try {
        loaded = await loadModel({ dir: fixture.dir, dtype, device: 'cpu', threads: 1 });
      } catch (e) {
        rows.push({ ...base, loads: 'no', greedy: '-', beam: '-', scoreError: '-', tokensPerSecond: '-' });
        refused.push(`${fixture.name} ${dtype}: ${(e as Error).message}`);
        continue;
      }
      try {
        rows.push({ ...base, loads: 'yes', ...(await measure(loaded, fixture)) });
      } finally {
        await loaded.model.dispose();
      }
    }
  }
  printTable(rows);
  console.log('\nGoldens: transformers generate() on the PyTorch fp32 model; quantized rows are compared with the same');
  console.log('fp32 goldens, so they show what quantization costs (test/conformance/README.md).');
  if (refused.length > 0) {
    console.log('\nDid not load:');
    for (const r of refused) console.log(`- ${r}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
