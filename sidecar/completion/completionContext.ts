import type { CompletionContext } from './completionShape';

/** What the line rules need to know about the cursor's surroundings in `text`. */
export function completionContext(text: string, cursor: number, maxLines: number): CompletionContext {
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  let lineEnd = text.indexOf('\n', cursor);
  if (lineEnd < 0) lineEnd = text.length;
  const lineSuffix = text.slice(cursor, lineEnd).replace(/\r$/, '');
  const linesBelow = lineEnd < text.length ? text.slice(lineEnd + 1).split(/\r?\n/) : [];
  return { linePrefix: text.slice(lineStart, cursor), lineSuffix, linesBelow, indentUnit: indentUnit(text), maxLines };
}

/**
 * The document's indentation unit: a tab when indented lines start with tabs more often than
 * with spaces, else the most common positive step between consecutive indentation widths
 * (4 spaces when the document has no indented line).
 */
export function indentUnit(text: string): string {
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of text.split(/\r?\n/, 2000)) {
    if (line.trim().length === 0) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.startsWith('\t')) tabs++;
    else if (indent.length > 0) spaces++;
    const width = indent.startsWith('\t') ? 0 : indent.length;
    const step = width - previous;
    if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = width;
  }
  if (tabs > spaces) return '\t';
  let best = 4;
  let count = 0;
  for (const [step, n] of steps) if (n > count || (n === count && step < best)) [best, count] = [step, n];
  return ' '.repeat(best);
}
