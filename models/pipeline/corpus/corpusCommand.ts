import { statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { workPaths } from '../workPaths';
import { buildCorpus, defaultCorpusLimits, type CorpusSummary } from './buildCorpus';
import { corpusCandidates, defaultCorpusSources } from './corpusSources';

export const corpusUsage = `corpus [--work DIR] [--npm-root DIR]... [--python-stdlib DIR]... [--python-site DIR]...
    Collects permissively licensed TS/JS/Python on this machine into manifest.jsonl, train.jsonl and
    heldout.jsonl (the folders given replace the default ones of that kind).`;

export async function corpusCommand(argv: readonly string[], signal: AbortSignal): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      work: { type: 'string' },
      'npm-root': { type: 'string', multiple: true },
      'python-stdlib': { type: 'string', multiple: true },
      'python-site': { type: 'string', multiple: true },
    },
  });
  const paths = workPaths(values.work);
  const defaults = defaultCorpusSources(join(__dirname, '..', '..', '..'));
  const sources = {
    npmRoots: values['npm-root'] ?? defaults.npmRoots,
    pythonStdlibs: values['python-stdlib'] ?? defaults.pythonStdlibs,
    pythonSites: values['python-site'] ?? defaults.pythonSites,
    dpkgInfo: defaults.dpkgInfo,
  };
  const unlicensed: Record<string, { files: number; bytes: number }> = {};
  const started = performance.now();
  const summary = buildCorpus(
    corpusCandidates(sources, (path, why) => {
      const t = (unlicensed[why] ??= { files: 0, bytes: 0 });
      t.files++;
      t.bytes += statSync(path).size;
    }),
    { manifest: paths.manifest, trainText: paths.trainText, heldoutText: paths.heldoutText },
    defaultCorpusLimits,
    signal,
  );
  const full = {
    sources,
    limits: { ...defaultCorpusLimits, uncappedOrigin: 'debian …/stdlib' },
    ...summary,
    dropped: { ...unlicensed, ...summary.dropped },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  writeFileSync(join(dirname(paths.manifest), 'summary.json'), `${JSON.stringify(full, null, 2)}\n`);
  process.stdout.write(formatSummary(full));
}

function formatSummary(s: CorpusSummary & { sources: object; seconds: number }): string {
  const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
  const rows = (table: Record<string, { files: number; bytes: number }>) =>
    Object.entries(table).sort((a, b) => b[1].bytes - a[1].bytes).map(([k, t]) => `  ${k.padEnd(40)} ${String(t.files).padStart(7)} files ${mb(t.bytes).padStart(12)}`).join('\n');
  return [
    `kept ${s.kept.files} files, ${mb(s.kept.bytes)} from ${s.origins} origins in ${s.seconds} s`,
    'by language (held out in brackets):',
    ...Object.entries(s.byLanguage).map(([k, t]) => `  ${k.padEnd(40)} ${String(t.files).padStart(7)} files ${mb(t.bytes).padStart(12)}  (${t.heldoutFiles} files, ${mb(t.heldoutBytes)})`),
    'by source:', rows(s.bySource),
    'by license:', rows(s.byLicense),
    'dropped:', rows(s.dropped),
    'licenses of dropped packages (files):',
    ...Object.entries(s.droppedLicenses).map(([k, n]) => `  ${k.slice(0, 60).padEnd(60)} ${n}`),
    '',
  ].join('\n');
}
