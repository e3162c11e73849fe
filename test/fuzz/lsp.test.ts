/**
 * Fuzz over the wire: the real server (bin/rvn-language-server over stdio) gets mutated documents
 * of each kind and every request it offers (standard and rvn/*), in a fresh temp cwd, HOME and
 * TMPDIR that must still be empty afterwards (it never writes to disk). Also: code actions edit only inside their diagnostic,
 * $/cancelRequest on a slow request leaves the server working, and thousands of random ranged
 * edits leave exactly the diagnostics a full re-analysis of the same text gives.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeText } from '../../server/src/engine';
import type { LspClient } from '../lsp/lspClient';
import { nextRequestId, RVN_SERVER, startServer } from '../bench/serverProcess';
import { deploymentManifest, deploymentScript, rng } from '../bench/workloads';
import { repoRoot } from '../helpers';
import { LOG_SUMMARY_REQUEST, TOPOLOGY_PAGE_REQUEST } from '../../server/src/protocol/requests';
import { aliasBomb, FUZZ_SEED, fuzzCase, seeds, type FuzzKind } from './mutations';
import { applyEdit, offsetAt, positionAt, randomEdit, type Position, type Range } from './textEdits';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const LANGUAGE: Record<FuzzKind, [string, string]> = { shell: ['shellscript', 'sh'], yaml: ['yaml', 'yaml'], 'nccl-log': ['nccl-log', 'log'] };
const REQUEST_LIMIT_MS = 5000;

const root = mkdtempSync(join(tmpdir(), 'rvn-fuzz-lsp-'));
const sandbox = { cwd: join(root, 'cwd'), HOME: join(root, 'home'), TMPDIR: join(root, 'tmp') };
for (const dir of Object.values(sandbox)) mkdirSync(dir);
const env = { HOME: sandbox.HOME, TMPDIR: sandbox.TMPDIR, XDG_CONFIG_HOME: join(sandbox.HOME, '.config'), XDG_CACHE_HOME: join(sandbox.HOME, '.cache'), XDG_DATA_HOME: join(sandbox.HOME, '.local', 'share') };
let client: LspClient;
let running = false;
let slowest = { ms: 0, what: '' };

// One server for the whole file, started in the sandbox before any test (so a filtered run works too).
before(async () => {
  client = startServer({ ...RVN_SERVER, cwd: sandbox.cwd, env });
  running = true;
  await client.initialize();
});

after(async () => {
  if (running) await client.shutdown();
  rmSync(root, { recursive: true, force: true });
});

/** A request that must answer (not fail) within the limit; remembers the slowest. */
async function ask<T = any>(method: string, params: unknown, label: string): Promise<T> {
  const t = performance.now();
  let result: T;
  try {
    result = await client.request<T>(method, params, REQUEST_LIMIT_MS);
  } catch (e) {
    assert.fail(`${method} on ${label} (FUZZ_SEED=${FUZZ_SEED}) failed: ${(e as Error).message}\nserver stderr: ${client.stderr.slice(-2000)}`);
  }
  const ms = performance.now() - t;
  if (ms > slowest.ms) slowest = { ms, what: `${method} on ${label}` };
  return result;
}

async function open(uri: string, kind: FuzzKind, text: string): Promise<any[]> {
  const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, 10_000);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: LANGUAGE[kind][0], version: 1, text } });
  return (await published).diagnostics;
}

const notAfter = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const within = (inner: Range, outer: Range) => notAfter(outer.start, inner.start) && notAfter(inner.end, outer.end);

/** The part of an edit that changes anything: a fix may rewrite its neighbour with identical text. */
function changedSpan(text: string, e: { range: Range; newText: string }): Range {
  const a = offsetAt(text, e.range.start);
  const b = offsetAt(text, e.range.end);
  const old = text.slice(a, b);
  let p = 0;
  while (p < old.length && p < e.newText.length && old[p] === e.newText[p]) p++;
  let q = 0;
  while (q < old.length - p && q < e.newText.length - p && old[old.length - 1 - q] === e.newText[e.newText.length - 1 - q]) q++;
  return { start: positionAt(text, a + p), end: positionAt(text, b - q) };
}

