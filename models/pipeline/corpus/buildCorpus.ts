import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { abortError, InkwellError } from '../../../sidecar/engine/InkwellError';
import type { CandidateFile, Language } from './CandidateFile';
import { Deduplicator, sha256Hex } from './Deduplicator';
import { defaultGeneratedLimits, generatedReason, type GeneratedLimits } from './generatedReason';
import { packageSplit, shuffleKey, type Split } from './heldOutSplit';

/** One line of manifest.jsonl. */
export interface ManifestEntry {
  readonly path: string;
  readonly origin: string;
  readonly license: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly split: Split;
  readonly language: Language;
}

export interface CorpusLimits {
  /** Smaller files (empty `index.js` re-exports, `__init__.py`) carry no code worth learning. */
  readonly minBytes: number;
  /** Larger files are data or generated tables far more often than hand-written code. */
  readonly maxBytes: number;
  readonly generated: GeneratedLimits;
  /** Most bytes kept from one package (`npm:…` or `pypi:…`), so a few big packages cannot dominate. */
  readonly originCapBytes: number;
  /** Origins the cap does not apply to (the Python standard library). */
  readonly uncappedOrigin: (origin: string) => boolean;
  /** Most bytes kept per language: the mix of the corpus and the size of the token file. */
  readonly languageBudgetBytes: Readonly<Record<Language, number>>;
  /** Held-out share in 1/10 000 (400 = 4%), by content hash. */
  readonly heldOutBasisPoints: number;
}

export const defaultCorpusLimits: CorpusLimits = {
  minBytes: 64,
  maxBytes: 200_000,
  generated: defaultGeneratedLimits,
  originCapBytes: 1 << 20,
  uncappedOrigin: (origin) => origin.startsWith('debian '),
  languageBudgetBytes: { python: 40e6, typescript: 20e6, javascript: 20e6 },
  heldOutBasisPoints: 400,
};

export interface CorpusOutput {
  readonly manifest: string;
  readonly trainText: string;
  readonly heldoutText: string;
}

interface Tally {
  files: number;
  bytes: number;
}

export interface CorpusSummary {
  readonly kept: Tally;
  readonly byLanguage: Record<string, Tally & { heldoutFiles: number; heldoutBytes: number }>;
  readonly byLicense: Record<string, Tally>;
  readonly bySource: Record<string, Tally>;
  readonly dropped: Record<string, Tally>;
  /** Declared licenses of dropped packages, most files first. */
  readonly droppedLicenses: Record<string, number>;
  readonly origins: number;
}

/**
 * Filters candidate files (license, size, UTF-8, generated/minified, duplicates), caps each
 * package and each language, splits by package (packageSplit), and writes the manifest and both split
 * texts. Candidates are taken in the order given, and the first copy of a duplicate wins, so
 * put preferred sources first. Output order is a fixed shuffle (by path hash), so any prefix of
 * train.jsonl is a fair sample. Same inputs, same output.
 */
