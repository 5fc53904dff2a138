import type { Feature, FeatureRoutes } from '../Feature';
import { loadModelParamsSchema, type StatusInfo, InkwellRequests } from '../../protocol';
import type { ConfigStore } from '../ConfigStore';
import type { LoadRequest, ModelHost, ServingModel } from '../ModelHost';
import type { ServerLog } from '../ServerLog';
import type { StatusReporter } from '../StatusReporter';
import { validateParams } from '../validateParams';

/** inkwell/loadModel and inkwell/status. A failed load keeps the previous model serving. */
export class ModelFeature implements Feature {
  constructor(
    private readonly host: ModelHost,
    private readonly config: ConfigStore,
    private readonly status: StatusReporter,
    private readonly log: ServerLog,
    /** Called with each model this feature loads, once it serves (other features prepare for it). */
    private readonly onLoaded: (serving: ServingModel) => void = () => undefined,
  ) {}

  routes(on: FeatureRoutes): void {
    on.request(InkwellRequests.loadModel, (params) => this.loadModel(params));
    on.request0(InkwellRequests.status, async () => this.getStatus());
  }

  async loadModel(rawParams: unknown): Promise<StatusInfo> {
    const params: LoadRequest = validateParams(loadModelParamsSchema, rawParams);
    await this.load(params);
    return this.status.status();
  }

  /**
   * Loads and applies the model's generation_config.json; rejects with the load error. A file
   * that is not used is a warning in the status and in getConfig, not a failed load; so is what
   * the runtime noticed while loading (e.g. fewer positions in the graph than config.json says).
   */
  async load(request: LoadRequest): Promise<void> {
    const serving = await this.host.loadModel(request);
    this.onLoaded(serving);
    let configWarnings: readonly string[];
    try {
      this.config.setModelDefaults(serving.loaded.folder.generationConfig);
      configWarnings = this.config.modelWarnings;
    } catch (error) {
      configWarnings = [`the generation settings do not fit this model's generation_config.json, so the previous generation config stays: ${(error as Error).message}`];
    }
    const warnings = [...serving.loaded.warnings, ...configWarnings];
    for (const line of warnings) this.log(line, 'warn');
    this.status.setModelWarnings(warnings);
    this.status.changed();
  }

  getStatus(): StatusInfo {
    return this.status.status();
  }
}
