/**
 * GPT-2's byte-level alphabet: every byte maps to one printable Unicode character, so vocab
 * and merge strings in tokenizer.json never contain whitespace or control characters. Printable
 * Latin-1 bytes stand for themselves; the other 68 bytes are shifted to U+0100 onwards in byte
 * order. The ByteLevel pre-tokenizer and decoder of every HF tokenizer library assume exactly
 * this table, so it must not change.
 */
export const byteToUnicode: readonly string[] = buildTable();

function buildTable(): string[] {
  const table = new Array<string>(256);
  let shifted = 0;
  for (let byte = 0; byte < 256; byte++) {
    const printable =
      (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
    table[byte] = String.fromCharCode(printable ? byte : 0x100 + shifted++);
  }
  return table;
}
