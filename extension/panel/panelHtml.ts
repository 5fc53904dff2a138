/** Where the page's resources are, as webview URIs, and the CSP inputs. */
export interface PanelPage {
  /** webview.cspSource */
  readonly cspSource: string;
  /** A fresh random nonce per page load; the only script allowed is the one carrying it. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

/**
 * The panel's HTML: a strict CSP (no inline styles, no inline scripts except the nonce'd
 * bundle) and empty containers that media/panel/main.ts fills. The ids here are the ones
 * main.ts looks up.
 */
export function panelHtml(page: PanelPage): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${page.nonce}'`,
    `style-src ${page.cspSource}`,
    `img-src ${page.cspSource} data:`,
    `font-src ${page.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttribute(page.styleUri)}">
  <title>Inkwell</title>
</head>
<body>
  <div id="status"></div>
  <p id="general-error" class="error" role="alert" hidden></p>
  <section aria-labelledby="presets-title">
    <h2 id="presets-title">Presets</h2>
    <div id="presets" role="group" aria-labelledby="presets-title"></div>
  </section>
  <section aria-labelledby="playground-title">
    <h2 id="playground-title">Playground</h2>
    <div id="playground"></div>
  </section>
  <section aria-labelledby="distribution-title">
    <h2 id="distribution-title">Next token</h2>
    <div id="distribution"></div>
  </section>
  <section aria-labelledby="config-title">
    <h2 id="config-title">Generation settings</h2>
    <form id="config-form" novalidate></form>
  </section>
  <script nonce="${escapeAttribute(page.nonce)}" src="${escapeAttribute(page.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
