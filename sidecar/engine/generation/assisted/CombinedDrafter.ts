import type { RowContext } from '../../processors/LogitsProcessor';
import type { CandidateGenerator, Draft } from './CandidateGenerator';

/**
 * Prompt lookup first (free when the text repeats itself), the assistant when lookup finds no
 * match. Only the drafter that proposed learns from the outcome.
 */
export class CombinedDrafter implements CandidateGenerator {
  private last: CandidateGenerator | undefined;

  constructor(
    private readonly lookup: CandidateGenerator,
    private readonly assistant: CandidateGenerator,
  ) {}

  async propose(context: RowContext, maxTokens: number, signal: AbortSignal): Promise<Draft> {
    const fromLookup = await this.lookup.propose(context, maxTokens, signal);
    if (fromLookup.tokens.length > 0) {
      this.last = this.lookup;
      return fromLookup;
    }
    this.last = this.assistant;
    return this.assistant.propose(context, maxTokens, signal);
  }

  learn(drafted: number, accepted: number): void {
    this.last?.learn(drafted, accepted);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.lookup.dispose(), this.assistant.dispose()]);
  }
}
