import { InkwellError } from '../../InkwellError';
import type { LanguageModel } from '../../model/LanguageModel';
import type { GenerationRequest } from '../GenerationEvent';

/**
 * What contrastive search needs before it can start, checked synchronously by generate() so a
 * caller's mistake throws there, like an unsupported mode.
 */
export function checkContrastiveRequest(model: LanguageModel, request: GenerationRequest): void {
  const { config } = request;
  const what = `contrastive search (penalty_alpha = ${String(config.penaltyAlpha)}, top_k = ${config.topK})`;
  if (model.info.hiddenSize === undefined) {
    throw new InkwellError(
      'invalid-config',
      `${what} cannot run on this model: its ONNX graph has no last_hidden_state output, and the degeneration penalty compares last-layer hidden states. ` +
        'Make a copy whose graph outputs it with `inkwell dev expose-hidden-states --model DIR --out NEW_DIR` (or export with the builder\'s hidden states), or unset penalty_alpha (or set top_k <= 1) for greedy decoding.',
      { details: { field: 'penalty_alpha', value: config.penaltyAlpha, reason: 'model has no last_hidden_state output' } },
    );
  }
  const width = model.info.vocabSize;
  if (config.topK > width) {
    throw new InkwellError('invalid-config', `top_k = ${config.topK} is out of range for ${what}: must be >= 2 and <= the model's vocabulary (${width})`, {
      details: { field: 'top_k', value: config.topK, min: 2, max: width },
    });
  }
  if (request.promptCache !== undefined) {
    throw new InkwellError('invalid-argument', `${what} does not use a promptCache: it needs the hidden state of every prompt token, which a reused KV cache does not keep`, {
      details: { field: 'promptCache' },
    });
  }
  if (request.assistant !== undefined || config.assistantModel !== undefined || config.promptLookupNumTokens !== undefined) {
    throw new InkwellError('invalid-config', `${what} cannot be assisted: speculative decoding only runs greedy decoding and sampling (Hugging Face refuses it too)`, {
      details: { field: config.promptLookupNumTokens !== undefined ? 'prompt_lookup_num_tokens' : 'assistant_model' },
    });
  }
}
