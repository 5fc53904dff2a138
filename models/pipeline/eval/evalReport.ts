import type { EvalReport } from './evaluateModel';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** The report as markdown: one table of numbers, then the ten fixed examples. */
export function evalReportMarkdown(report: EvalReport): string {
  const rows: [string, string][] = [];
  for (const [dtype, p] of Object.entries(report.perplexity)) {
    rows.push([`perplexity (${dtype}, windows of ${p.window}, stride ${p.window}, ${p.tokens} tokens)`, p.perplexity.toFixed(3)]);
    rows.push([`next-token accuracy (${dtype})`, pct(p.accuracy)]);
  }
  for (const [dtype, byLanguage] of Object.entries(report.bitsPerByte ?? {})) {
    for (const [language, r] of Object.entries(byLanguage)) {
      rows.push([`bits per byte, ${language} (${dtype}; ${r.files} files, ${(r.bytes / 1e6).toFixed(2)} MB, ${(r.bytes / r.ids).toFixed(2)} bytes/id)`, r.bitsPerByte.toFixed(3)]);
      rows.push([`next-token accuracy, ${language} (${dtype})`, pct(r.accuracy)]);
    }
  }
  const f = report.fim;
  if (f.cases > 0) rows.push(
    [`single-line FIM cases (${report.dtype}, ${(f.order ?? 'psm').toUpperCase()} prompts${f.tokenHealing ? ', token healing' : ''})`, String(f.cases)],
    ['exact match', pct(f.exactMatch)],
    ['prefix match (chars matched before the first difference / expected length, mean)', pct(f.prefixMatch)],
    ['prediction is a non-empty prefix of the expected line', pct(f.nonEmptyPrefix)],
    ['no completion shown', pct(f.empty)],
    ['completion latency p50 / p95', `${ms(f.latencyMs.p50)} / ${ms(f.latencyMs.p95)}`],
    ['generated tokens per completion (mean)', f.meanGeneratedTokens.toFixed(1)],
  );
  const a = report.assistant;
  if (a) {
    rows.push(
      ['assistant acceptance rate', pct(a.acceptanceRate)],
      ['tokens per main-model forward', a.tokensPerMainForward.toFixed(2)],
      ['speculative speedup (sum plain / sum assisted)', `${a.speedup.toFixed(2)}×`],
      ['assisted latency p50 / p95', `${ms(a.latencyMs.p50)} / ${ms(a.latencyMs.p95)}`],
      ['assisted ≠ plain (must be 0)', String(a.mismatches)],
    );
  }
  const table = ['| measure | value |', '|---|---:|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  const code = (s: string) => `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
  const examples = [
    '| # | line before the cursor | expected | completion |',
    '|---:|---|---|---|',
    ...report.examples.map((e) => `| ${e.index} | ${code(e.linePrefix.trimStart().slice(-40))} | ${code(e.expected)} | ${code(e.predicted)} |`),
  ].join('\n');
  const fence = (s: string) => `\`\`\`\n${s.replace(/```/g, "'''")}\n\`\`\``;
  const multi = (report.multiLine ?? []).map((m, i) => `${i + 1}. \`${m.file.split('/').slice(-3).join('/')}\` line ${m.line + 1}, last lines before the cursor:\n\n${fence(m.before)}\n\n   completion:\n\n${fence(m.completion)}\n\n   the file goes on:\n\n${fence(m.expected)}\n`).join('\n');
  const single = report.examples.length > 0 ? `\n\nFirst ten cases of the file (the fixed rule):\n\n${examples}\n` : '\n';
  return `${table}${single}${multi ? `\nMulti-line completions at the first block opener from line 11 of the first held-out files (at most 4 per language; the fixed rule of multiLineCases):\n\n${multi}` : ''}`;
}