/** The `---` document (YAML) holding a line; a shell script is one unit (a quote left open spans lines). */
function unitLines(text: string, kind: FuzzKind, line: number): [number, number] {
  const lines = text.split(/\r\n|\r|\n/);
  if (kind !== 'yaml') return [0, lines.length];
  let first = line;
  let last = line;
  while (first > 0 && !/^---/.test(lines[first])) first--;
  while (last + 1 < lines.length && !/^---/.test(lines[last + 1])) last++;
  return [first, last];
}

/**
 * Quick fixes stay local: what an edit changes lies inside its diagnostic's range (widened over
 * the blanks next to it, so removing ` true` is fine), except a pure insertion of something
 * missing (an absent flag): after the diagnostic, in the same YAML document, at a word boundary.
 * (Whether such an insertion is right is the next test's business.)
 */
function assertFixesLocal(text: string, kind: FuzzKind, actions: any[], label: string): number {
  let edits = 0;
  for (const action of actions) {
    const diagnostic = action.diagnostics?.[0];
    assert.ok(diagnostic, `${label}: code action '${action.title}' names no diagnostic`);
    const line = text.split(/\r\n|\r|\n/)[diagnostic.range.start.line] ?? '';
    const widened: Range = { start: { ...diagnostic.range.start }, end: { ...diagnostic.range.end } };
    while (widened.start.character > 0 && /[ \t]/.test(line[widened.start.character - 1])) widened.start.character--;
    if (diagnostic.range.end.line === diagnostic.range.start.line) while (/[ \t]/.test(line[widened.end.character] ?? '')) widened.end.character++;
    for (const list of Object.values(action.edit?.changes ?? {}) as any[][]) {
      for (const e of list) {
        edits++;
        const span = changedSpan(text, e);
        const where = `'${action.title}' changes ${JSON.stringify(span)} for ${diagnostic.code} at ${JSON.stringify(diagnostic.range)}`;
        if (within(span, widened)) continue;
        const insertion = e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character;
        const [first, last] = unitLines(text, kind, diagnostic.range.start.line);
        const next = text[offsetAt(text, e.range.start)] ?? '';
        const boundary = next === '' || /\s/.test(next);
        assert.ok(insertion && boundary && notAfter(diagnostic.range.start, e.range.start) && e.range.start.line <= last && e.range.start.line >= first, `${label}: ${where}: outside its diagnostic`);
      }
    }
  }
  return edits;
}

/** Every request the server offers, at random and at meaningful positions. */
async function exercise(uri: string, kind: FuzzKind, text: string, label: string, r: () => number): Promise<void> {
  const diagnostics = await open(uri, kind, text);
  const lines = text.split(/\r\n|\r|\n/);
  const position = () => {
    const line = Math.floor(r() * (lines.length + 1));
    return { line, character: Math.floor(r() * ((lines[line]?.length ?? 0) + 3)) };
  };
  const doc = { textDocument: { uri } };
  const positions = [position(), position(), position(), ...diagnostics.slice(0, 3).map((d: any) => d.range.start)];
  for (const p of positions) {
    const completion = await ask('textDocument/completion', { ...doc, position: p }, label);
    const items = Array.isArray(completion) ? completion : (completion?.items ?? []);
    for (const item of items.slice(0, 2)) await ask('completionItem/resolve', item, label);
    await ask('textDocument/hover', { ...doc, position: p }, label);
  }
  const everything = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
  assertFixesLocal(text, kind, await ask('textDocument/codeAction', { ...doc, range: everything, context: { diagnostics: diagnostics.slice(0, 50) } }, label), label);
  for (const d of diagnostics.slice(0, 8)) assertFixesLocal(text, kind, await ask('textDocument/codeAction', { ...doc, range: d.range, context: { diagnostics: [d] } }, label), label);
  await ask('textDocument/documentSymbol', doc, label);
  await ask('textDocument/foldingRange', doc, label);
  await ask('textDocument/codeLens', doc, label);
  // The client's own requests (status bar, topology webview): any document, log or not.
  await ask(LOG_SUMMARY_REQUEST, { uri }, label);
  const page = await ask<{ html: string } | null>(TOPOLOGY_PAGE_REQUEST, { uri, nonce: 'bm9uY2Vub25jZQ==', cspSource: 'vscode-webview://fuzz' }, label);
  if (page) assert.ok(!/<script(?![^>]*nonce="bm9uY2Vub25jZQ==")/i.test(page.html), `${label}: topology page has a script without the nonce`);
  // An edit, then the same requests on the new version (the analysis cache must follow).
  const edit = randomEdit(text, r);
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: edit.range, text: edit.text }] });
  await ask('textDocument/hover', { ...doc, position: position() }, `${label} (edited)`);
  await ask('textDocument/completion', { ...doc, position: position() }, `${label} (edited)`);
  await ask('textDocument/documentSymbol', doc, `${label} (edited)`);
  client.notify('textDocument/didClose', doc);
}

