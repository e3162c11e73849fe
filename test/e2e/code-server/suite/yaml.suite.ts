/** Kubernetes manifests: the same checks inside `command`/`args`/`env` of a container. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, completionLabels, diagnosticsFor, hoverText, openFile, openUntitled, rangeOf, show, test, waitFor } from './framework';

test('yaml: a misspelled flag in args gets a diagnostic at its exact range', async () => {
  const { document } = await openFile('pod.yaml');
  assert.equal(document.languageId, 'yaml');
  const [diagnostic] = await waitFor('a vllm/unknown-flag diagnostic in pod.yaml', () => diagnosticsFor(document.uri, 'vllm/unknown-flag').length > 0 && diagnosticsFor(document.uri, 'vllm/unknown-flag'));
  assert.equal(show(diagnostic!.range), show(rangeOf(document, '--gpu-memory-utilisation')));
  assert.match(diagnostic!.message, /did you mean --gpu-memory-utilization/);
});

test('yaml: completion in an args item offers --tensor-parallel-size', async () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: vllm',
    'spec:',
    '  containers:',
    '    - name: vllm',
    '      image: vllm/vllm-openai:v0.18.0',
    '      command: ["vllm", "serve"]',
    '      args:',
    '        - /models/llama-3-8b',
    '        - --tensor-p',
  ].join('\n');
  const { document } = await openUntitled('yaml', text);
  const labels = await waitFor('completion items', async () => {
    const items = await completionLabels(document.uri, document.positionAt(text.length));
    return items.length > 0 && items;
  });
  assert.ok(labels.includes('--tensor-parallel-size'), `got ${labels.length} items: ${labels.slice(0, 10).join(', ')}`);
});

test('yaml: hover on an NCCL variable in env shows its docs', async () => {
  const { document } = await openFile('pod.yaml');
  const text = await hoverText(document.uri, rangeOf(document, 'NCCL_DEBUG').start.translate(0, 3));
  assert.match(text, /NCCL_DEBUG/);
  assert.match(text, /verbosity/i, text);
});

// Keep the diagnostic list honest: the fixture has exactly one problem.
test('yaml: nothing else in the fixture is reported', async () => {
  const uri = (await openFile('pod.yaml')).document.uri;
  await waitFor('diagnostics for pod.yaml', () => vscode.languages.getDiagnostics(uri).length > 0);
  assert.deepEqual(vscode.languages.getDiagnostics(uri).map((d) => `${codeOf(d)}@${d.range.start.line + 1}`), ['vllm/unknown-flag@14']);
});
