const MARKS: Readonly<Record<string, string>> = { ' ': '␣', '\n': '⏎', '\t': '⇥', '\r': '␍' };

/**
 * A token's text with its whitespace made visible ("␣", "⏎", "⇥", "␍") and other control
 * characters written as \u{…}, so that tokens that differ only in spacing can be told apart.
 * An empty token shows as "∅". The result is meant for textContent, never innerHTML.
 */
export function visibleWhitespace(text: string): string {
  if (text === '') return '∅';
  let out = '';
  for (const ch of text) {
    const mark = MARKS[ch];
    if (mark !== undefined) out += mark;
    else if (/\p{Cc}/u.test(ch)) out += `\\u{${ch.codePointAt(0)!.toString(16)}}`;
    else out += ch;
  }
  return out;
}
