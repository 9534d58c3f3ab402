import * as vscode from 'vscode';
import { panelHtml } from './panelHtml';

/**
 * The side panel's webview view. Scripts and styles come only from the extension's dist/ and media/
 * folders (localResourceRoots), behind a nonce CSP; command URIs are off. The webview is rebuilt
 * whenever VS Code asks; the state it renders comes from the host, so nothing is lost.
 */
export class SidePanelProvider implements vscode.WebviewViewProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly attach: (view: vscode.WebviewView) => Promise<void>,
  ) {}

  async resolveWebviewView(view: vscode.WebviewView): Promise<void> {
    // The host listens before the page loads, so the page's `ready` is never missed.
    await this.attach(view);
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media, dist] };
    view.webview.html = panelHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
    });
  }
}
