/**
 * The HTML shell of every SecML webview: strict CSP (`default-src 'none'`), a fresh cryptographic nonce per render,
 * only bundled local resources. Pure (no `vscode` import) so it is unit-tested in plain Node.
 */
import { randomBytes } from 'node:crypto';

/** 128 bits from the OS CSPRNG, base64: a new one for every render. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface WebviewHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  title: string;
  /** `asWebviewUri` of dist/webview/<panel>.js */
  scriptUri: string;
  /** `asWebviewUri` of dist/webview/<panel>.css and other stylesheets. */
  styleUris: string[];
  /** `asWebviewUri` of dist/webview/codicons/codicon.css (vscode-elements' icons look for this link id). */
  codiconsUri?: string;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function buildWebviewHtml(p: WebviewHtmlParts): string {
  const links = [
    ...(p.codiconsUri ? [`<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttr(p.codiconsUri)}" nonce="${escapeAttr(p.nonce)}">`] : []),
    ...p.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}" nonce="${escapeAttr(p.nonce)}">`),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttr(p.title)}</title>
${links.join('\n')}
</head>
<body>
<div id="app" role="main"></div>
<script nonce="${escapeAttr(p.nonce)}" src="${escapeAttr(p.scriptUri)}"></script>
</body>
</html>`;
}
