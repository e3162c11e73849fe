/**
 * Peer benchmarks: our server against what users would otherwise run, on the same files, over the
 * same stdio client. yaml-language-server (given a Deployment JSON schema) reads the 10,000-line
 * manifest; bash-language-server (ShellCheck, shfmt and explainshell off: it would spawn or fetch)
 * reads the 5,000-line script. The peers are installed on demand into the git-ignored .bench/peers,
 * pinned, never into package.json: they are measured, not shipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers';
import type { LspClient } from '../lsp/lspClient';
import { answerConfiguration, memoryOf, percentile, RVN_SERVER, startServer, type ServerSpec } from './serverProcess';
import { deploymentManifest, deploymentScript } from './workloads';

/** Pinned: the newest releases that run on Node 20 (yaml-language-server 2.x needs Node 22). */
export const PEER_VERSIONS = { 'yaml-language-server': '1.25.0', 'bash-language-server': '5.8.1' } as const;
const PEERS_DIR = join(repoRoot, '.bench', 'peers');
const peerModule = (name: string, ...path: string[]) => join(PEERS_DIR, 'node_modules', name, ...path);

/** Installs the pinned peers unless present. Returns why not when they cannot be had (offline). */
export function ensurePeers(): string | undefined {
  const missing = Object.entries(PEER_VERSIONS).filter(([name, version]) => {
    const pkg = peerModule(name, 'package.json');
    return !existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).version !== version;
  });
  if (missing.length === 0) return undefined;
  const specs = Object.entries(PEER_VERSIONS).map(([n, v]) => `${n}@${v}`);
  console.log(`installing ${specs.join(' ')} into .bench/peers …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', PEERS_DIR, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...specs], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 300_000 });
  return r.status === 0 ? undefined : `npm install failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
}

type Position = { line: number; character: number };

interface Scenario {
  title: string;
  languageId: string;
  /** A URI per open; the peers' schema association and our kind detection both go by the name. */
  uri: (n: number) => string;
  text: string;
  completionAt: Position[];
  hoverAt: Position[];
}

interface Figures {
  /** Open → first publishDiagnostics, cold (first document) and warm (median of later opens); undefined = none within the timeout. */
  coldMs?: number;
  warmMs?: number;
  diagnostics?: number;
  completion: number[];
  /** How many completion / hover answers had content (a fast empty answer is not the same work). */
  completionAnswered: number;
  hover: number[];
  hoverAnswered: number;
  memory?: { rssMB: number; peakMB: number };
  /** RSS right after initialize, before any document: the runtime's own floor. */
  idleMemory?: { rssMB: number; peakMB: number };
}

const REQUESTS = 200;
const REQUEST_BUDGET_MS = 20_000;
const DIAGNOSTICS_TIMEOUT_MS = 30_000;
const WARM_OPENS = 6;
const SETTLE_MS = 1000;

async function openAndWait(client: LspClient, s: Scenario, n: number): Promise<{ ms?: number; count?: number }> {
  const uri = s.uri(n);
  const t0 = performance.now();
  const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, DIAGNOSTICS_TIMEOUT_MS).catch(() => undefined);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: s.languageId, version: 1, text: s.text } });
  const p = await published;
  return p ? { ms: performance.now() - t0, count: p.diagnostics.length } : {};
}

/** Sequential requests (an editor has one outstanding at a time), bounded in count and time. */
async function latencies(client: LspClient, method: string, uri: string, at: Position[]): Promise<{ ms: number[]; answered: number }> {
  const ms: number[] = [];
  let answered = 0;
  const started = performance.now();
  for (let k = 0; k < REQUESTS && performance.now() - started < REQUEST_BUDGET_MS; k++) {
    const t = performance.now();
    const r = await client.request(method, { textDocument: { uri }, position: at[k % at.length] }, 30_000);
    ms.push(performance.now() - t);
    const items = Array.isArray(r) ? r : r?.items;
    if (method.endsWith('completion') ? items?.length > 0 : r?.contents) answered++;
  }
  return { ms, answered };
}

