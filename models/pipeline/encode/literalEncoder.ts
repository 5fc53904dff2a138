/**
 * Wraps `encode` so that a reserved marker text inside user code ("<|endoftext|>" in a tokenizer's
 * source) stays plain text: the text is cut one character into every occurrence and the parts
 * are encoded separately, so no part can match a marker whole. The server encodes prompts the
 * same way (buildCompletionPrompt), so training sees what inference will send.
 */
export function literalEncoder(encode: (text: string) => number[], reserved: readonly string[]): (text: string) => number[] {
  const markers = [...new Set(reserved)].filter((r) => r.length > 1);
  return (text) => {
    if (text.length === 0) return [];
    const cuts = new Set<number>();
    for (const marker of markers) {
      for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + 1)) cuts.add(i + 1);
    }
    if (cuts.size === 0) return encode(text);
    const ids: number[] = [];
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      ids.push(...encode(text.slice(from, cut)));
      from = cut;
    }
    ids.push(...encode(text.slice(from)));
    return ids;
  };
}
