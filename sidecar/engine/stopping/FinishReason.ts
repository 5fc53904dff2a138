/**
 * Why a sequence ended. 'aborted' is not an error: the partial sequence is returned.
 * 'length' covers max_new_tokens, max_length and the model's max positions.
 */
export type FinishReason = 'eos' | 'length' | 'stop-string' | 'max-time' | 'aborted';
