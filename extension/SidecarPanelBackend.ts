import type * as vscode from 'vscode';
import type { GenerateProgress, GenerationConfigJson, StatusInfo } from '../sidecar/protocol';
import type { RequestType, RequestType0 } from 'vscode-languageclient';
import type { PanelBackend } from './panel/PanelBackend';
import type { SettingsStore } from './settings/SettingsStore';
import type { SidecarClient } from './sidecar/SidecarClient';

/**
 * The panel's view of the extension: requests and notifications through the SidecarClient (whose
 * listeners outlive sidecar restarts, and whose requests wait for a restarting sidecar), and the
 * user's generation config through the settings (SettingsSync forwards it to the sidecar).
 */
export class SidecarPanelBackend implements PanelBackend {
  constructor(
    private readonly sidecar: SidecarClient,
    private readonly settings: SettingsStore,
  ) {}

  sendRequest<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  sendRequest<R>(type: RequestType0<R, void>, token?: vscode.CancellationToken): Promise<R>;
  sendRequest<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, paramsOrToken?: P | vscode.CancellationToken, token?: vscode.CancellationToken): Promise<R> {
    if (type.numberOfParams === 0) return this.sidecar.sendRequest(type as RequestType0<R, void>, paramsOrToken as vscode.CancellationToken | undefined);
    return this.sidecar.sendRequest(type as RequestType<P, R, void>, paramsOrToken as P, token);
  }

  onGenerateProgress(listener: (p: GenerateProgress) => void): vscode.Disposable {
    return this.sidecar.onGenerateProgress(listener);
  }

  onStatus(listener: (s: StatusInfo) => void): vscode.Disposable {
    return this.sidecar.onStatus(listener);
  }

  saveGenerationConfig(config: GenerationConfigJson): Thenable<void> {
    return this.settings.setGenerationConfig(config);
  }
}