test('LSP session in a sandbox: every request on mutated documents', async (t) => {
  const r = rng(FUZZ_SEED);
  let cases = 0;
  for (const kind of ['shell', 'yaml', 'nccl-log'] as FuzzKind[]) {
    const pool = seeds(kind);
    if (pool.length === 0) continue;
    for (let n = 0; n < (kind === 'nccl-log' ? 6 : 10) * SCALE; n++) {
      const c = fuzzCase(kind, FUZZ_SEED + 2, n, pool);
      await exercise(`file:///fuzz/${kind}-${n}.${LANGUAGE[kind][1]}`, kind, c.text, `${kind} ${c.label}`, r);
      cases++;
    }
  }
  await exercise('file:///fuzz/alias-bomb.yaml', 'yaml', aliasBomb(), 'alias bomb', r);
  t.diagnostic(`${cases + 1} documents; slowest answer ${slowest.ms.toFixed(0)} ms (${slowest.what})`);
});

const FLOW_ARGS = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: m}', 'spec:', '  template:', '    spec:', '      containers:', '        - name: vllm', '          image: vllm/vllm-openai:v0.18.0', '          command: ["vllm", "serve"]', '          args: ["/data/models/llama", "--dtype", "auto"]', ''].join('\n');
const MISTAKES: Array<readonly [file: string, kind: FuzzKind, text?: string]> = [['examples/common-mistakes.sh', 'shell'], ['examples/common-mistakes.yaml', 'yaml'], ['test/fixtures/yaml/mistakes.yaml', 'yaml'], ['flow-args.yaml', 'yaml', FLOW_ARGS]];

/** Every quick fix the server offers for the documented mistakes, with the text it applies to. */
async function mistakeFixes(): Promise<Array<{ file: string; kind: FuzzKind; text: string; action: any }>> {
  const out: Array<{ file: string; kind: FuzzKind; text: string; action: any }> = [];
  for (const [file, kind, inline] of MISTAKES) {
    const uri = `file:///fuzz/fixes/${file.replace(/\//g, '-')}`;
    const text = inline ?? readFileSync(join(repoRoot, file), 'utf8');
    for (const d of await open(uri, kind, text)) {
      for (const action of await ask<any[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }, file)) out.push({ file, kind, text, action });
    }
    client.notify('textDocument/didClose', { textDocument: { uri } });
  }
  return out;
}

test('code actions on the documented mistakes edit only their diagnostic’s range', async (t) => {
  let edits = 0;
  for (const { file, kind, text, action } of await mistakeFixes()) edits += assertFixesLocal(text, kind, [action], file);
  assert.ok(edits > 5, `only ${edits} fix edits seen: the examples should offer quick fixes`);
  t.diagnostic(`${edits} edits checked`);
});

/**
 * Applying a fix makes its finding go away and breaks nothing. (In YAML `args:` lists no
 * "Add --max-model-len" fix is offered: appending text to an item would change that argument.)
 */
test('applying each quick fix to the documented mistakes resolves its finding', async () => {
  for (const { file, kind, text, action } of await mistakeFixes()) {
    const d = action.diagnostics[0];
    const edits = (Object.values(action.edit.changes)[0] as any[]).slice().sort((x, y) => offsetAt(text, y.range.start) - offsetAt(text, x.range.start));
    const fixed = edits.reduce((acc: string, e: any) => applyEdit(acc, { range: e.range, text: e.newText }), text);
    const after = analyzeText(fixed, kind, { rules: {} }).findings;
    const still = after.filter((f) => f.rule === d.code && f.range.start.line === d.range.start.line);
    assert.equal(still.length, 0, `${file}:${d.range.start.line + 1} '${action.title}' leaves ${d.code}: ${still[0]?.message.slice(0, 160)}`);
    const broken = after.filter((f) => f.rule === 'yaml/syntax-error');
    assert.equal(broken.length, 0, `${file}:${d.range.start.line + 1} '${action.title}' makes the YAML unreadable: ${broken[0]?.message}`);
  }
});

