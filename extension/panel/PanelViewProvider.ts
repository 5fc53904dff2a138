import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExtensionMessage } from '../../media/panel/messages';
import type { PanelBackend } from './PanelBackend';
import { PanelController } from './PanelController';
import { panelHtml } from './panelHtml';
import { parseWebviewMessage } from './webviewMessageSchema';

/**
 * The generation panel (a webview view in Inkwell's activity bar container). Builds the page,
 * checks what the webview posts, and hands it to a PanelController for as long as the view
 * lives. The extension registers it and owns the registration; disposing the provider ends the
 * current view's requests.
 */
export class PanelViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'inkwell.panel';

  private view: { controller: PanelController; subscriptions: vscode.Disposable[] } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: PanelBackend,
  ) {}

  resolveWebviewView(webviewView: vscode.WebviewView): void {
    this.disposeView();
    const { webview } = webviewView;
    const scripts = vscode.Uri.joinPath(this.extensionUri, 'dist', 'media');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    webview.options = { enableScripts: true, localResourceRoots: [scripts, media] };
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel', 'panel.css')).toString(),
    });

    const controller = new PanelController(this.backend, (message: ExtensionMessage) => void webview.postMessage(message));
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = parseWebviewMessage(raw);
        if (parsed.ok) controller.handle(parsed.message);
        else console.warn(`Inkwell panel: ignored a malformed webview message: ${parsed.error}`);
      }),
      webviewView.onDidDispose(() => this.disposeView()),
    ];
    this.view = { controller, subscriptions };
  }

  private disposeView(): void {
    if (!this.view) return;
    this.view.controller.dispose();
    for (const d of this.view.subscriptions.splice(0)) d.dispose();
    this.view = undefined;
  }

  dispose(): void {
    this.disposeView();
  }
}
