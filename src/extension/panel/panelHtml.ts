import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** webview.cspSource: the origin VS Code serves the extension's local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconUri?: string;
  nonce?: string;
}

/** A fresh, unguessable nonce per render: only our own script tag carries it. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/**
 * The panel's HTML shell. The CSP allows nothing by default: scripts only with the nonce, styles and
 * fonts only from the extension's own folders, images only from there or data: (sanitised Markdown
 * never loads a remote image), and no network at all.
 */
export function panelHtml(input: PanelHtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${input.cspSource}`,
    `font-src ${input.cspSource}`,
    `img-src ${input.cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
<title>Agent Harness</title>
</head>
<body>
<main id="root"><h1 class="visually-hidden">Agent Harness</h1></main>
<script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
