/** NCCL logs over the real server: findings, outline, folding, CodeLens, the topology page request. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient } from './lspClient';
import { hasShared, sharedDir } from '../helpers';

const skip = hasShared ? false : 'no ../shared corpus';

test('an NCCL log gets findings, an outline, folding, a CodeLens and a topology page', { skip }, async () => {
  const text = readFileSync(join(sharedDir, 'corpus/nccl-2.28.9-h200x4/p2p-disabled-shm.log'), 'utf8');
  const client = new LspClient();
  try {
    await client.initialize();
    const uri = 'file:///tmp/run.nccl.log';
    const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nccl-log', version: 1, text } });
    const { diagnostics } = await published;
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d: { code: string }) => d.code.startsWith('nccl-log/')));
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.some((s: { name: string }) => s.name.startsWith('communicator')));
    const folding = await client.request('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(folding.length > 0);
    const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses[0].command.command, 'rvn.showTopology');
    const page = await client.request('rvn/topologyPage', { uri, nonce: 'abc123xyZ', cspSource: 'vscode-webview:' });
    assert.match(page.html, /Content-Security-Policy/);
    assert.match(page.html, /nonce-abc123xyZ/);
    assert.match(page.html, /SHM/);
    const summary = await client.request('rvn/logSummary', { uri });
    assert.equal(summary.isLog, true);
    assert.ok(summary.statusText.length > 0);
    const notLog = await client.request('rvn/logSummary', { uri: 'file:///nowhere.log' });
    assert.equal(notLog.isLog, false);
  } finally {
    await client.shutdown();
  }
});

test('nccl-tests results and vLLM lines in a log are shown beside the topology, with their findings', { skip }, async () => {
  const text = readFileSync(join(sharedDir, 'corpus/nccl-tests-2.28.9-h200x2/all_reduce_perf.nccl-info.txt'), 'utf8');
  const vllm = readFileSync(join(__dirname, '..', 'fixtures', 'vllm-log', readdirSync(join(__dirname, '..', 'fixtures', 'vllm-log'))[0]), 'utf8');
  const client = new LspClient();
  try {
    await client.initialize();
    const uri = 'file:///tmp/allreduce.nccl.log';
    const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nccl-log', version: 1, text: `${text}\n${vllm}` } });
    const { diagnostics } = await published;
    assert.ok(diagnostics.some((d: { code: string }) => d.code.startsWith('vllm-log/')));
    const page = await client.request('rvn/topologyPage', { uri, nonce: 'abc123xyZ', cspSource: "'self' https://*.vscode-cdn.net" });
    assert.match(page.html, /nccl-tests: bus bandwidth/);
    assert.match(page.html, /<svg[^>]*rvn-bw/);
    assert.match(page.html, /vLLM configuration/);
  } finally {
    await client.shutdown();
  }
});
