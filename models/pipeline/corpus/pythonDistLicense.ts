import { permissiveLicenseId, permissiveSpdx } from './permissiveLicense';
import type { DeclaredLicense } from './npmPackageLicense';

/** The header fields of a METADATA / PKG-INFO file (RFC 822 style; repeated fields kept in order). */
export function parseDistMetadata(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // the body (long description) starts after the first blank line
    if (/^[ \t]/.test(line) && last !== undefined) {
      last[last.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    last = fields.get(name) ?? [];
    last.push(line.slice(colon + 1).trim());
    fields.set(name, last);
  }
  return fields;
}

/** Trove classifiers that name one license exactly; the ambiguous ones are resolved from the license text. */
const CLASSIFIERS: Readonly<Record<string, string>> = {
  'MIT License': 'MIT',
  'MIT No Attribution License (MIT-0)': 'MIT-0',
  'ISC License (ISCL)': 'ISC',
  'Python Software Foundation License': 'PSF-2.0',
  'The Unlicense (Unlicense)': 'Unlicense',
  'CC0 1.0 Universal (CC0 1.0) Public Domain Dedication': 'CC0-1.0',
  'Apache Software License': 'Apache-2.0?',
  'BSD License': 'BSD?',
  'Zero-Clause BSD (0BSD)': '0BSD',
};

/**
 * The license of a Python distribution from its metadata, in order of precision: the PEP 639
 * `License-Expression`, a short `License` field that names a license, the license classifiers
 * (several are alternatives), and last the license files shipped in the dist-info folder.
 * "BSD License" and "Apache Software License" classifiers do not say which version: the text
 * decides (a "Neither the name" clause makes BSD 3-clause), else the classifier is not enough.
 */
export function pythonDistLicense(metadata: string, licenseTexts: readonly string[]): DeclaredLicense {
  const fields = parseDistMetadata(metadata);
  const expression = fields.get('license-expression')?.[0];
  if (expression !== undefined) return { declared: expression, spdx: permissiveSpdx(expression) };

  const free = fields.get('license')?.[0];
  const named = free !== undefined && free.length <= 80 && !free.includes('\n') ? permissiveSpdx(free) : undefined;
  if (named !== undefined) return { declared: free!, spdx: named };

  const sniffed = sniffLicenseTexts(licenseTexts);
  // "License :: OSI Approved" alone is the parent of the specific classifiers, not a license.
  const classifiers = (fields.get('classifier') ?? []).filter((c) => c.startsWith('License ::') && c.split('::').length > 2);
  if (classifiers.length > 0) {
    const declared = classifiers.map((c) => c.split('::').pop()!.trim()).join(' OR ');
    const ids = classifiers.map((c) => {
      const id = CLASSIFIERS[c.split('::').pop()!.trim()];
      if (id === 'Apache-2.0?') return sniffed.includes('Apache-2.0') || /\b2(\.0)?\b/.test(free ?? '') ? 'Apache-2.0' : undefined;
      if (id === 'BSD?') return sniffed.find((s) => s.startsWith('BSD-')) ?? permissiveLicenseId(free ?? '');
      return id;
    });
    // Alternatives are kept only when every one is permissive: a GPL classifier beside MIT
    // usually means parts of the package are GPL, and the metadata does not say which.
    const spdx = ids.every((id) => id !== undefined) ? [...new Set(ids)].join(' OR ') : undefined;
    return { declared, spdx };
  }
  if (sniffed.length > 0 && !sniffed.includes('copyleft')) {
    return { declared: `license file: ${sniffed.join(', ')}`, spdx: sniffed.join(' OR ') };
  }
  return { declared: free?.split('\n')[0] ?? '(none)', spdx: undefined };
}

/** The licenses whose standard wording appears in the given texts ('copyleft' for GPL-family text). */
export function sniffLicenseTexts(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    const t = text.replace(/\s+/g, ' ');
    if (/GNU (Lesser |Library |Affero )?General Public License|Mozilla Public License/i.test(t)) found.add('copyleft');
    if (/Permission is hereby granted, free of charge/i.test(t)) found.add('MIT');
    if (/Apache License,? Version 2\.0/i.test(t)) found.add('Apache-2.0');
    if (/Redistributions in binary form/i.test(t)) found.add(/Neither the name/i.test(t) || /names? of (its|the) contributors may/i.test(t) ? 'BSD-3-Clause' : 'BSD-2-Clause');
    if (/Permission to use, copy, modify, and\/?or distribute this software for any purpose with or without fee/i.test(t)) {
      // 0BSD is ISC without the condition to keep the notice.
      found.add(/provided that the above copyright notice/i.test(t) ? 'ISC' : '0BSD');
    }
    if (/PYTHON SOFTWARE FOUNDATION LICENSE/i.test(t)) found.add('PSF-2.0');
  }
  return [...found].sort();
}
