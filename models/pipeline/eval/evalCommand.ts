import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { MODEL_DTYPES, type ModelDtype } from '../../../sidecar/runtime/model/modelFolder';
import { positiveInteger } from '../positiveInteger';
import { workPaths } from '../workPaths';
import { evalReportMarkdown } from './evalReport';
import { evaluateModel } from './evaluateModel';

export const evalUsage = `eval --model DIR [--assistant DIR] [--out DIR] [--data DIR] [--cases 500] [--windows N] [--dtype q4] [--heldout-text FILE|''] [--perplexity-dtypes fp32,q4|''] [--fim-order psm|spm] [--token-healing on|off]
    Perplexity / next-token accuracy on heldout.u16 (fp32 and q4), single-line FIM completions of
    heldout-fim.jsonl through the server's completion code on --dtype (exact / prefix match, latency),
    and with --assistant the acceptance rate and speculative speedup. With the corpus's held-out texts
    (--heldout-text, default models/.work/corpus/heldout.jsonl; '' skips) also bits per byte per language
    and ten multi-line completions by a fixed rule. --perplexity-dtypes '' and --cases 0 skip those
    parts (to measure latency on a quiet machine apart from the rest). --fim-order: the completions'
    prompt order (default: the model folder's inkwell.json fim.order, else psm). Writes eval.md + eval.json.`;

export async function evalCommand(argv: readonly string[], signal: AbortSignal): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { model: { type: 'string' }, assistant: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' }, cases: { type: 'string' }, windows: { type: 'string' }, dtype: { type: 'string' }, 'heldout-text': { type: 'string' }, 'perplexity-dtypes': { type: 'string' }, 'fim-order': { type: 'string' }, 'token-healing': { type: 'string' } },
  });
  const model = values.model;
  if (!model) throw new InkwellError('invalid-argument', 'eval needs --model DIR (a model folder)', { details: { field: 'model' } });
  const dtype = (values.dtype ?? 'q4') as ModelDtype;
  if (!MODEL_DTYPES.includes(dtype)) throw new InkwellError('invalid-argument', `--dtype must be one of ${MODEL_DTYPES.join(', ')}, got ${dtype}`, { details: { field: 'dtype', value: dtype } });
  const paths = workPaths();
  const cases = values.cases === '0' ? 0 : positiveInteger('cases', values.cases);
  const perplexityDtypes = values['perplexity-dtypes'] === undefined ? undefined : values['perplexity-dtypes'].split(',').filter((d) => d !== '') as ModelDtype[];
  for (const d of perplexityDtypes ?? []) {
    if (!MODEL_DTYPES.includes(d)) throw new InkwellError('invalid-argument', `--perplexity-dtypes: each must be one of ${MODEL_DTYPES.join(', ')}, got ${d}`, { details: { field: 'perplexity-dtypes', value: d } });
  }
  const maxWindows = positiveInteger('windows', values.windows);
  const fimOrder = values['fim-order'];
  const healingFlag = values['token-healing'];
  if (healingFlag !== undefined && healingFlag !== 'on' && healingFlag !== 'off') throw new InkwellError('invalid-argument', `--token-healing must be on or off, got ${healingFlag}`, { details: { field: 'token-healing', value: healingFlag } });
  if (fimOrder !== undefined && fimOrder !== 'psm' && fimOrder !== 'spm') throw new InkwellError('invalid-argument', `--fim-order must be psm or spm, got ${fimOrder}`, { details: { field: 'fim-order', value: fimOrder } });
  const report = await evaluateModel({
    model,
    ...(values.assistant && { assistant: values.assistant }),
    heldoutTokens: values.data ? join(values.data, 'heldout.u16') : paths.heldoutTokens,
    fimCases: values.data ? join(values.data, 'heldout-fim.jsonl') : paths.fimCases,
    ...(values['heldout-text'] !== '' && { heldoutText: values['heldout-text'] ?? paths.heldoutText }),
    dtype,
    ...(cases !== undefined && { cases }),
    ...(perplexityDtypes && { perplexityDtypes }),
    ...(maxWindows && { maxWindows }),
    ...(fimOrder && { fimOrder }),
    tokenHealing: values['token-healing'] !== 'off',
    signal,
    log: (line) => process.stderr.write(`[eval] ${line}\n`),
  });
  const markdown = evalReportMarkdown(report);
  process.stdout.write(markdown);
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(values.out, 'eval.md'), markdown);
  }
}
