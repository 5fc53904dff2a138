import { InkwellError } from '../InkwellError';

/**
 * The most tokens a prompt may have: one position stays free for the token every request asks
 * about (the first generated one, or the next-token distribution). The same for every request
 * kind and every decoding mode; completion prompts are cut to fit it.
 */
export function maxPromptTokens(maxPositions: number): number {
  return maxPositions - 1;
}

/** Refuses a prompt that leaves no position free, naming `field` (e.g. 'prompt', 'messages'). */
export function checkPromptLength(field: string, tokens: number, maxPositions: number): void {
  const max = maxPromptTokens(maxPositions);
  if (tokens <= max) return;
  throw new InkwellError('invalid-argument', `${field} has ${tokens} tokens: a model with ${maxPositions} positions takes at most ${max} (one stays for the next token)`, {
    details: { field, tokens, maxPromptTokens: max, maxPositions },
  });
}
