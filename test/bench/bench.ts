/**
 * `npm run bench`: prints the figures the issues set targets for. Not a test: it measures and
 * reports, on whatever machine runs it.
 */
import { performance } from 'node:perf_hooks';
import { analyzeText } from '../../server/src/engine';
import type { YamlParseCache } from '../../server/src/yaml/document';
import { LspClient } from '../lsp/lspClient';
import { deploymentManifest, deploymentScript } from './workloads';
import { runPeerBenchmarks } from './peers';
import { runGrammarBenchmark } from './grammarBench';

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const rows: Array<[string, string, string]> = [];
const row = (what: string, value: string, target: string) => rows.push([what, value, target]);
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function main(): Promise<void> {
  // 1. Full analysis of a 5,000-line script, in process (the engine alone).
  const script = deploymentScript(5000);
  const first = performance.now();
  analyzeText(script, 'shell');
  row('diagnostics, 5,000-line script, first run (cold JIT, knowledge loading)', ms(performance.now() - first), '< 50 ms');
  for (let i = 0; i < 10; i++) analyzeText(script, 'shell'); // let the JIT settle
  const runs: number[] = [];
  let findings = 0;
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    findings = analyzeText(script, 'shell').findings.length;
    runs.push(performance.now() - t);
  }
  row('diagnostics, 5,000-line script, warm p50 / p95 (30 runs)', `${ms(percentile(runs, 50))} / ${ms(percentile(runs, 95))}`, '< 50 ms');

  // 1b. A 10,000-line multi-document manifest.
  const manifest = deploymentManifest(10_000);
  const yamlRuns: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t = performance.now();
    analyzeText(manifest, 'yaml');
    yamlRuns.push(performance.now() - t);
  }
  row('diagnostics, 10,000-line manifest, full parse, p50 / p95 (25 runs)', `${ms(percentile(yamlRuns, 50))} / ${ms(percentile(yamlRuns, 95))}`, '< 100 ms');
  // The editor's loop: one line changed, the other documents' parses reused.
  const editRuns: number[] = [];
  let previous = new Map() as YamlParseCache;
  analyzeText(manifest, 'yaml', {}, { next: previous });
  for (let i = 0; i < 25; i++) {
    const edited = manifest.replace('--max-model-len', i % 2 ? '--max-model-len' : '--max-model-length');
    const next = new Map() as YamlParseCache;
    const t = performance.now();
    analyzeText(edited, 'yaml', {}, { previous, next });
    editRuns.push(performance.now() - t);
    previous = next;
  }
  row('  after a one-line edit (editor: unchanged documents reused), p50 / p95', `${ms(percentile(editRuns, 50))} / ${ms(percentile(editRuns, 95))}`, '< 100 ms');

  // 2. Server cold start to initialize result.
  const starts: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const c = new LspClient();
    await c.initialize();
    starts.push(performance.now() - t);
    await c.shutdown();
  }
  row('server cold start → initialize result (median of 7)', ms(percentile(starts, 50)), '< 150 ms');

  // 3. Over LSP: open → diagnostics, then completion and hover latencies.
  const client = new LspClient();
  await client.initialize();
  const uri = 'file:///bench/deploy.sh';
  const t0 = performance.now();
  const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'shellscript', version: 1, text: script } });
  await published;
  row('open → diagnostics over stdio, 5,000 lines', ms(performance.now() - t0), '');

  const lines = script.split('\n');
  const flagLines = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('  --'));
  const completion: number[] = [];
  const hover: number[] = [];
  for (let k = 0; k < 300; k++) {
    const [l, i] = flagLines[(k * 37) % flagLines.length];
    const position = { line: i, character: Math.min(l.length - 2, 6) };
    let t = performance.now();
    await client.request('textDocument/completion', { textDocument: { uri }, position });
    completion.push(performance.now() - t);
    t = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri }, position });
    hover.push(performance.now() - t);
  }
  row('completion latency p50 / p95 (300 requests)', `${ms(percentile(completion, 50))} / ${ms(percentile(completion, 95))}`, 'p95 < 5 ms');
  row('hover latency p50 / p95 (300 requests)', `${ms(percentile(hover, 50))} / ${ms(percentile(hover, 95))}`, 'p95 < 5 ms');
  const yamlUri = 'file:///bench/manifest.yaml';
  const yamlOpened = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === yamlUri);
  client.notify('textDocument/didOpen', { textDocument: { uri: yamlUri, languageId: 'yaml', version: 1, text: manifest } });
  await yamlOpened;
  const manifestLines = manifest.split('\n');
  const argLines = manifestLines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('            - --'));
  const yamlCompletion: number[] = [];
  for (let k = 0; k < 300; k++) {
    const [l, i] = argLines[(k * 31) % argLines.length];
    const t = performance.now();
    await client.request('textDocument/completion', { textDocument: { uri: yamlUri }, position: { line: i, character: l.length - 2 } });
    yamlCompletion.push(performance.now() - t);
  }
  row('YAML completion latency p50 / p95 (300 requests)', `${ms(percentile(yamlCompletion, 50))} / ${ms(percentile(yamlCompletion, 95))}`, 'p95 < 10 ms');
  try {
    const status = await import('node:fs').then((fs) => fs.readFileSync(`/proc/${client.pid}/status`, 'utf8'));
    const rss = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    if (rss) row('server RSS after the above', `${(Number(rss) / 1024).toFixed(1)} MB`, '');
  } catch {
    // /proc is Linux-only; the figure is simply left out elsewhere.
  }
  await client.shutdown();

  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`rvn benchmark — node ${process.version}, ${(await import('node:os')).cpus().length} cores (${(await import('node:os')).cpus()[0]?.model ?? 'unknown CPU'})`);
  console.log(`workload: ${lines.length}-line deployment script, ${findings} findings\n`);
  for (const [what, value, target] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(22)}  ${target}`);

  // Side by side with what users would otherwise run (RVN_BENCH_PEERS=0 skips the peers).
  await runPeerBenchmarks();
  await runGrammarBenchmark();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
