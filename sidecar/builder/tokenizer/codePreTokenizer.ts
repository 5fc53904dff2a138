/**
 * How text is cut into words before byte-level BPE, in the style of current code models:
 * letter runs (with at most one leading non-letter such as a space, `.` or `_`), single digits
 * (so numbers do not eat the vocabulary), punctuation runs with their trailing line breaks,
 * newline runs with their leading indentation, and other whitespace runs that leave the last
 * space to the following word. English contractions are deliberately absent: in code a quote
 * starts a string literal, and `'s` in `'src'` must not become a token.
 *
 * The same source is written into tokenizer.json, so training and encoding split identically.
 * It must stay valid both as a JavaScript `u` regex and as an Oniguruma pattern.
 */
export const codePreTokenizerPattern =
  "[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const codePreTokenizerRegex = new RegExp(codePreTokenizerPattern, 'gu');

/**
 * Splits like a `Split` pre-tokenizer with behavior "Isolated": every match is a word, and so is
 * any text between matches (the pattern leaves none, but the library would keep it).
 */
export function codePreTokenize(text: string): string[] {
  const words: string[] = [];
  let end = 0;
  for (const match of text.matchAll(codePreTokenizerRegex)) {
    if (match.index > end) words.push(text.slice(end, match.index));
    if (match[0].length > 0) words.push(match[0]);
    end = match.index + match[0].length;
  }
  if (end < text.length) words.push(text.slice(end));
  return words;
}
