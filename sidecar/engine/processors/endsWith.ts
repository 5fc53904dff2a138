/** True when `ids` ends with `pattern[0, prefixLength)`. */
export function endsWith(ids: readonly number[], pattern: readonly number[], prefixLength: number): boolean {
  if (prefixLength > ids.length) return false;
  const offset = ids.length - prefixLength;
  for (let i = 0; i < prefixLength; i++) if (ids[offset + i] !== pattern[i]) return false;
  return true;
}
