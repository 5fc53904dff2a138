/**
 * Cuts `text` after line breaks into consecutive chunks of at most `maxChars` characters; a
 * single line longer than that is its own chunk (the corpus filter keeps lines under 1000
 * characters, so this is rare). The chunks concatenate back to the text.
 */
export function chunkAtLines(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const chunks: string[] = [];
  let start = 0;
  let end = 0; // end of the last whole line that fits in the current chunk
  while (end < text.length) {
    const newline = text.indexOf('\n', end);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    if (lineEnd - start > maxChars && end > start) {
      chunks.push(text.slice(start, end));
      start = end;
    }
    end = lineEnd;
  }
  if (end > start) chunks.push(text.slice(start, end));
  return chunks;
}
