/** YAML over the real server: diagnostics at YAML positions, completion inside args, Red Hat coexistence. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lspClient';

const text = [
  'apiVersion: v1',
  'kind: Pod',
  'spec:',
  '  containers:',
  '    - name: vllm',
  '      image: vllm/vllm-openai:v0.18.0',
  '      args: ["/m", "--tensor-paralel-size", "2", "--dtype", ""]',
  '      env:',
  '        - {name: NCCL_IB_DISABLE, value: 1}',
  '---',
  'a: b: c',
  '',
].join('\n');

async function open(client: LspClient, uri: string) {
  const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return (await published).diagnostics as Array<{ code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>;
}

test('YAML diagnostics, fixes and completion over stdio', async () => {
  const client = new LspClient();
  try {
    await client.initialize();
    const uri = 'file:///tmp/pod.yaml';
    const diagnostics = await open(client, uri);
    const unknown = diagnostics.find((d) => d.code === 'vllm/unknown-flag')!;
    assert.deepEqual(unknown.range, { start: { line: 6, character: 20 }, end: { line: 6, character: 41 } });
    assert.ok(diagnostics.some((d) => d.code === 'yaml/env-value-not-string'));
    assert.ok(diagnostics.some((d) => d.code === 'yaml/syntax-error'));
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 8, character: 42 }, end: { line: 8, character: 42 } }, context: { diagnostics: [] } });
    assert.ok(actions.some((a: { title: string }) => a.title === 'Quote as "1"'));
    const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 61 } });
    assert.ok((Array.isArray(items) ? items : items.items).some((i: { label: string }) => i.label === 'bfloat16'));
  } finally {
    await client.shutdown();
  }
});

test('with Red Hat YAML active, syntax errors are left to it (never reported twice)', async () => {
  const client = new LspClient();
  try {
    await client.initialize({ redhatYamlActive: true });
    const diagnostics = await open(client, 'file:///tmp/pod2.yaml');
    assert.ok(!diagnostics.some((d) => d.code === 'yaml/syntax-error'));
    assert.ok(diagnostics.some((d) => d.code === 'vllm/unknown-flag'));
  } finally {
    await client.shutdown();
  }
});
