import type { GenerationConfig } from '../../config/GenerationConfig';

/**
 * num_assistant_tokens_schedule. 'constant' keeps num_assistant_tokens; 'heuristic' adds 2
 * after a fully accepted draft and removes 1 otherwise, never below 1. HF keeps the heuristic's
 * value on the assistant between generate() calls and 'heuristic_transient' resets it; a
 * schedule here lives for one request, so both start from num_assistant_tokens every time.
 */
export class DraftLengthSchedule {
  private current: number;

  constructor(private readonly config: Pick<GenerationConfig, 'numAssistantTokens' | 'numAssistantTokensSchedule'>) {
    this.current = config.numAssistantTokens;
  }

  get length(): number {
    return this.current;
  }

  learn(drafted: number, accepted: number): void {
    if (this.config.numAssistantTokensSchedule === 'constant' || drafted === 0) return;
    this.current = accepted === drafted ? this.current + 2 : Math.max(1, this.current - 1);
  }
}
