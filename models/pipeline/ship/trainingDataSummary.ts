import { readJsonLines } from '../readJsonLines';

interface ManifestLine {
  readonly origin: string;
  readonly license: string;
  readonly bytes: number;
  readonly split: 'train' | 'heldout';
  readonly language: string;
}

export interface TrainingDataSummary {
  readonly files: number;
  readonly bytes: number;
  readonly byLicense: Record<string, { files: number; bytes: number }>;
  readonly byLanguage: Record<string, { files: number; bytes: number }>;
  /** Every package or Debian source the training split took files from, with its license. */
  readonly origins: { origin: string; license: string; files: number; bytes: number }[];
}

/** The corpus manifest's training split, grouped for the shipped model's training-data.json. */
export function trainingDataSummary(corpusManifest: string): TrainingDataSummary {
  const byLicense: TrainingDataSummary['byLicense'] = {};
  const byLanguage: TrainingDataSummary['byLanguage'] = {};
  const origins = new Map<string, { origin: string; license: string; files: number; bytes: number }>();
  let files = 0;
  let bytes = 0;
  for (const line of readJsonLines<ManifestLine>(corpusManifest)) {
    if (line.split !== 'train') continue;
    files++;
    bytes += line.bytes;
    for (const [table, key] of [[byLicense, line.license], [byLanguage, line.language]] as const) {
      const t = (table[key] ??= { files: 0, bytes: 0 });
      t.files++;
      t.bytes += line.bytes;
    }
    const key = `${line.origin}\u0000${line.license}`;
    const o = origins.get(key) ?? { origin: line.origin, license: line.license, files: 0, bytes: 0 };
    o.files++;
    o.bytes += line.bytes;
    origins.set(key, o);
  }
  return { files, bytes, byLicense, byLanguage, origins: [...origins.values()].sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0)) };
}
