import type { Feature, FeatureRoutes } from '../Feature';
import { setConfigParamsSchema, type ConfigState, type PresetsResult, InkwellRequests } from '../../protocol';
import type { ConfigStore } from '../ConfigStore';
import { PRESETS } from '../presets';
import { toResponseError } from '../toResponseError';
import { validateParams } from '../validateParams';

/** inkwell/getConfig, inkwell/setConfig, inkwell/presets. */
export class ConfigFeature implements Feature {
  constructor(
    private readonly store: ConfigStore,
    private readonly onChanged: () => void,
  ) {}

  routes(on: FeatureRoutes): void {
    on.request0(InkwellRequests.getConfig, async () => this.getConfig());
    on.request(InkwellRequests.setConfig, async (params) => this.setConfig(params));
    on.request0(InkwellRequests.presets, async () => this.presets());
  }

  getConfig(): ConfigState {
    return this.store.state();
  }

  /** Validates the whole new config before anything changes; errors name `generation.<field>`. */
  setConfig(rawParams: unknown): ConfigState {
    const params = validateParams(setConfigParamsSchema, rawParams);
    if (params.generation !== undefined) {
      try {
        this.store.setUser(params.generation);
      } catch (error) {
        throw toResponseError(error, 'generation');
      }
    }
    if (params.completion !== undefined) this.store.setCompletion(params.completion);
    this.onChanged();
    return this.store.state();
  }

  presets(): PresetsResult {
    return { presets: PRESETS };
  }
}
