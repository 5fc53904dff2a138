/** The languages the corpus collects, by file extension. */
export type Language = 'python' | 'typescript' | 'javascript';

/** A source file found on the machine, with where it came from and the license it is used under. */
export interface CandidateFile {
  /** Absolute path on this machine. */
  readonly path: string;
  /** Package and version (`npm:left-pad@1.3.0`, `pypi:attrs@26.1.0`) or Debian package (`debian libpython3.11-stdlib/stdlib`). */
  readonly origin: string;
  /** SPDX expression it is used under; undefined when not permissive (the file is counted, then dropped). */
  readonly license: string | undefined;
  /** The license as declared, for the summary of what was dropped. */
  readonly declaredLicense: string;
  readonly language: Language;
}

export function languageOf(path: string): Language | undefined {
  if (/\.py$/.test(path)) return 'python';
  if (/\.(d\.)?[cm]?ts$/.test(path)) return 'typescript';
  if (/\.[cm]?js$/.test(path)) return 'javascript';
  return undefined;
}
