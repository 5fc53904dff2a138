/** Highest id a tokenizer.json can produce, plus one (base vocabulary and added tokens). */
export function tokenizerVocabSize(tokenizerJson: Readonly<Record<string, unknown>>): number {
  let max = -1;
  const model = tokenizerJson.model as { vocab?: unknown } | undefined;
  const vocab = model?.vocab;
  if (Array.isArray(vocab)) max = vocab.length - 1; // Unigram: [[piece, score], …]
  else if (vocab && typeof vocab === 'object') {
    for (const id of Object.values(vocab as Record<string, unknown>)) if (typeof id === 'number' && id > max) max = id;
  }
  const added = tokenizerJson.added_tokens;
  if (Array.isArray(added)) {
    for (const t of added) {
      const id = (t as { id?: unknown }).id;
      if (typeof id === 'number' && id > max) max = id;
    }
  }
  return max + 1;
}
