/**
 * The topology webview: the server renders the page (with the nonce and CSP source given here),
 * this panel only shows it, refreshes it as the log changes, and reveals a log line when the page
 * asks. Scripts are enabled for progressive enhancement only; no local resources are loaded.
 */
import { randomBytes } from 'node:crypto';
import { Range, Selection, TextEditorRevealType, Uri, ViewColumn, window, workspace, type Disposable, type WebviewPanel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TOPOLOGY_PAGE_REQUEST, type RevealLineMessage, type TopologyPageParams, type TopologyPageResult } from '../../server/src/protocol/requests';

const panels = new Map<string, WebviewPanel>();

export async function showTopology(client: LanguageClient, uri: Uri): Promise<void> {
  const key = uri.toString();
  let panel = panels.get(key);
  if (panel) {
    panel.reveal(ViewColumn.Beside);
  } else {
    panel = window.createWebviewPanel('rvn.topology', `Topology: ${uri.path.split('/').pop()}`, ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [],
      retainContextWhenHidden: false,
    });
    panels.set(key, panel);
    const subscriptions: Disposable[] = [
      panel.webview.onDidReceiveMessage((m: RevealLineMessage) => {
        if (m?.type === 'revealLine' && Number.isInteger(m.line)) void revealLine(uri, m.line);
      }),
      // Live refresh as the log grows (debounced by the server's own analysis cache).
      workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === key) void render(client, panels.get(key), uri);
      }),
    ];
    panel.onDidDispose(() => {
      panels.delete(key);
      subscriptions.forEach((s) => s.dispose());
    });
  }
  await render(client, panel, uri);
}

async function render(client: LanguageClient, panel: WebviewPanel | undefined, uri: Uri): Promise<void> {
  if (!panel) return;
  const params: TopologyPageParams = { uri: uri.toString(), nonce: randomBytes(16).toString('base64'), cspSource: panel.webview.cspSource };
  const result = await client.sendRequest<TopologyPageResult | null>(TOPOLOGY_PAGE_REQUEST, params);
  panel.webview.html = result?.html ?? '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"></head><body><p>This document is not an NCCL log.</p></body></html>';
}

async function revealLine(uri: Uri, line: number): Promise<void> {
  const doc = await workspace.openTextDocument(uri);
  const editor = await window.showTextDocument(doc, ViewColumn.One);
  const range = new Range(line, 0, line, doc.lineAt(Math.min(line, doc.lineCount - 1)).text.length);
  editor.selection = new Selection(range.start, range.end);
  editor.revealRange(range, TextEditorRevealType.InCenter);
}
