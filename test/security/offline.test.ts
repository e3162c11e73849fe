/**
 * Offline and read-only. The language server never writes to disk and never opens a socket, proven
 * at the system-call level: strace attaches to the running server (every thread, so libuv's file-system pool too)
 * while it serves documents of each kind, and any open for writing, any create/rename/unlink/mkdir,
 * and any socket() or connect() is a failure. The sandbox test in test/fuzz/lsp.test.ts checks the
 * same from the outside (empty cwd/HOME/TMPDIR); this one also sees writes anywhere else.
 * Then `rvn` and the server run inside a network namespace with no usable interface (`unshare -n`)
 * and answer exactly as they do outside. Each part skips, saying why, where strace is missing or
 * cannot attach (ptrace restricted) or namespaces are not permitted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedDir } from '../helpers';
import { RVN_SERVER, startServer } from '../bench/serverProcess';
import { LspClient } from '../lsp/lspClient';
import { deploymentManifest, deploymentScript } from '../bench/workloads';

const STRACE = ['/usr/bin/strace', '/bin/strace'].find(existsSync);
const CALLS = 'open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,truncate,link,linkat,symlink,symlinkat,socket,connect';

/** System calls that change the file system or reach a network, from strace's output. */
export function offending(trace: string): string[] {
  return trace.split('\n').filter((line) => {
    const call = /^\d+\s+(\w+)\(/.exec(line)?.[1];
    if (!call) return false;
    if (call === 'open' || call === 'openat' || call === 'openat2') return /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(line) && !/"\/dev\/(null|tty)"/.test(line);
    return true;
  });
}

const skip = !STRACE ? 'strace is not installed (apt-get install -y strace): system-call check skipped' : false;

test('the server makes no write, create, rename, unlink, socket or connect call while serving documents', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rvn-strace-'));
  const out = join(dir, 'trace.txt');
  const client = startServer(RVN_SERVER);
  let tracer: ReturnType<typeof spawn> | undefined;
  let running = true;
  try {
    await client.initialize();
    tracer = spawn(STRACE!, ['-f', '-qq', '-e', `trace=${CALLS}`, '-o', out, '-p', String(client.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    tracer.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // strace creates its output file once attached; give it up to 5 s.
    for (let i = 0; i < 50 && !existsSync(out) && tracer.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 200));
    if (tracer.exitCode !== null || /Operation not permitted|ptrace/i.test(stderr)) return void t.skip(`strace cannot attach here: ${stderr.trim().split('\n')[0]}`);

    const log = [join(sharedDir, 'corpus', 'nccl-2.28.9-h200x4', 'socket-only.log'), join(repoRoot, 'test', 'fixtures', 'nccl', 'vllm-ray-2node-roce.log')].find(existsSync)!;
    const docs: Array<[string, string, string]> = [
      ['file:///w/deploy.sh', 'shellscript', deploymentScript(300)],
      ['file:///w/mistakes.sh', 'shellscript', readFileSync(join(repoRoot, 'examples', 'common-mistakes.sh'), 'utf8')],
      ['file:///w/manifest.yaml', 'yaml', deploymentManifest(600)],
      ['file:///w/vllm-config.yaml', 'yaml', 'tensor-parallel-size: 2\nmax-model-len: 32k\n'],
      ['file:///w/nccl.log', 'nccl-log', readFileSync(log, 'utf8')],
    ];
    for (const [uri, languageId, text] of docs) {
      const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      const { diagnostics } = await published;
      const doc = { textDocument: { uri } };
      const position = diagnostics[0]?.range.start ?? { line: 1, character: 3 };
      const items = await client.request('textDocument/completion', { ...doc, position });
      for (const item of (Array.isArray(items) ? items : (items?.items ?? [])).slice(0, 3)) await client.request('completionItem/resolve', item);
      await client.request('textDocument/hover', { ...doc, position });
      await client.request('textDocument/codeAction', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 1e6, character: 0 } }, context: { diagnostics } });
      for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/codeLens']) await client.request(method, doc);
      await client.request('rvn/topologyPage', { uri, nonce: 'bm9uY2Vub25jZQ==', cspSource: 'vscode-webview://x' });
      client.notify('textDocument/didClose', doc);
    }
    await client.shutdown();
    running = false;
    await new Promise<void>((resolve) => (tracer!.exitCode !== null ? resolve() : tracer!.once('exit', () => resolve())));
    const trace = readFileSync(out, 'utf8');
    const calls = trace.split('\n').filter((l) => /^\d+\s+\w+\(/.test(l)).length;
    assert.deepEqual(offending(trace), [], 'the server wrote to disk or opened a socket');
    t.diagnostic(`${calls} traced calls (reads of its own files), none writing or networking`);
  } finally {
    tracer?.kill();
    if (running) await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the strace filter flags what it must (a write and a socket)', () => {
  const sample = ['1 openat(AT_FDCWD, "/x/knowledge/vllm.json", O_RDONLY|O_CLOEXEC) = 21', '2 openat(AT_FDCWD, "/tmp/x", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 18', '3 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 19', '4 openat(AT_FDCWD, "/dev/null", O_RDWR|O_CLOEXEC) = 3'].join('\n');
  assert.equal(offending(sample).length, 2);
});

// ---- no network at all: a namespace with no interfaces but a downed loopback ----

const unshareWorks = spawnSync('unshare', ['-n', 'true']).status === 0;
const noNamespace = unshareWorks ? false : 'unshare -n is not permitted here (needs root or user namespaces): offline run skipped';

test('rvn check, rvn topology and the language server work the same inside `unshare -n`', { skip: noNamespace }, async () => {
  const rvn = (prefix: string[], args: string[]) => {
    const [cmd, ...rest] = [...prefix, process.execPath, join(repoRoot, 'bin', 'rvn'), ...args];
    return spawnSync(cmd, rest, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  };
  const log = [join(sharedDir, 'corpus', 'nccl-2.28.9-h200x4', 'default.log'), join(repoRoot, 'test', 'fixtures', 'nccl', 'vllm-ray-2node-roce.log')].find(existsSync)!;
  for (const args of [['check', '--format', 'json', join(repoRoot, 'examples')], ['topology', '--json', '--summary', log]]) {
    const online = rvn([], args);
    const offline = rvn(['unshare', '-n'], args);
    assert.equal(offline.status, online.status, `rvn ${args[0]} exit code offline: ${offline.stderr}`);
    assert.equal(offline.stdout, online.stdout, `rvn ${args[0]} prints the same offline`);
  }
  // The server, started by a wrapper that runs it in its own network namespace.
  const dir = mkdtempSync(join(tmpdir(), 'rvn-offline-'));
  const wrapper = join(dir, 'offline-server.cjs');
  writeFileSync(wrapper, `require('child_process').spawn('unshare', ['-n', process.execPath, ${JSON.stringify(RVN_SERVER.module)}, '--stdio'], { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 1));\n`);
  const client = new LspClient(wrapper);
  try {
    await client.initialize();
    const uri = 'file:///w/mistakes.sh';
    const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'shellscript', version: 1, text: readFileSync(join(repoRoot, 'examples', 'common-mistakes.sh'), 'utf8') } });
    assert.ok((await published).diagnostics.length > 5, 'diagnostics offline');
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: (await published).diagnostics[0].range.start });
    assert.ok(hover === null || typeof hover === 'object');
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});
