/** Shell scripts: the four things a user sees first, through the real `vscode` API. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { completionLabels, diagnosticsFor, EXTENSION_ID, hoverText, openFile, openUntitled, rangeOf, show, test, waitFor } from './framework';

test('the extension is installed and activates', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  await extension.activate();
  assert.equal(extension.isActive, true);
}, { critical: true, timeoutMs: 20_000 });

test('shell: a misspelled vllm flag gets a diagnostic at its exact range', async () => {
  const { document } = await openFile('deploy.sh');
  assert.equal(document.languageId, 'shellscript');
  const [diagnostic] = await waitFor('a vllm/unknown-flag diagnostic in deploy.sh', () => diagnosticsFor(document.uri, 'vllm/unknown-flag').length > 0 && diagnosticsFor(document.uri, 'vllm/unknown-flag'));
  assert.equal(show(diagnostic!.range), show(rangeOf(document, '--tensor-paralel-size')));
  assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
  assert.match(diagnostic!.message, /did you mean --tensor-parallel-size/);
  assert.equal(diagnostic!.source, 'rvn');
});

test('shell: completion after `vllm serve` offers --tensor-parallel-size', async () => {
  const text = 'vllm serve /models/llama-3-8b --tensor-p';
  const { document } = await openUntitled('shellscript', text);
  const labels = await waitFor('completion items', async () => {
    const items = await completionLabels(document.uri, document.positionAt(text.length));
    return items.length > 0 && items;
  });
  assert.ok(labels.includes('--tensor-parallel-size'), `got ${labels.length} items: ${labels.slice(0, 10).join(', ')}`);
});

test('shell: hover on an NCCL variable shows its docs', async () => {
  const { document } = await openFile('deploy.sh');
  const at = rangeOf(document, 'NCCL_SOCKET_IFNAME').start.translate(0, 4);
  const text = await hoverText(document.uri, at);
  assert.match(text, /NCCL_SOCKET_IFNAME/);
  assert.match(text, /interface/i, text);
});

test('shell: the quick fix replaces the misspelled flag and the diagnostic goes away', async () => {
  const { document } = await openFile('quickfix.sh');
  const [diagnostic] = await waitFor('a vllm/unknown-flag diagnostic in quickfix.sh', () => diagnosticsFor(document.uri, 'vllm/unknown-flag').length > 0 && diagnosticsFor(document.uri, 'vllm/unknown-flag'));
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => a.title.includes('--tensor-parallel-size'));
  assert.ok(fix?.edit, `no quick fix with an edit among: ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
  assert.match(document.getText(), /--tensor-parallel-size 2/);
  assert.doesNotMatch(document.getText(), /--tensor-paralel-size/);
  await waitFor('the diagnostic to clear after the edit', () => diagnosticsFor(document.uri, 'vllm/unknown-flag').length === 0);
});