test('$/cancelRequest on a slow request: answered or cancelled, and the server goes on', async (t) => {
  const uri = 'file:///fuzz/cancel.yaml';
  const text = deploymentManifest(30_000);
  await open(uri, 'yaml', text);
  // The change makes the next request re-analyse 30,000 lines before it can answer.
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: text.replace('--dtype', '--dtpye') }] });
  const id = nextRequestId(client);
  const slow = client.request('textDocument/completion', { textDocument: { uri }, position: { line: 14, character: 20 } }, 30_000).then(
    () => 'answered',
    (e: Error) => (/cancel/i.test(e.message) ? 'cancelled' : `failed: ${e.message}`),
  );
  client.notify('$/cancelRequest', { id });
  const outcome = await slow;
  assert.ok(outcome === 'answered' || outcome === 'cancelled', outcome);
  const hover = await ask('textDocument/hover', { textDocument: { uri }, position: { line: 14, character: 17 } }, 'after cancel');
  assert.ok(hover?.contents, 'hover after the cancelled request has content');
  const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 3, 20_000);
  client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
  assert.ok((await published).diagnostics.length > 0);
  client.notify('textDocument/didClose', { textDocument: { uri } });
  t.diagnostic(`the cancelled request was ${outcome}`);
});

const key = (d: { range: Range; severity?: number; code?: unknown; message: string }) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${String(d.code)} ${d.message}`;
const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 } as const;

for (const kind of ['shell', 'yaml'] as const) {
  test(`incremental sync (${kind}): thousands of random ranged edits, then the same diagnostics as a full analysis`, async (t) => {
    // Generated commands first (no comments whose backticks an edit could unbalance), then the documented mistakes.
    const base = kind === 'shell' ? `${deploymentScript(400)}\n${readFileSync(join(repoRoot, 'examples', 'common-mistakes.sh'), 'utf8')}` : `${deploymentManifest(150)}---\n${readFileSync(join(repoRoot, 'examples', 'common-mistakes.yaml'), 'utf8')}`;
    const uri = `file:///fuzz/sync/doc.${LANGUAGE[kind][1]}`;
    await open(uri, kind, base);
    const r = rng(FUZZ_SEED + (kind === 'shell' ? 3 : 4));
    let text = base;
    let version = 1;
    const edits = 2000 * SCALE;
    const compared: number[] = [];
    for (let i = 1; i <= edits; i++) {
      const edit = randomEdit(text, r, kind);
      text = applyEdit(text, edit);
      client.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: edit.range, text: edit.text }] });
      // Now and then a request analyses this very version, so the YAML parse reuse is exercised mid-way.
      if (i % 97 === 0) await ask('textDocument/hover', { textDocument: { uri }, position: edit.range.start }, `sync edit ${i}`);
      // Every 500 edits (and at the end) the published diagnostics must equal a full analysis.
      if (i % 500 !== 0 && i !== edits) continue;
      const published = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version, 20_000);
      const expected = analyzeText(text, kind, { rules: {}, ...(kind === 'yaml' ? { vllmConfigFile: false } : {}) }).findings.map((f) => key({ range: f.range, severity: SEVERITY[f.severity], code: f.rule, message: f.message }));
      assert.deepEqual(published.diagnostics.map(key), expected, `after ${i} edits the server's diagnostics differ from a full analysis (FUZZ_SEED=${FUZZ_SEED})`);
      compared.push(expected.length);
    }
    client.notify('textDocument/didClose', { textDocument: { uri } });
    t.diagnostic(`${edits} edits, final text ${text.length} chars; equal at every checkpoint (diagnostics: ${compared.join(', ')})`);
  });
}

test('the server wrote nothing: sandbox cwd, HOME and TMPDIR are still empty', async () => {
  await client.shutdown();
  running = false;
  const listing = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${e.name}/`, ...listing(join(dir, e.name)).map((x) => `${e.name}/${x}`)] : [e.name]));
  for (const [name, dir] of Object.entries(sandbox)) assert.deepEqual(listing(dir), [], `the server created files in its ${name}`);
});
