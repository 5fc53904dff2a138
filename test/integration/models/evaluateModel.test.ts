import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReferenceDecoder } from '../../../sidecar/builder/reference/ReferenceDecoder';
import { exportModel } from '../../../models/pipeline/export/exportModel';
import { evalReportMarkdown } from '../../../models/pipeline/eval/evalReport';
import { evaluateModel, type EvalReport } from '../../../models/pipeline/eval/evaluateModel';
import { writeTinyCheckpoint } from '../../support/tinyCheckpoint';

const CASES = [
  { file: 'a.ts', prefix: 'function add(a, b) {\n  return ', middle: 'a + b;', suffix: '\n}\n' },
  { file: 'a.ts', prefix: 'const values = [1, 2, 3].map((v) => ', middle: 'v * 2);', suffix: '\nconsole.log(values);\n' },
  { file: 'b.ts', prefix: 'export interface Point {\n  x: ', middle: 'number;', suffix: '\n  y: number;\n}\n' },
];

/** Held-out ids: a fixed pseudo-random stream below the tokenizer's size (290). */
const HELDOUT = Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % 283);

describe('eval on a tiny exported model', () => {
  const root = mkdtempSync(join(tmpdir(), 'inkwell-eval-'));
  let model: string;
  let report: EvalReport;
  before(async () => {
    const tiny = writeTinyCheckpoint(join(root, 'ckpt'));
    model = join(root, 'model');
    exportModel({ checkpoint: tiny.checkpoint, tokenizerDir: tiny.tokenizerDir, out: model });
    const data = join(root, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'heldout.u16'), Buffer.from(Uint16Array.from(HELDOUT).buffer));
    writeFileSync(join(data, 'heldout-fim.jsonl'), CASES.map((c) => JSON.stringify(c)).join('\n') + '\n');
    // The model drafts for itself: greedy acceptance must then be complete.
    report = await evaluateModel({ model, assistant: model, heldoutTokens: join(data, 'heldout.u16'), fimCases: join(data, 'heldout-fim.jsonl'), inWorker: false });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('fp32 perplexity equals a log-softmax over the plain-TS reference logits of the same window', () => {
    // Windows of min(1024, max_position_embeddings 128, 300) = 128 ids, stride 128: two fit in 300
    // ids; the last 44 are not scored, nor is each window's first id.
    const reference = ReferenceDecoder.load(model);
    let nll = 0;
    for (const start of [0, 128]) {
      const window = HELDOUT.slice(start, start + 128);
      const logits = reference.forward({ inputIds: [window], attentionMask: [window.map(() => 1)], positionIds: [window.map((_, i) => i)] }).logits;
      for (let t = 0; t < 127; t++) {
        const row = Array.from(logits.subarray(t * 320, (t + 1) * 320));
        const max = Math.max(...row);
        nll += max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) - row[window[t + 1]!]!;
      }
    }
    const fp32 = report.perplexity.fp32!;
    assert.equal(fp32.window, 128);
    assert.equal(fp32.windows, 2);
    assert.equal(fp32.tokens, 254);
    assert.ok(Math.abs(fp32.perplexity - Math.exp(nll / 254)) < 1e-3 * fp32.perplexity, `${fp32.perplexity} vs ${Math.exp(nll / 254)}`);
  });

  it('reports every field with sane values and the right counts', () => {
    for (const dtype of ['fp32', 'q4'] as const) {
      const p = report.perplexity[dtype]!;
      assert.ok(p.perplexity >= 1 && Number.isFinite(p.perplexity));
      assert.ok(p.accuracy >= 0 && p.accuracy <= 1);
    }
    assert.equal(report.dtype, 'q4');
    assert.equal(report.fim.cases, 3);
    for (const x of [report.fim.exactMatch, report.fim.prefixMatch, report.fim.nonEmptyPrefix, report.fim.empty]) assert.ok(x >= 0 && x <= 1);
    assert.ok(report.fim.latencyMs.p50 > 0 && report.fim.latencyMs.p95 >= report.fim.latencyMs.p50);
    assert.equal(report.examples.length, 3);
    assert.deepEqual(report.examples.map((e) => e.expected), ['a + b;', 'v * 2);', 'number;']);
    assert.deepEqual(report.examples.map((e) => e.linePrefix), ['  return ', 'const values = [1, 2, 3].map((v) => ', '  x: ']);
  });

  it('an assistant identical to the model: every draft accepted, output identical to plain decoding', () => {
    const a = report.assistant!;
    assert.equal(a.mismatches, 0);
    assert.equal(a.acceptanceRate, 1);
    assert.ok(a.tokensPerMainForward >= 1);
  });

  it('the markdown table names each measure', () => {
    const md = evalReportMarkdown(report);
    for (const label of ['perplexity (fp32', 'next-token accuracy (q4)', 'exact match', 'prefix match', 'completion latency p50 / p95', 'assistant acceptance rate', 'speculative speedup']) {
      assert.ok(md.includes(label), label);
    }
    assert.equal(md.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length, 3);
  });
});
