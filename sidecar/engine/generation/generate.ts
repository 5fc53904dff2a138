import { isBeamMode } from '../config/deriveDecodingMode';
import type { LanguageModel } from '../model/LanguageModel';
import type { TextTokenizer } from '../model/TextTokenizer';
import type { GenerationRequest } from './GenerationEvent';
import { GenerationRun } from './GenerationRun';
import { runAssistedGeneration } from './assisted/runAssistedGeneration';
import { runBeamSearch } from './beam/runBeamSearch';
import { checkContrastiveRequest } from './contrastive/checkContrastiveRequest';
import { runContrastiveSearch } from './contrastive/runContrastiveSearch';
import { runGeneration } from './runGeneration';

/**
 * Generates continuations of already-encoded prompts with greedy decoding or sampling, assisted
 * (speculative decoding) when the config names an assistant model or prompt lookup, or with
 * beam search (modes 'beam', 'beam-sample', 'group-beam'; the result is a BeamSearchResult, see
 * beam/runBeamSearch.ts), or
 * contrastive search (mode 'contrastive', contrastive/runContrastiveSearch.ts).
 * Iterate the returned run for streamed events, or await run.result(). Configuration errors
 * (e.g. contrastive search on a model without hidden states) and model failures reject; an abort does not.
 */
export function generate(model: LanguageModel, tokenizer: TextTokenizer, request: GenerationRequest): GenerationRun {
  // Thrown here, synchronously: a request the mode cannot run is the caller's error, not the run's.
  if (request.config.mode === 'contrastive') checkContrastiveRequest(model, request);
  const assisted = request.config.mode === 'assisted' || request.assistant !== undefined;
  const run = isBeamMode(request.config.mode) ? runBeamSearch : request.config.mode === 'contrastive' ? runContrastiveSearch : assisted ? runAssistedGeneration : runGeneration;
  return new GenerationRun((signal, emit) => run(model, tokenizer, request, signal, emit), request.signal);
}
