import type { Feature, FeatureRoutes } from '../Feature';
import { detectWatermarkInText, parseWatermarkingConfig, watermarkingDefaults } from '../../engine';
import { detectWatermarkParamsSchema, InputLimits, type DetectWatermarkResult, InkwellRequests } from '../../protocol';
import { checkInputLength } from '../checkInputLength';
import type { ConfigStore } from '../ConfigStore';
import type { ModelHost } from '../ModelHost';
import { noModelError } from '../toResponseError';
import { validateParams } from '../validateParams';

/**
 * inkwell/detectWatermark: tokenizes the text with the loaded model's tokenizer and scores it.
 * No forward pass, so it does not queue behind generations; it runs on the request loop, so the
 * text's length is capped first (InputLimits). The scheme defaults to the
 * sidecar's own watermarking_config, so a client that marks with a key detects with it.
 */
export class WatermarkFeature implements Feature {
  constructor(
    private readonly host: ModelHost,
    private readonly config: ConfigStore,
  ) {}

  routes(on: FeatureRoutes): void {
    on.request(InkwellRequests.detectWatermark, (params) => this.handle(params));
  }

  async handle(rawParams: unknown): Promise<DetectWatermarkResult> {
    const params = validateParams(detectWatermarkParamsSchema, rawParams);
    checkInputLength('text', params.text.length, InputLimits.watermarkTextCharacters);
    const own = this.config.config.watermarkingConfig ?? watermarkingDefaults;
    const key = parseWatermarkingConfig({
      hashing_key: params.hashingKey ?? own.hashingKey,
      greenlist_ratio: params.greenlistRatio ?? own.greenlistRatio,
      context_width: params.contextWidth ?? own.contextWidth,
    });
    const ignoreRepeatedNgrams = params.ignoreRepeatedNgrams ?? true;
    const result = await this.host.use(async (serving) => {
      const started = performance.now();
      // Tokenized off the request loop (a long text takes a while); scored here.
      const ids = await serving.loaded.tokenizer.encodeOffThread(params.text, { addSpecialTokens: false });
      const d = detectWatermarkInText(params.text, serving.loaded.tokenizer, key, {
        zThreshold: params.zThreshold,
        minTokens: params.minTokens,
        ignoreRepeatedNgrams,
      }, ids);
      return {
        verdict: d.verdict,
        scored: d.scored,
        green: d.green,
        greenFraction: d.greenFraction,
        z: d.z,
        p: d.p,
        zThreshold: d.zThreshold,
        minTokens: d.minTokens,
        ignoreRepeatedNgrams,
        hashingKey: key.hashingKey,
        greenlistRatio: key.greenlistRatio,
        contextWidth: key.contextWidth,
        tokens: d.tokens,
        spansExact: d.spansExact,
        detectMs: performance.now() - started,
      } satisfies DetectWatermarkResult;
    });
    if (result === undefined) throw noModelError(this.host.lastError?.message);
    return result;
  }
}
