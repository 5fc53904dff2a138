import { permissiveSpdx } from './permissiveLicense';

/** What a package.json says about its license, and the permissive SPDX expression we keep it under. */
export interface DeclaredLicense {
  /** The declaration as written (for the summary of dropped licenses). */
  readonly declared: string;
  /** Undefined: not permissive, unknown or missing; the package's files are dropped. */
  readonly spdx: string | undefined;
}

/**
 * Reads `license` (an SPDX expression, or the old `{type}` object) or the deprecated `licenses`
 * array, whose entries are alternatives (a dual license), so one permissive entry is enough.
 */
export function npmPackageLicense(pkg: Readonly<Record<string, unknown>>): DeclaredLicense {
  const typeOf = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : v !== null && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string' ? (v as { type: string }).type : undefined;
  const single = typeOf(pkg.license);
  if (single !== undefined) return { declared: single, spdx: permissiveSpdx(single) };
  if (Array.isArray(pkg.licenses)) {
    const types = pkg.licenses.map(typeOf).filter((t): t is string => t !== undefined);
    if (types.length > 0) {
      return { declared: types.join(' OR '), spdx: types.map(permissiveSpdx).find((s) => s !== undefined) };
    }
  }
  return { declared: '(none)', spdx: undefined };
}
