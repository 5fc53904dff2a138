/**
 * License filtering: the corpus keeps only code whose license lets us train on it and ship the
 * model without conditions beyond attribution. Copyleft and unknown licenses are dropped.
 * Zlib is here beside the usual list because NumPy declares it for a few of its files.
 */
export const permissiveLicenses: ReadonlySet<string> = new Set([
  'MIT', 'MIT-0', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'Unlicense',
  'CC0-1.0', 'Python-2.0', 'PSF-2.0', 'BlueOak-1.0.0', 'Zlib',
]);

/** Spellings seen in package metadata, keyed by `aliasKey`; canonical SPDX ids map to themselves. */
const ALIASES: Readonly<Record<string, string>> = {
  ...Object.fromEntries([...permissiveLicenses].map((id) => [aliasKey(id), id])),
  'apache-2': 'Apache-2.0',
  'apache2': 'Apache-2.0',
  'apache-v2': 'Apache-2.0',
  'apache-2.0-license': 'Apache-2.0',
  'apache-license-2.0': 'Apache-2.0',
  'apache-license-version-2.0': 'Apache-2.0',
  'apache-software-license-2.0': 'Apache-2.0',
  'asl-2.0': 'Apache-2.0',
  'mit-license': 'MIT',
  'expat': 'MIT',
  'isc-license': 'ISC',
  'simplified-bsd': 'BSD-2-Clause',
  'bsd-2': 'BSD-2-Clause',
  'new-bsd': 'BSD-3-Clause',
  'bsd-new': 'BSD-3-Clause',
  'modified-bsd': 'BSD-3-Clause',
  'bsd-3': 'BSD-3-Clause',
  '3-clause-bsd': 'BSD-3-Clause',
  'the-unlicense': 'Unlicense',
  'cc0': 'CC0-1.0',
  'psf': 'PSF-2.0',
  'psf-license': 'PSF-2.0',
  'python-software-foundation-license': 'PSF-2.0',
};

function aliasKey(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s_,]+/g, '-').replace(/-+/g, '-');
}

/** The SPDX id of one license name, or undefined when it is not a permissive license we know. */
export function permissiveLicenseId(raw: string): string | undefined {
  const key = aliasKey(raw);
  return ALIASES[key] ?? ALIASES[key.replace(/-licen[cs]e$/, '')];
}

/**
 * Evaluates an SPDX expression (`MIT`, `(MIT OR GPL-3.0)`, `Apache-2.0 AND BSD-3-Clause`,
 * `Apache-2.0 WITH LLVM-exception`): OR needs one permissive side, AND needs both; an exception
 * only adds permissions. Returns the expression with canonical ids for what it keeps (the first
 * permissive side of an OR), or undefined. Unparsable text is undefined: unknown means dropped.
 */
export function permissiveSpdx(expression: string): string | undefined {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i]?.toUpperCase();
  // Each parser returns the kept license text, null for "not permissive", or throws on bad syntax.
  const orExpr = (): string | null => {
    let kept = andExpr();
    while (peek() === 'OR') {
      i++;
      const right = andExpr();
      kept ??= right;
    }
    return kept;
  };
  const andExpr = (): string | null => {
    const parts: (string | null)[] = [factor()];
    while (peek() === 'AND') {
      i++;
      parts.push(factor());
    }
    if (parts.some((p) => p === null)) return null;
    return parts.length === 1 ? parts[0] : parts.map((p) => (p!.includes(' ') ? `(${p})` : p)).join(' AND ');
  };
  const factor = (): string | null => {
    const token = tokens[i++];
    if (token === undefined) throw new Error('unexpected end');
    if (token === '(') {
      const inner = orExpr();
      if (tokens[i++] !== ')') throw new Error('missing )');
      return inner;
    }
    if (token === ')' || ['AND', 'OR', 'WITH'].includes(token.toUpperCase())) throw new Error(`unexpected ${token}`);
    if (peek() === 'WITH') i += 2;
    return permissiveLicenseId(token) ?? null;
  };
  try {
    const kept = orExpr();
    if (i === tokens.length) return kept ?? undefined;
  } catch {
    // Not an expression: free text such as "Apache 2.0", "MIT License" or "SEE LICENSE IN …".
  }
  return permissiveLicenseId(expression);
}
