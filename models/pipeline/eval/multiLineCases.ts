import { languageOf, type Language } from '../corpus/CandidateFile';
import type { CorpusText } from '../readJsonLines';

export interface MultiLineCase {
  readonly file: string;
  readonly language: Language;
  /** 0-based line of the block opener. */
  readonly line: number;
  /** The file up to the opener line, its line break and the next line's indentation: where the cursor sits after Enter. */
  readonly prefix: string;
  /** The true next lines (at most `maxLines`), for the reader to compare. */
  readonly expected: string;
}

/**
 * The fixed rule for the multi-line examples: held-out files in their file order; in each, the
 * first line at index ≥ `minLine` whose text ends a block opener (`:` in Python, `{` in TS/JS)
 * and whose next line is indented deeper; the cursor goes after that line's break and the next
 * line's indentation, with nothing after it (writing new code at the end of a file). At most
 * `perLanguage` cases per language, `count` in all.
 */
export function multiLineCases(files: Iterable<CorpusText>, options: { count?: number; perLanguage?: number; minLine?: number; maxLines?: number } = {}): MultiLineCase[] {
  const { count = 10, perLanguage = 4, minLine = 10, maxLines = 8 } = options;
  const cases: MultiLineCase[] = [];
  const used = new Map<Language, number>();
  const indent = (s: string) => /^[ \t]*/.exec(s)![0];
  for (const file of files) {
    if (cases.length >= count) break;
    const language = languageOf(file.id);
    if (language === undefined || (used.get(language) ?? 0) >= perLanguage) continue;
    const lines = file.text.split('\n');
    const opener = language === 'python' ? /:\s*$/ : /\{\s*$/;
    for (let i = minLine; i + 1 < lines.length; i++) {
      const line = lines[i]!;
      const next = lines[i + 1]!;
      if (!opener.test(line) || line.trim().startsWith('#') || line.trim().startsWith('//')) continue;
      if (next.trim().length === 0 || indent(next).length <= indent(line).length) continue;
      const prefix = `${lines.slice(0, i + 1).join('\n')}\n${indent(next)}`;
      const expected = lines.slice(i + 1, i + 1 + maxLines).join('\n').slice(indent(next).length);
      cases.push({ file: file.id, language, line: i, prefix, expected });
      used.set(language, (used.get(language) ?? 0) + 1);
      break;
    }
  }
  return cases;
}
