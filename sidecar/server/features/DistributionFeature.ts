import type { Feature, FeatureRoutes } from '../Feature';
import type { CancellationToken } from 'vscode-languageserver';
import { distributionStages, type LanguageModel } from '../../engine';
import { nextTokenDistributionParamsSchema, type NextTokenDistributionResult, InkwellRequests } from '../../protocol';
import type { ConfigStore } from '../ConfigStore';
import { encodeRequestPrompt } from '../encodeRequestPrompt';
import { linkSignals } from '../linkSignals';
import type { ModelHost } from '../ModelHost';
import { noModelError } from '../toResponseError';
import { validateParams } from '../validateParams';

const REMEMBERED_PROMPTS = 8;

/**
 * inkwell/nextTokenDistribution: the panel's chart. One forward pass per distinct prompt; the
 * logits row is remembered (a few prompts, per model) so that moving a slider reruns only the
 * processors, which takes milliseconds.
 */
export class DistributionFeature implements Feature {
  private readonly rows = new Map<string, Float32Array>();
  private rowsModel: LanguageModel | undefined;

  constructor(
    private readonly host: ModelHost,
    private readonly config: ConfigStore,
  ) {}

  routes(on: FeatureRoutes): void {
    on.request(InkwellRequests.nextTokenDistribution, (params, token) => this.handle(params, token));
  }

  async handle(rawParams: unknown, token?: CancellationToken): Promise<NextTokenDistributionResult> {
    const params = validateParams(nextTokenDistributionParamsSchema, rawParams);
    const result = await this.host.use(async (serving) => {
      const warnings: string[] = [];
      const config = this.config.forRequest(params.config, (w) => warnings.push(w));
      const ids = await encodeRequestPrompt(serving.loaded, params);
      const started = performance.now();
      const row = await this.logitsRow(serving.loaded.model, serving.scheduler.lane('playground'), ids, token, serving.retired);
      const forwardMs = performance.now() - started;
      const tokenizer = serving.loaded.tokenizer;
      const stages = distributionStages(
        row,
        config,
        { width: serving.loaded.model.info.vocabSize, tokenizerVocabSize: tokenizer.vocabSize, eosTokenIds: config.eosTokenId ?? tokenizer.eosTokenIds, promptIds: ids },
        params.topN ?? 12,
      );
      return {
        tokens: stages.tokenIds.map((id) => ({ id, text: tokenizer.decode([id], { skipSpecialTokens: false }) })),
        stages: stages.stages.map((s) => ({ name: s.name, probs: s.probs, kept: s.kept, entropy: s.entropy })),
        // Speculative decoding gives what plain decoding gives: name the plain mode.
        decoding: config.mode === 'assisted' ? (config.doSample ? 'sample' : 'greedy') : config.mode,
        promptTokens: ids.length,
        forwardMs,
        warnings,
      } satisfies NextTokenDistributionResult;
    });
    if (result === undefined) throw noModelError(this.host.lastError?.message);
    return result;
  }

  private async logitsRow(owner: LanguageModel, model: LanguageModel, ids: readonly number[], token: CancellationToken | undefined, retired: AbortSignal): Promise<Float32Array> {
    if (this.rowsModel !== owner) {
      this.rows.clear();
      this.rowsModel = owner;
    }
    const key = ids.join(',');
    const known = this.rows.get(key);
    if (known) {
      this.rows.delete(key);
      this.rows.set(key, known);
      return known;
    }
    const link = linkSignals(token, retired);
    let cache = await model.createCache(1);
    try {
      const input = {
        inputIds: Int32Array.from(ids),
        batch: 1,
        seqLen: ids.length,
        attentionMask: new Uint8Array(ids.length).fill(1),
        positionIds: Int32Array.from(ids, (_, i) => i),
        logits: 'last' as const,
      };
      const step = await model.forward(cache, input, link.signal);
      cache = step.cache;
      const row = step.output.logits.slice(0, model.info.vocabSize);
      this.rows.set(key, row);
      while (this.rows.size > REMEMBERED_PROMPTS) this.rows.delete(this.rows.keys().next().value!);
      return row;
    } finally {
      link.dispose();
      await model.releaseCache(cache);
    }
  }
}
