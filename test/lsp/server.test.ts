/** The real language server over stdio, driven like an editor drives it. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lspClient';

const uri = 'file:///tmp/deploy.sh';
const text = [
  '#!/usr/bin/env bash',
  'runai inference distributed submit my-model \\',
  '  -i vllm/vllm-openai:v0.18.0 \\',
  '  --worker 2 \\',
  '  --environment-variable NCCL_DEBUG=INFO \\',
  '  -- /data/model --tensor-paralel-size 2 --dtype ',
  '',
].join('\n');

let client: LspClient;

before(async () => {
  client = new LspClient();
  const init = await client.initialize();
  assert.ok(init.capabilities.completionProvider);
  assert.ok(init.capabilities.hoverProvider);
});

after(async () => {
  await client.shutdown();
});

test('opening a script publishes diagnostics with rule ids, docs links and exact ranges', async () => {
  const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'shellscript', version: 1, text } });
  const { diagnostics } = await published;
  const byCode = new Map(diagnostics.map((d: any) => [d.code, d]));
  const unknown: any = byCode.get('runai/unknown-flag');
  assert.deepEqual(unknown.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 10 } });
  assert.equal(unknown.source, 'rvn');
  assert.match(unknown.codeDescription.href, /^file:.*docs\/rules\/runai-unknown-flag\.md$/);
  assert.ok(byCode.has('vllm/unknown-flag'));
  assert.ok(byCode.has('missing-value'), JSON.stringify([...byCode.keys()]));
});

test('completion offers vLLM flags after --, values after a flag, NCCL names after -e', async () => {
  const flags = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 18 } });
  const items = Array.isArray(flags) ? flags : flags.items;
  const tp = items.find((i: any) => i.label === '--tensor-parallel-size');
  assert.ok(tp);
  // The client declared LSP 3.17 item defaults: the shared edit range (the typed `--…`) is sent once.
  assert.deepEqual(flags.itemDefaults?.editRange, { start: { line: 5, character: 17 }, end: { line: 5, character: 18 } });
  assert.equal(tp.textEdit, undefined);
  const resolved = await client.request('completionItem/resolve', tp);
  assert.match(resolved.documentation.value, /Spellings: `--tensor-parallel-size` · `-tp`/);
  const values = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 50 } });
  assert.deepEqual((Array.isArray(values) ? values : values.items).map((i: any) => i.label).sort(), ['auto', 'bfloat16', 'float', 'float16', 'float32', 'half']);
  const env = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 29 } });
  assert.ok((Array.isArray(env) ? env : env.items).some((i: any) => i.label === 'NCCL_DEBUG_SUBSYS'));
});

test('hover explains an NCCL variable and a Run:ai flag', async () => {
  const nccl = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 28 } });
  assert.match(nccl.contents.value, /\*\*NCCL_DEBUG\*\*/);
  assert.match(nccl.contents.value, /Values: `VERSION`/);
  const image = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
  assert.match(image.contents.value, /\*\*--image\*\*/);
});

test('a quick fix replaces the misspelled flag, and edits only its range', async () => {
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } },
    context: { diagnostics: [] },
  });
  const fix = actions.find((a: any) => a.title === 'Change to --workers');
  assert.ok(fix, JSON.stringify(actions.map((a: any) => a.title)));
  assert.deepEqual(fix.edit.changes[uri], [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 10 } }, newText: '--workers' }]);
});

test('incremental edits re-publish diagnostics for the new text', async () => {
  const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 2);
  client.notify('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 10 } }, text: '--workers' }],
  });
  const { diagnostics } = await published;
  assert.ok(!diagnostics.some((d: any) => d.code === 'runai/unknown-flag'));
});

test('half-typed lines: completion and hover at every position answer without error', async () => {
  const partial = 'runai inference dist';
  const u = 'file:///tmp/partial.sh';
  client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'shellscript', version: 1, text: partial } });
  for (let c = 0; c <= partial.length; c++) {
    await client.request('textDocument/completion', { textDocument: { uri: u }, position: { line: 0, character: c } });
    await client.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: c } });
  }
  const sub = await client.request('textDocument/completion', { textDocument: { uri: u }, position: { line: 0, character: partial.length } });
  assert.ok((Array.isArray(sub) ? sub : sub.items).some((i: any) => i.label === 'distributed'));
});

test('an open publishes its diagnostics once, not again when the edit debounce fires', async () => {
  const u = 'file:///tmp/once.sh';
  const count = () => client.notifications.filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === u).length;
  const first = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === u);
  client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'shellscript', version: 1, text: 'vllm serve /m --dtype bfloat\n' } });
  await first;
  await new Promise((r) => setTimeout(r, 400)); // past the 150 ms debounce
  assert.equal(count(), 1);
});
