// The panel's webview script (bundled to dist/media/panel.js): finds the page's containers,
// and starts the app. Runs in the webview's browser sandbox: no Node, no vscode module.
import { PanelApp } from './PanelApp';
import { connectToExtension } from './vscodeApi';

function container(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`panel page lacks #${id}`);
  return node;
}

new PanelApp(connectToExtension(), {
  status: container('status'),
  generalError: container('general-error'),
  presets: container('presets'),
  form: container('config-form'),
  playground: container('playground'),
  chart: container('distribution'),
}).start();