async function measure(client: LspClient, s: Scenario): Promise<Figures> {
  const cold = await openAndWait(client, s, 0);
  const warm: number[] = [];
  for (let n = 1; n <= WARM_OPENS; n++) {
    const w = await openAndWait(client, s, n);
    if (w.ms !== undefined) warm.push(w.ms);
    client.notify('textDocument/didClose', { textDocument: { uri: s.uri(n) } });
  }
  const completion = await latencies(client, 'textDocument/completion', s.uri(0), s.completionAt);
  const hover = await latencies(client, 'textDocument/hover', s.uri(0), s.hoverAt);
  // Resident memory once the session has been idle for a second, the same for every server: what
  // an editor sits at between bursts of work, not a snapshot in the middle of a collection.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return {
    ...(cold.ms !== undefined ? { coldMs: cold.ms, diagnostics: cold.count } : {}),
    ...(warm.length ? { warmMs: percentile(warm, 50) } : {}),
    completion: completion.ms,
    completionAnswered: completion.answered,
    hover: hover.ms,
    hoverAnswered: hover.answered,
    memory: memoryOf(client.pid),
  };
}

function positions(text: string, linePrefix: string, character: (line: string) => number): Position[] {
  return text.split('\n').flatMap((l, i) => (l.startsWith(linePrefix) ? [{ line: i, character: character(l) }] : [])).filter((_, k) => k % 7 === 0);
}

function scenarios(): { manifest: Scenario; script: Scenario } {
  const manifest = deploymentManifest(10_000);
  const script = deploymentScript(5000);
  return {
    manifest: {
      title: '10,000-line manifest',
      languageId: 'yaml',
      uri: (n) => `file:///bench/peers/manifest-${n}.yaml`,
      text: manifest,
      // Inside a `- --flag` args item (our completion: vLLM flags) and on it (our hover: the flag's docs).
      completionAt: positions(manifest, '            - --', (l) => l.length - 2),
      hoverAt: positions(manifest, '            - --', () => 17),
    },
    script: {
      title: '5,000-line script',
      languageId: 'shellscript',
      uri: (n) => `file:///bench/peers/deploy-${n}.sh`,
      text: script,
      completionAt: positions(script, '  --', (l) => Math.min(l.length - 2, 6)),
      hoverAt: positions(script, '  --', (l) => Math.min(l.length - 2, 6)),
    },
  };
}

async function session(spec: ServerSpec, setUp: (c: LspClient) => Promise<void>, s: Scenario): Promise<Figures> {
  const client = startServer(spec);
  try {
    await setUp(client);
    const idleMemory = memoryOf(client.pid);
    return { ...(await measure(client, s)), ...(idleMemory ? { idleMemory } : {}) };
  } finally {
    await client.shutdown();
  }
}

const ours = (s: Scenario) => session(RVN_SERVER, async (c) => void (await c.initialize()), s);

function yamlLanguageServer(s: Scenario): Promise<Figures> {
  const schema = pathToFileURL(join(repoRoot, 'test', 'bench', 'deployment.schema.json')).href;
  const spec: ServerSpec = { module: peerModule('yaml-language-server', 'bin', 'yaml-language-server'), argv: ['--stdio'] };
  return session(spec, async (c) => {
    const configured = answerConfiguration(c, {
      // No schema store, no Kubernetes CRD store: both would be fetched from the network.
      yaml: { schemas: { [schema]: '/bench/peers/*.yaml' }, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, validate: true, hover: true, completion: true, format: { enable: false } },
      http: { proxy: '', proxyStrictSSL: false },
      '[yaml]': {},
      editor: {},
    });
    await c.initialize(undefined, true);
    c.notify('workspace/didChangeConfiguration', { settings: null });
    await configured;
    await new Promise((r) => setTimeout(r, 200)); // let it apply the settings it pulled
  }, s);
}

function bashLanguageServer(s: Scenario): Promise<Figures> {
  // Empty paths switch ShellCheck, shfmt and explainshell off; no background analysis of a workspace.
  const off = { shellcheckPath: '', explainshellEndpoint: '', backgroundAnalysisMaxFiles: 0, shfmt: { path: '' } };
  const spec: ServerSpec = {
    module: peerModule('bash-language-server', 'out', 'cli.js'),
    argv: ['start'],
    call: 'runCli',
    env: { SHELLCHECK_PATH: '', EXPLAINSHELL_ENDPOINT: '', BACKGROUND_ANALYSIS_MAX_FILES: '0', SHFMT_PATH: '', BASH_IDE_LOG_LEVEL: 'error' },
  };
  return session(spec, async (c) => void (await c.initialize(off)), s);
}

// ---- the table ----

const fmt = (n: number | undefined, unit = 'ms') => (n === undefined || Number.isNaN(n) ? '—' : `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ${unit}`);
const ratio = (a?: number, b?: number) => (a === undefined || b === undefined || !b ? '—' : `${(a / b).toFixed(3)}×`);

type Row = [what: string, rvn: string, peer: string, ratio: string, target: string, verdict: string];

