import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { panelHtml } from '../../../../extension/panel/panelHtml';

describe('panelHtml', () => {
  const html = panelHtml({ cspSource: 'https://file+.vscode-resource.test', nonce: 'abc123', scriptUri: 'https://x.test/dist/media/panel.js', styleUri: 'https://x.test/media/panel/panel.css' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];

  it('has a strict CSP: nothing by default, scripts only by nonce, no inline styles', () => {
    assert.equal(
      csp,
      "default-src 'none'; script-src 'nonce-abc123'; style-src https://file+.vscode-resource.test; img-src https://file+.vscode-resource.test data:; font-src https://file+.vscode-resource.test",
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|style=/);
  });

  it('loads the bundle with the nonce and the stylesheet, and has no other script', () => {
    assert.deepEqual([...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]), ['<script nonce="abc123" src="https://x.test/dist/media/panel.js">']);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/x.test\/media\/panel\/panel.css">/);
  });

  it('has the containers main.ts looks up', () => {
    for (const id of ['status', 'general-error', 'presets', 'config-form', 'playground', 'distribution']) assert.match(html, new RegExp(`id="${id}"`));
  });
});
