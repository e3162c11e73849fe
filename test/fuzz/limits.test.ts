/**
 * Inputs built to exhaust: a YAML alias bomb wired into a Deployment's args and env, a 100,000-line
 * manifest, and YAML nested thousands deep. Time is measured in process; memory in a child `rvn`
 * whose V8 heap is capped, so "bounded" means the cap holds and the peak RSS stays under a figure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeText } from '../../server/src/engine';
import { repoRoot } from '../helpers';
import { deploymentManifest } from '../bench/workloads';
import { aliasBomb } from './mutations';

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  maxRssMB: number;
  ms: number;
  stderr: string;
}

/** `rvn ARGS` in a child with a capped heap; the child reports its own peak RSS on exit. */
function rvnCapped(args: string[], heapMB: number): ChildRun {
  const cli = JSON.stringify(join(repoRoot, 'dist', 'server', 'cli.js'));
  const script = `process.on('exit', () => process.stderr.write('\\nmaxrss=' + process.resourceUsage().maxRSS + '\\n')); require(${cli}).run(${JSON.stringify(args)});`;
  const t = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMB}`, '-e', script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  const kb = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { code: r.status, signal: r.signal, maxRssMB: kb / 1024, ms: performance.now() - t, stderr: r.stderr };
}

test('a YAML alias bomb in a Deployment: fast in the engine, bounded in rvn', (t) => {
  const bomb = aliasBomb();
  const started = performance.now();
  const result = analyzeText(bomb, 'yaml', { rules: {} });
  const ms = performance.now() - started;
  assert.ok(ms < 1000, `alias bomb took ${ms.toFixed(0)} ms`);
  const dir = mkdtempSync(join(tmpdir(), 'rvn-limits-'));
  try {
    writeFileSync(join(dir, 'bomb.yaml'), bomb);
    const run = rvnCapped(['check', join(dir, 'bomb.yaml')], 256);
    assert.ok(run.code === 0 || run.code === 1, `rvn check on the bomb: exit ${run.code} ${run.signal ?? ''} ${run.stderr.slice(0, 300)}`);
    assert.ok(run.maxRssMB < 300, `peak RSS ${run.maxRssMB.toFixed(0)} MB`);
    t.diagnostic(`engine ${ms.toFixed(0)} ms, ${result.findings.length} findings; rvn check ${run.ms.toFixed(0)} ms, peak RSS ${run.maxRssMB.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 100,000-line manifest: linear time, bounded memory', (t) => {
  const small = deploymentManifest(10_000);
  const big = deploymentManifest(100_000);
  analyzeText(small, 'yaml'); // JIT warm-up, so the ratio compares steady states
  let t0 = performance.now();
  analyzeText(small, 'yaml');
  const smallMs = performance.now() - t0;
  t0 = performance.now();
  const result = analyzeText(big, 'yaml');
  const bigMs = performance.now() - t0;
  assert.ok(result.findings.length > 0);
  // Ten times the text may cost ten times the time, with slack for GC on a busy machine; not a hundred.
  assert.ok(bigMs < Math.max(30 * smallMs, 3000) && bigMs < 30_000, `100k lines took ${bigMs.toFixed(0)} ms (10k lines: ${smallMs.toFixed(0)} ms)`);
  const dir = mkdtempSync(join(tmpdir(), 'rvn-limits-'));
  try {
    writeFileSync(join(dir, 'big.yaml'), big);
    const run = rvnCapped(['check', '--format', 'json', join(dir, 'big.yaml')], 512);
    assert.ok(run.code === 0 || run.code === 1, `rvn check on 100k lines: exit ${run.code} ${run.signal ?? ''} ${run.stderr.slice(0, 300)}`);
    assert.ok(run.maxRssMB < 700, `peak RSS ${run.maxRssMB.toFixed(0)} MB`);
    t.diagnostic(`engine: 10k lines ${smallMs.toFixed(0)} ms, 100k lines ${bigMs.toFixed(0)} ms; rvn check ${run.ms.toFixed(0)} ms, peak RSS ${run.maxRssMB.toFixed(0)} MB (${(big.length / 1e6).toFixed(1)} MB of YAML)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The `yaml` parser recurses once per nesting level and turns the stack overflow it expects into a
 * RESOURCE_EXHAUSTION error. When the overflow instead lands inside V8 compiling a warm regular
 * expression, V8 aborts the process ("FATAL ERROR: RegExpCompiler Allocation failed"): `rvn` dies
 * with SIGABRT and the language server with it. A few kilobytes of `[` or indentation do it.
 * The engine refuses to parse documents nested deeper than a fixed limit (yaml/document.ts).
 */
test('YAML nested thousands deep does not abort rvn', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvn-limits-'));
  try {
    const files: string[] = [];
    for (const depth of [2000, 3000, 4000, 8000, 16000]) {
      const flow = join(dir, `flow-${depth}.yaml`);
      writeFileSync(flow, `deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
      const block = join(dir, `block-${depth}.yaml`);
      writeFileSync(block, `${Array.from({ length: Math.min(depth, 4000) }, (_, i) => `${' '.repeat(i)}- `).join('\n')}x\n`);
      files.push(flow, block);
    }
    const run = rvnCapped(['check', ...files], 512);
    assert.ok(run.code === 0 || run.code === 1, `rvn check on deep YAML: exit ${run.code} signal ${run.signal} ${run.stderr.split('\n').find((l) => l.includes('FATAL')) ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
