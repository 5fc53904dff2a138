/**
 * The largest inputs the sidecar works on. A request over a limit is refused before any work is
 * done on it: InvalidParams, with `data.code` 'invalid-argument', `data.details` { field, length,
 * max } and the field's path in `data.issues`. Tokenizing and scoring run on the sidecar's
 * request loop, so these bound how long one request can hold up every other one (the tokenizer
 * takes 2–50 µs per character, depending on the text) and how large an answer can get.
 */
export const InputLimits = {
  /**
   * inkwell/generate, inkwell/nextTokenDistribution: characters of `prompt`, of the `messages`'
   * contents together, and of the chat template's output for them. Tokens are then held to the
   * model's positions (at most maxPositions − 1).
   */
  promptCharacters: 200_000,
  /** inkwell/generate, inkwell/nextTokenDistribution: entries of `messages`. */
  messages: 1_000,
  /**
   * inkwell/detectWatermark: characters of `text`. The answer lists every token's span (about
   * 20–50 bytes each); the verdict is decided by a few hundred tokens.
   */
  watermarkTextCharacters: 200_000,
} as const;
