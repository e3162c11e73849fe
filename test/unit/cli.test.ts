/** `rvn` as a user runs it: the built CLI in a child process. `npm test` builds first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers';

const rvn = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'rvn'), ...args], { cwd: repoRoot, encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'rvn-cli-'));

test('exit 0 on a clean script, 1 when there is an error, with file:line:col text output', () => {
  const clean = rvn('check', 'examples/multi-node-tp-pp.sh');
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(clean.stdout, /1 file checked: 0 errors/);
  const bad = rvn('check', '--no-color', 'examples');
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /^examples\/common-mistakes\.sh:\d+:\d+: error .*\[vllm\/unknown-flag\]$/m);
});

test('--format json prints exactly the documented shape, with 1-based positions', () => {
  const file = join(tmp, 'one.sh');
  const line = 'vllm serve /m --served-model-name m --max-model-len 1k --tensor-paralel-size 2';
  writeFileSync(file, `#!/bin/sh\n${line}\n`);
  const out = rvn('check', '--format', 'json', file);
  assert.equal(out.status, 1);
  const json = JSON.parse(out.stdout);
  assert.deepEqual(Object.keys(json), ['version', 'files']);
  assert.equal(json.version, 1);
  const [entry] = json.files;
  assert.deepEqual(Object.keys(entry), ['path', 'findings']);
  const column = line.indexOf('--tensor-paralel-size') + 1;
  assert.deepEqual(entry.findings, [
    { rule: 'vllm/unknown-flag', severity: 'error', message: entry.findings[0].message, line: 2, column, endLine: 2, endColumn: column + '--tensor-paralel-size'.length },
  ]);
});

test('--format sarif is SARIF 2.1.0 with rules, levels and regions', () => {
  const out = rvn('check', '--format=sarif', 'examples/common-mistakes.sh');
  assert.equal(out.status, 1);
  const sarif = JSON.parse(out.stdout);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'rvn');
  const ids = new Set(run.tool.driver.rules.map((r: { id: string }) => r.id));
  assert.ok(run.results.length > 10);
  for (const r of run.results) {
    assert.ok(ids.has(r.ruleId));
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(r.level));
    assert.ok(r.locations[0].physicalLocation.region.startLine >= 1);
  }
});

test('--rule and --vllm-version change the outcome', () => {
  const file = join(tmp, 'flags.sh');
  writeFileSync(file, 'vllm serve /m --served-model-name m --max-model-len 4096 --numa-bind --tensr-parallel-size 2\n');
  assert.equal(rvn('check', file).status, 1);
  assert.equal(rvn('check', '--rule', 'vllm/unknown-flag=warning', file).status, 0);
  const old = rvn('check', '--format', 'json', '--rule', 'vllm/unknown-flag=off', '--vllm-version', '0.9.0', file);
  assert.deepEqual(JSON.parse(old.stdout).files[0].findings.map((f: { rule: string }) => f.rule), ['vllm/flag-not-in-version']);
});

test('usage and I/O errors exit 2 with one clear line, never a stack trace', () => {
  for (const args of [['check'], ['check', join(tmp, 'missing.sh')], ['check', '--format', 'xml', 'examples'], ['check', '--rule', 'nope=off', 'examples'], ['frobnicate']]) {
    const out = rvn(...args);
    assert.equal(out.status, 2, args.join(' '));
    assert.match(out.stderr, /^rvn: .+\n$/);
    assert.doesNotMatch(out.stderr, /\bat .+:\d+:\d+/);
  }
});

test('binary and huge files are skipped with a note, not a crash', () => {
  const binary = join(tmp, 'blob.sh');
  writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0]));
  const out = rvn('check', binary);
  assert.equal(out.status, 0);
  assert.match(out.stderr, /skipped .*binary/);
  const huge = join(tmp, 'huge.sh');
  writeFileSync(huge, 'echo hello world\n'.repeat(3_000_000)); // about 50 MB
  const big = rvn('check', huge);
  assert.equal(big.status, 0);
  assert.match(big.stderr, /skipped .*larger than/);
});

test('rvn rules and rvn check --list-rules list every rule with id, severity and one line', () => {
  const out = rvn('rules', '--format', 'json');
  assert.equal(out.status, 0);
  const ids = JSON.parse(out.stdout).map((r: { id: string }) => r.id);
  for (const id of ['nccl/unknown-variable', 'deploy/gpus-unused', 'yaml/env-value-not-string']) assert.ok(ids.includes(id), id);
  const list = rvn('check', '--list-rules');
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^deploy\/port-mismatch +error +\S.+$/m);
  assert.equal(list.stdout.trim().split('\n').length, ids.length);
});

test('YAML files and folders are checked too', () => {
  const out = rvn('check', '--format', 'json', 'examples');
  const paths = JSON.parse(out.stdout).files.map((f: { path: string }) => f.path);
  assert.ok(paths.includes('examples/common-mistakes.yaml') && paths.includes('examples/lws-vllm-multinode.yaml'));
});
