import type { ExtensionMessage, WebviewMessage } from './messages';

/** What the webview persists across being hidden and shown (VS Code's getState/setState). */
export interface PanelViewState {
  readonly prompt?: string;
  readonly open?: readonly string[];
}

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelViewState | undefined;
  setState(state: PanelViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's side of the channel to the extension, typed by the message unions. */
export interface ExtensionHost {
  post(message: WebviewMessage): void;
  onMessage(listener: (message: ExtensionMessage) => void): void;
  state(): PanelViewState;
  saveState(patch: Partial<PanelViewState>): void;
}

export function connectToExtension(): ExtensionHost {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    // Only the extension posts into the webview's window, and it sends ExtensionMessages.
    onMessage: (listener) => window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => listener(event.data)),
    state: () => api.getState() ?? {},
    saveState: (patch) => api.setState({ ...(api.getState() ?? {}), ...patch }),
  };
}
