import type * as vscode from 'vscode';
import type { RequestType, RequestType0 } from 'vscode-languageclient';
import type { GenerateProgress, GenerationConfigJson, StatusInfo } from '../../sidecar/protocol';

/** What the generation panel needs from the extension: the sidecar connection and the settings. */
export interface PanelBackend {
  sendRequest<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  sendRequest<R>(type: RequestType0<R, void>, token?: vscode.CancellationToken): Promise<R>;
  onGenerateProgress(listener: (p: GenerateProgress) => void): vscode.Disposable;
  onStatus(listener: (s: StatusInfo) => void): vscode.Disposable;
  /** Writes inkwell.generationConfig (global settings); the extension then forwards it to the sidecar. */
  saveGenerationConfig(config: GenerationConfigJson): Thenable<void>;
}
