import type * as vscode from 'vscode';
import type { GenerateProgress, GenerationConfigJson, StatusInfo } from '../../sidecar/protocol';

/**
 * A typed request, taken by shape. The protocol module's RequestType comes from vscode-jsonrpc 9
 * (through vscode-languageserver-protocol) and the LanguageClient's from vscode-jsonrpc 10; their
 * private fields make the two classes incompatible to TypeScript, so neither is named here. Both
 * fit these: `_` is the phantom tuple [P, R, E, _EM] for a request with params and [R, E, _EM]
 * for one without, which is also what tells the two overloads apart. (The same shapes as
 * extension/sidecar/clientMessageTypes.ts's ContractRequest/ContractRequest0.)
 */
export interface RequestType<P, R, _E = void> {
  readonly method: string;
  readonly _: readonly [P, R, unknown, unknown] | undefined;
}
export interface RequestType0<R, _E = void> {
  readonly method: string;
  readonly _: readonly [R, unknown, unknown] | undefined;
}

/** What the generation panel needs from the extension: the sidecar connection and the settings. */
export interface PanelBackend {
  sendRequest<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  sendRequest<R>(type: RequestType0<R, void>, token?: vscode.CancellationToken): Promise<R>;
  onGenerateProgress(listener: (p: GenerateProgress) => void): vscode.Disposable;
  onStatus(listener: (s: StatusInfo) => void): vscode.Disposable;
  /** Writes inkwell.generationConfig (global settings); the extension then forwards it to the sidecar. */
  saveGenerationConfig(config: GenerationConfigJson): Thenable<void>;
}