function compare(o: Figures, p: Figures, diagnosticsTarget: number, peerDelayMs = 0): Row[] {
  const verdict = (ok: boolean | undefined) => (ok === undefined ? '—' : ok ? 'met' : 'MISSED');
  const p95 = (a: number[]) => percentile(a, 95);
  const rows: Row[] = [];
  const diag = (label: string, a?: number, b?: number) => rows.push([label, fmt(a), b === undefined ? `none in ${DIAGNOSTICS_TIMEOUT_MS / 1000} s` : fmt(b), ratio(a, b), `≤ ${diagnosticsTarget}×`, verdict(a !== undefined && b !== undefined ? a / b <= diagnosticsTarget : undefined)]);
  diag('open → diagnostics, cold', o.coldMs, p.coldMs);
  diag('open → diagnostics, warm median', o.warmMs, p.warmMs);
  // yaml-language-server waits a fixed 200 ms before validating (not configurable): its compute alone.
  if (peerDelayMs && p.warmMs !== undefined) diag(`  warm, less the peer's ${peerDelayMs} ms delay`, o.warmMs, p.warmMs - peerDelayMs);
  rows.push(['  diagnostics published', String(o.diagnostics ?? '—'), String(p.diagnostics ?? '—'), '', '', '']);
  rows.push([`completion p50 / p95 (n=${o.completion.length}/${p.completion.length})`, `${fmt(percentile(o.completion, 50))} / ${fmt(p95(o.completion))}`, `${fmt(percentile(p.completion, 50))} / ${fmt(p95(p.completion))}`, ratio(p95(o.completion), p95(p.completion)), 'p95 ≤ 5 ms', verdict(p95(o.completion) <= 5)]);
  rows.push(['  answers with items', `${o.completionAnswered}/${o.completion.length}`, `${p.completionAnswered}/${p.completion.length}`, '', '', '']);
  rows.push([`hover p50 / p95 (n=${o.hover.length}/${p.hover.length})`, `${fmt(percentile(o.hover, 50))} / ${fmt(p95(o.hover))}`, `${fmt(percentile(p.hover, 50))} / ${fmt(p95(p.hover))}`, ratio(p95(o.hover), p95(p.hover)), 'p95 ≤ 5 ms', verdict(p95(o.hover) <= 5)]);
  rows.push(['  answers with content', `${o.hoverAnswered}/${o.hover.length}`, `${p.hoverAnswered}/${p.hover.length}`, '', '', '']);
  rows.push([`server RSS ${SETTLE_MS / 1000} s after the above`, fmt(o.memory?.rssMB, 'MB'), fmt(p.memory?.rssMB, 'MB'), ratio(o.memory?.rssMB, p.memory?.rssMB), '≤ 0.5×', verdict(o.memory && p.memory ? o.memory.rssMB / p.memory.rssMB <= 0.5 : undefined)]);
  rows.push(['  RSS idle after initialize', fmt(o.idleMemory?.rssMB, 'MB'), fmt(p.idleMemory?.rssMB, 'MB'), ratio(o.idleMemory?.rssMB, p.idleMemory?.rssMB), '', '']);
  rows.push(['  peak RSS (VmHWM)', fmt(o.memory?.peakMB, 'MB'), fmt(p.memory?.peakMB, 'MB'), ratio(o.memory?.peakMB, p.memory?.peakMB), '', '']);
  return rows;
}

export function printTable(title: string, header: Row, rows: Row[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: Row) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

export async function runPeerBenchmarks(): Promise<void> {
  if (process.env.RVN_BENCH_PEERS === '0') return void console.log('\npeer benchmarks skipped (RVN_BENCH_PEERS=0)');
  const why = ensurePeers();
  if (why) return void console.log(`\npeer benchmarks skipped: ${why}`);
  const { manifest, script } = scenarios();
  // One server at a time, ours first then the peer, so they never compete for the two cores.
  const ourManifest = await ours(manifest);
  const yamlLs = await yamlLanguageServer(manifest);
  printTable(`${manifest.title}: rvn vs yaml-language-server ${PEER_VERSIONS['yaml-language-server']} (Deployment JSON schema; its 200 ms validation delay is built in and counted)`, ['what', 'rvn', 'yaml-ls', 'ratio', 'target', ''], compare(ourManifest, yamlLs, 0.1, 200));
  const ourScript = await ours(script);
  const bashLs = await bashLanguageServer(script);
  printTable(`${script.title}: rvn vs bash-language-server ${PEER_VERSIONS['bash-language-server']} (tree-sitter parse only: ShellCheck, shfmt, explainshell off)`, ['what', 'rvn', 'bash-ls', 'ratio', 'target', ''], compare(ourScript, bashLs, 0.05));
}