export function buildCorpus(candidates: Iterable<CandidateFile>, output: CorpusOutput, limits: CorpusLimits = defaultCorpusLimits, signal?: AbortSignal): CorpusSummary {
  const dropped: Record<string, Tally> = {};
  const droppedLicenses: Record<string, number> = {};
  const drop = (reason: string, bytes: number): void => {
    const t = (dropped[reason] ??= { files: 0, bytes: 0 });
    t.files++;
    t.bytes += bytes;
  };
  const dedup = new Deduplicator();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const passed: (ManifestEntry & { key: string })[] = [];
  let seen = 0;
  for (const file of candidates) {
    if ((++seen & 255) === 0 && signal?.aborted) throw abortError();
    const size = statSync(file.path).size;
    if (file.license === undefined) {
      drop('license', size);
      droppedLicenses[file.declaredLicense] = (droppedLicenses[file.declaredLicense] ?? 0) + 1;
      continue;
    }
    if (size < limits.minBytes) { drop('too-small', size); continue; }
    if (size > limits.maxBytes) { drop('too-large', size); continue; }
    const bytes = readFileSync(file.path);
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      drop('non-utf8', size);
      continue;
    }
    if (text.includes('\u0000')) { drop('non-utf8', size); continue; }
    const generated = generatedReason(file.path, text, limits.generated);
    if (generated !== undefined) { drop(generated, size); continue; }
    const duplicate = dedup.check(bytes, text);
    if (duplicate !== undefined) { drop(duplicate, size); continue; }
    const sha256 = sha256Hex(bytes);
    passed.push({
      path: file.path, origin: file.origin, license: file.license, sha256, bytes: size,
      split: packageSplit(file.origin, file.path, limits.heldOutBasisPoints), language: file.language, key: shuffleKey(file.path),
    });
  }
  passed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const originBytes = new Map<string, number>();
  const languageBytes = new Map<Language, number>();
  const kept: (ManifestEntry & { key: string })[] = [];
  // Uncapped origins (the standard library) are admitted first, so the language budget cannot
  // push them out in favour of packages.
  const admissionOrder = [...passed.filter((e) => limits.uncappedOrigin(e.origin)), ...passed.filter((e) => !limits.uncappedOrigin(e.origin))];
  for (const entry of admissionOrder) {
    const used = originBytes.get(entry.origin) ?? 0;
    if (!limits.uncappedOrigin(entry.origin) && used + entry.bytes > limits.originCapBytes) { drop('origin-cap', entry.bytes); continue; }
    const lang = languageBytes.get(entry.language) ?? 0;
    if (lang + entry.bytes > limits.languageBudgetBytes[entry.language]) { drop('language-cap', entry.bytes); continue; }
    originBytes.set(entry.origin, used + entry.bytes);
    languageBytes.set(entry.language, lang + entry.bytes);
    kept.push(entry);
  }
  kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  writeOutputs(kept.map(({ key: _key, ...entry }) => entry), output, signal);
  return summarize(kept, dropped, droppedLicenses);
}

function writeOutputs(kept: readonly ManifestEntry[], output: CorpusOutput, signal: AbortSignal | undefined): void {
  for (const path of Object.values(output)) mkdirSync(dirname(path), { recursive: true });
  const manifest = openSync(output.manifest, 'w');
  const train = openSync(output.trainText, 'w');
  const heldout = openSync(output.heldoutText, 'w');
  try {
    for (const [i, entry] of kept.entries()) {
      if ((i & 255) === 0 && signal?.aborted) throw abortError();
      const bytes = readFileSync(entry.path);
      if (sha256Hex(bytes) !== entry.sha256) {
        throw new InkwellError('invalid-argument', `${entry.path} changed while the corpus was built; run it again`, { details: { path: entry.path } });
      }
      writeSync(manifest, `${JSON.stringify(entry)}\n`);
      const text = new TextDecoder('utf-8').decode(bytes);
      writeSync(entry.split === 'train' ? train : heldout, `${JSON.stringify({ id: entry.path, text })}\n`);
    }
  } finally {
    closeSync(manifest);
    closeSync(train);
    closeSync(heldout);
  }
}

function summarize(kept: readonly ManifestEntry[], dropped: Record<string, Tally>, droppedLicenses: Record<string, number>): CorpusSummary {
  const add = (table: Record<string, Tally>, key: string, bytes: number): void => {
    const t = (table[key] ??= { files: 0, bytes: 0 });
    t.files++;
    t.bytes += bytes;
  };
  const byLanguage: CorpusSummary['byLanguage'] = {};
  const byLicense: Record<string, Tally> = {};
  const bySource: Record<string, Tally> = {};
  const total = { files: 0, bytes: 0 };
  for (const e of kept) {
    const lang = (byLanguage[e.language] ??= { files: 0, bytes: 0, heldoutFiles: 0, heldoutBytes: 0 });
    lang.files++;
    lang.bytes += e.bytes;
    if (e.split === 'heldout') {
      lang.heldoutFiles++;
      lang.heldoutBytes += e.bytes;
    }
    add(byLicense, e.license, e.bytes);
    add(bySource, e.origin.startsWith('debian ') ? e.origin : e.origin.slice(0, e.origin.indexOf(':')), e.bytes);
    total.files++;
    total.bytes += e.bytes;
  }
  const top = Object.entries(droppedLicenses).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 15);
  return { kept: total, byLanguage, byLicense, bySource, dropped, droppedLicenses: Object.fromEntries(top), origins: new Set(kept.map((e) => e.origin)).size };
}
