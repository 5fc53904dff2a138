import type { Feature, FeatureRoutes } from '../Feature';
import type { CancellationToken } from 'vscode-languageserver';
import { generate, sequenceScoresOf } from '../../engine';
import { generateParamsSchema, type GenerateParams, type GenerateProgress, type GenerateResult, InkwellRequests } from '../../protocol';
import type { ConfigStore } from '../ConfigStore';
import { encodeRequestPrompt } from '../encodeRequestPrompt';
import { linkSignals } from '../linkSignals';
import type { ModelHost } from '../ModelHost';
import { noModelError } from '../toResponseError';
import { validateParams } from '../validateParams';

/**
 * inkwell/generate: the playground's request. Runs in the 'playground' lane, so it yields to
 * completions. Tokens stream as inkwell/generateProgress notifications when params.streamId is
 * set; cancelling the request stops generation at the next step and returns what was generated.
 */
export class GenerateFeature implements Feature {
  constructor(
    private readonly host: ModelHost,
    private readonly config: ConfigStore,
    private readonly sendProgress: (progress: GenerateProgress) => void,
    private readonly onFinished: (tokensPerSecond: number) => void,
  ) {}

  routes(on: FeatureRoutes): void {
    on.request(InkwellRequests.generate, (params, token) => this.handle(params, token));
  }

  async handle(rawParams: unknown, token?: CancellationToken): Promise<GenerateResult> {
    const params: GenerateParams = validateParams(generateParamsSchema, rawParams);
    const result = await this.host.use(async (serving) => {
      const warnings: string[] = [];
      const config = this.config.forRequest(params.config, (w) => warnings.push(w));
      const ids = await encodeRequestPrompt(serving.loaded, params);
      const link = linkSignals(token, serving.retired);
      try {
        const run = generate(serving.scheduler.lane('playground'), serving.loaded.tokenizer, { prompts: [ids], config, signal: link.signal });
        const streamId = params.streamId;
        let atCancel: number | undefined;
        link.signal.addEventListener('abort', () => (atCancel = run.tokenEvents), { once: true });
        for await (const event of run) {
          if (streamId === undefined || event.type === 'done') continue;
          if (event.type === 'token') this.sendProgress({ streamId, sequence: event.sequence, delta: event.delta, tokenId: event.tokenId });
          else this.sendProgress({ streamId, sequence: event.sequence, delta: event.delta, finishReason: event.finishReason });
        }
        const done = await run.result();
        const first = done.sequences[0];
        const sequenceScores = sequenceScoresOf(done);
        if (done.timings.decodeSteps > 0) this.onFinished(done.timings.decodeTokensPerSecond);
        return {
          sequences: done.sequences.map((s) => ({ text: s.text, tokenIds: s.tokenIds, finishReason: s.finishReason })),
          timings: {
            totalMs: done.timings.totalMs,
            timeToFirstTokenMs: first?.timings.timeToFirstTokenMs ?? done.timings.totalMs,
            prefillMs: done.timings.prefillMs,
            prefillTokens: done.timings.prefillTokens,
            reusedTokens: (done.timings as { reusedTokens?: number }).reusedTokens ?? 0,
            decodeMs: done.timings.decodeMs,
            decodeTokensPerSecond: done.timings.decodeTokensPerSecond,
          },
          seed: done.seed,
          warnings,
          ...(atCancel !== undefined && { tokensAfterCancel: run.tokenEvents - atCancel }),
          ...(sequenceScores && { sequenceScores }),
        } satisfies GenerateResult;
      } finally {
        link.dispose();
      }
    });
    if (result === undefined) throw noModelError(this.host.lastError?.message);
    return result;
  }
}
