/**
 * NCCL logs: the nccl-log language, its findings, pasted-text detection and the topology webview.
 * ── Add further log-language and topology tests here (grammar scopes: see the ui.ts pass). ──
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsFor, openFile, openUntitled, test, waitFor } from './framework';

test('log: a *.nccl.log file gets the nccl-log language and its findings', async () => {
  const { document } = await openFile('sample.nccl.log');
  assert.equal(document.languageId, 'nccl-log');
  const [finding] = await waitFor('an nccl-log/p2p-disabled finding', () => diagnosticsFor(document.uri, 'nccl-log/p2p-disabled').length > 0 && diagnosticsFor(document.uri, 'nccl-log/p2p-disabled'));
  assert.equal(finding!.range.start.line, 6);
  assert.equal(finding!.severity, vscode.DiagnosticSeverity.Warning);
  assert.ok(diagnosticsFor(document.uri, 'nccl-log/warn').length === 1, 'the NCCL WARN line is reported once');
});

test('log: pasted NCCL output in a plain-text editor switches to nccl-log', async () => {
  const { document } = await openFile('sample.nccl.log');
  const untitled = await openUntitled('plaintext', document.getText());
  await waitFor('the language to switch to nccl-log', () => vscode.window.activeTextEditor?.document.uri.toString() === untitled.document.uri.toString() && vscode.window.activeTextEditor.document.languageId === 'nccl-log');
});

test('topology: NCCL: Show Topology opens the webview for the log', async () => {
  await openFile('sample.nccl.log');
  await vscode.commands.executeCommand('rvn.showTopology');
  const tab = await waitFor('a topology webview tab', () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('rvn.topology')));
  assert.match(tab.label, /sample\.nccl\.log/);
});
