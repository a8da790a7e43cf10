import * as assert from 'node:assert/strict';
import { buildWebviewHtml, contentSecurityPolicy, newNonce } from '../../../src/extension/panels/webview-html';

describe('extension/webview-html', () => {
  it('uses a fresh 128-bit nonce each render', () => {
    const a = newNonce();
    const b = newNonce();
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64').length, 16);
  });

  it('has a strict CSP: default none, scripts only by nonce, no unsafe-inline/eval, no remote hosts', () => {
    const csp = contentSecurityPolicy('vscode-webview://abc', 'N0nce');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-(inline|eval)|https?:|\*/);
  });

  it('loads only the given local script and styles, each carrying the nonce', () => {
    const html = buildWebviewHtml({ cspSource: 'vscode-webview://x', nonce: 'abc', title: 'Metrics <b>', scriptUri: 'vscode-webview://x/m.js', styleUris: ['vscode-webview://x/m.css'], codiconsUri: 'vscode-webview://x/c.css' });
    assert.match(html, /<script nonce="abc" src="vscode-webview:\/\/x\/m.js"><\/script>/);
    assert.match(html, /id="vscode-codicon-stylesheet"/);
    assert.match(html, /<title>Metrics &lt;b&gt;<\/title>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'exactly one script tag, no inline script');
  });
});
