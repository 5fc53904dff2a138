import { loadModelParamsSchema, type StatusInfo } from '../../protocol';
import type { ConfigStore } from '../ConfigStore';
import type { LoadRequest, ModelHost } from '../ModelHost';
import type { StatusReporter } from '../StatusReporter';
import { validateParams } from '../validateParams';

/** inkwell/loadModel and inkwell/status. A failed load keeps the previous model serving. */
export class ModelFeature {
  constructor(
    private readonly host: ModelHost,
    private readonly config: ConfigStore,
    private readonly status: StatusReporter,
    private readonly log: (line: string) => void,
  ) {}

  async loadModel(rawParams: unknown): Promise<StatusInfo> {
    const params: LoadRequest = validateParams(loadModelParamsSchema, rawParams);
    await this.load(params);
    return this.status.status();
  }

  /** Loads and applies the model's generation_config.json; rejects with the load error. */
  async load(request: LoadRequest): Promise<void> {
    const serving = await this.host.loadModel(request);
    try {
      this.config.setModelDefaults(serving.loaded.folder.generationConfig);
    } catch (error) {
      this.log(`the model's generation_config.json is not used: ${(error as Error).message}`);
    }
    this.status.changed();
  }

  getStatus(): StatusInfo {
    return this.status.status();
  }
}
