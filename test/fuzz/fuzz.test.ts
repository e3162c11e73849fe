/**
 * Fuzz: mutated real inputs of each kind (scripts, manifests, NCCL logs) through the engine and the
 * built `rvn`. Nothing may throw, no case may take a second in the engine, and `rvn` must answer
 * like a tool: exit 0/1 with findings that agree with the code, or 2 with one line on stderr, never
 * a stack trace. Seeded (FUZZ_SEED=n to replay, FUZZ_SCALE=k for a longer local run); bounded so the
 * whole folder stays under a minute on the 2-core CI machine. Needs `npm run build` (npm test does it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeText } from '../../server/src/engine';
import { repoRoot } from '../helpers';
import { FUZZ_SEED, fuzzCase, MUTATORS, seeds, type FuzzCase, type FuzzKind } from './mutations';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const ENGINE_LIMIT_MS = 1000;
const KINDS: FuzzKind[] = ['shell', 'yaml', 'nccl-log'];

/** Every finding must point inside the text, start before it ends, and say something. */
function assertFindingsSane(c: FuzzCase, findings: ReturnType<typeof analyzeText>['findings']): void {
  // The most lines any LSP client could count (\r\n, \r and \n all end a line).
  const lines = c.text.split(/\r\n|\r|\n/).length;
  for (const f of findings) {
    const { start, end } = f.range;
    assert.ok(start.line < lines && end.line < lines, `${c.label}: finding ${f.rule} at line ${end.line} of ${lines}`);
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${c.label}: inverted range for ${f.rule}`);
    assert.ok(start.character >= 0 && f.message.length > 0 && f.rule.length > 0, `${c.label}: malformed finding ${JSON.stringify(f)}`);
  }
}

function runEngine(c: FuzzCase): number {
  const t = performance.now();
  let result;
  try {
    result = analyzeText(c.text, c.kind, { rules: {} });
  } catch (e) {
    assert.fail(`${c.kind} ${c.label} (FUZZ_SEED=${FUZZ_SEED}) threw: ${(e as Error).stack}`);
  }
  const ms = performance.now() - t;
  assert.ok(ms < ENGINE_LIMIT_MS, `${c.kind} ${c.label} took ${ms.toFixed(0)} ms (over ${ENGINE_LIMIT_MS} ms)`);
  assertFindingsSane(c, result.findings);
  return ms;
}

for (const kind of KINDS) {
  test(`engine: every mutator on every ${kind} seed, then random combinations`, (t) => {
    const pool = seeds(kind);
    if (pool.length === 0) return void t.skip(`no ${kind} seeds here (../shared/corpus missing?)`);
    let slowest = 0;
    // Each mutator alone on each real file: every mutation is exercised on every kind, every run.
    for (const seed of pool) {
      for (const [name, mutate] of Object.entries(MUTATORS)) {
        const text = kind === 'nccl-log' ? seed.text.split('\n').slice(0, 1500).join('\n') : seed.text;
        let state = FUZZ_SEED + name.length;
        const r = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
        slowest = Math.max(slowest, runEngine({ kind, label: `${seed.name} +${name}`, text: mutate(text, r, kind) }));
      }
    }
    for (let n = 0; n < 120 * SCALE; n++) slowest = Math.max(slowest, runEngine(fuzzCase(kind, FUZZ_SEED, n, pool)));
    t.diagnostic(`${pool.length} seeds, slowest case ${slowest.toFixed(0)} ms`);
  });
}

// ---- the built CLI ----

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function rvn(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'rvn'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A stack trace or a raw JS error name anywhere in the output is a crash, whatever the exit code. */
const CRASH = /^\s+at .+[:(]\d+|\b(?:TypeError|ReferenceError|RangeError|SyntaxError|Uncaught)\b|node:internal/m;

function assertToolLike(what: string, r: Run, errorsInOutput?: boolean): void {
  assert.doesNotMatch(r.stderr, CRASH, `${what}: stack trace on stderr:\n${r.stderr.slice(0, 2000)}`);
  assert.doesNotMatch(r.stdout.slice(0, 200_000), /^\s+at .+[:(]\d+\)?$/m, `${what}: stack trace on stdout`);
  if (r.code === 2) {
    assert.match(r.stderr, /^rvn: [^\n]+\n$/, `${what}: exit 2 must come with exactly one 'rvn: …' line, got ${JSON.stringify(r.stderr.slice(0, 500))}`);
    // A caught exception is still a bug: exit 2 is for usage and I/O errors, not for odd input.
    assert.doesNotMatch(r.stderr, /internal error/, `${what}: ${r.stderr.trim()}`);
    return;
  }
  assert.ok(r.code === 0 || r.code === 1, `${what}: exit ${r.code}, stderr ${r.stderr.slice(0, 500)}`);
  if (errorsInOutput !== undefined) assert.equal(r.code, errorsInOutput ? 1 : 0, `${what}: exit ${r.code} disagrees with the findings printed`);
}

/** Runs `jobs` two at a time (the CI machine has two cores). */
async function pool<T>(jobs: Array<() => Promise<T>>, width = 2): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}

test('rvn check / rvn topology on mutated files: exit 0/1 agreeing with the findings, or 2 with one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvn-fuzz-cli-'));
  try {
    const jobs: Array<() => Promise<void>> = [];
    for (const kind of KINDS) {
      const pool0 = seeds(kind);
      if (pool0.length === 0) continue;
      for (let n = 0; n < 8 * SCALE; n++) {
        const c = fuzzCase(kind, FUZZ_SEED + 1, n, pool0);
        const file = join(dir, `${kind}-${n}.${kind === 'shell' ? 'sh' : kind === 'yaml' ? 'yaml' : 'log'}`);
        writeFileSync(file, c.text);
        const args = kind === 'nccl-log' ? ['topology', '--json', '--summary', file] : ['check', '--format', 'json', file];
        jobs.push(async () => {
          const r = await rvn(args, dir);
          let errors: boolean | undefined;
          if (r.code !== 2) {
            const out = JSON.parse(r.stdout) as { files?: Array<{ findings: Array<{ severity: string }> }>; logs?: Array<{ findings: Array<{ severity: string }> }> };
            errors = [...(out.files ?? []), ...(out.logs ?? [])].some((f) => f.findings.some((x) => x.severity === 'error'));
          }
          assertToolLike(`rvn ${args[0]} on ${c.label}`, r, errors);
        });
      }
    }
    await pool(jobs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rvn on hostile paths and bytes: one-line errors, never a trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvn-fuzz-paths-'));
  try {
    mkdirSync(join(dir, 'folder.log'));
    writeFileSync(join(dir, 'empty.sh'), '');
    writeFileSync(join(dir, 'empty.log'), '');
    // Invalid UTF-8, NULs and control bytes: read as text by Node, must still be handled.
    const junk = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919 + 13) % 256));
    writeFileSync(join(dir, 'binary.sh'), junk);
    writeFileSync(join(dir, 'binary.yaml'), junk);
    writeFileSync(join(dir, 'binary.log'), junk);
    writeFileSync(join(dir, 'one-line.log'), `host:1:1 [0] NCCL WARN ${'x'.repeat(2_000_000)}`);
    const cases: string[][] = [
      ['check', join(dir, 'missing.sh')],
      ['check', join(dir, 'empty.sh'), join(dir, 'binary.sh'), join(dir, 'binary.yaml')],
      ['check', '--format', 'nope', join(dir, 'empty.sh')],
      ['check', '--rule', 'no/such-rule=off', join(dir, 'empty.sh')],
      ['check', '--rule', `${'x'.repeat(10_000)}=loud`, join(dir, 'empty.sh')],
      ['topology', join(dir, 'folder.log')],
      ['topology', join(dir, 'missing.log')],
      ['topology', join(dir, 'empty.log'), join(dir, 'binary.log'), join(dir, 'one-line.log')],
      ['topology', '--html', join(dir, 'folder.log'), join(dir, 'empty.log')],
      ['topology', '--html', '/proc/rvn-cannot-write.html', join(dir, 'empty.log')],
      ['topology', '--json', '--html', join(dir, 'x.html'), join(dir, 'empty.log')],
      ['topology'],
      ['--no-such-command'],
      ['check', '--format'],
    ];
    await pool(cases.map((args) => async () => assertToolLike(`rvn ${args.map((a) => a.slice(0, 60)).join(' ')}`, await rvn(args, dir))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
