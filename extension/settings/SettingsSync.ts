import * as vscode from 'vscode';
import { InkwellRequests, InvalidParamsCode } from '../../sidecar/protocol';
import type { SidecarClient } from '../sidecar/SidecarClient';
import { describeSidecarError, isCancellation } from '../sidecar/describeSidecarError';
import { completionOptions, sidecarGeneration, type InkwellSettings } from './InkwellSettings';
import type { SettingsStore } from './SettingsStore';

/**
 * Forwards setting changes to the running sidecar: generationConfig and completions.* go to
 * inkwell/setConfig, modelFolder and device to inkwell/loadModel. A config the sidecar rejects
 * is shown (its message names the field) and the user's settings are left as they are. A
 * sidecar that is not running gets the settings in its next initializationOptions instead.
 */
export class SettingsSync implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: SettingsStore,
    private readonly sidecar: SidecarClient,
    private readonly modelDir: (settings: InkwellSettings) => string,
    private readonly assistantDir: (settings: InkwellSettings) => string | undefined,
    private readonly onChanged: (settings: InkwellSettings) => void,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((event) => this.changed(event)),
      // The workspace's model paths count once it is trusted (see modelPathValue).
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.apply(false, true)),
    ];
  }

  private changed(event: vscode.ConfigurationChangeEvent): void {
    const config = this.store.affects(event, 'generationConfig') || this.store.affects(event, 'completions') || this.store.affects(event, 'watermark');
    const model = this.store.affects(event, 'modelFolder') || this.store.affects(event, 'device') || this.store.affects(event, 'assistantModelFolder');
    this.apply(config, model);
  }

  private apply(config: boolean, model: boolean): void {
    if (!config && !model) return;
    const settings = this.store.read();
    this.onChanged(settings);
    if (this.sidecar.lifecycle !== 'running') return;
    if (config) void this.pushConfig(settings);
    if (model) void this.loadModel(settings);
  }

  private async pushConfig(settings: InkwellSettings): Promise<void> {
    try {
      await this.sidecar.sendRequest(InkwellRequests.setConfig, { generation: sidecarGeneration(settings), completion: completionOptions(settings) });
    } catch (error) {
      if (isCancellation(error)) return;
      void vscode.window.showErrorMessage(`Inkwell: the generation config in your settings is not valid: ${describeSidecarError(error)}`);
    }
  }

  private async loadModel(settings: InkwellSettings): Promise<void> {
    const dir = this.modelDir(settings);
    const assistantDir = this.assistantDir(settings);
    try {
      await this.sidecar.sendRequest(InkwellRequests.loadModel, { dir, device: settings.device, ...(assistantDir && { assistantDir }) });
    } catch (error) {
      // A failed load is reported by the sidecar's status (ModelLoadNotifier shows it); only
      // params the sidecar refused before loading are shown here.
      if ((error as { code?: unknown }).code === InvalidParamsCode) {
        void vscode.window.showErrorMessage(`Inkwell: cannot load ${dir}: ${describeSidecarError(error)}`);
      }
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
