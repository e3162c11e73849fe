/**
 * `rvn topology` end to end: each case runs the command in a child process (a two-line wrapper
 * around runTopology), so stdout, stderr and the exit code are exactly what a user sees.
 */
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NCCL_LOG_RULES } from '../../server/src/ncclLog/index';
import { applyRules, parseTopologyArgs, runTopology } from '../../server/src/cli/topology';
import { repoRoot, sharedDir } from '../helpers';

const CORPUS = join(sharedDir, 'corpus', 'nccl-2.28.9-h200x4');
const hasCorpus = existsSync(join(CORPUS, 'default.log'));
const work = mkdtempSync(join(tmpdir(), 'rvn-topology-'));
const wrapper = join(work, 'rvn-topology.ts');
writeFileSync(wrapper, `import { runTopology } from ${JSON.stringify(join(repoRoot, 'server/src/cli/topology'))};\nrunTopology(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`);
after(() => rmSync(work, { recursive: true, force: true }));

function rvn(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', wrapper, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const log = (name: string) => join(CORPUS, name);

describe('rvn topology on the corpus', { skip: !hasCorpus && 'corpus not available' }, () => {
  it('prints the summary and the findings as path:line:col lines; exit 0 without errors', () => {
    const r = rvn(log('default.log'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^ {2}NCCL 2\.28\.9 \(built for CUDA 13\.0\), CUDA driver 13\.0$/m);
    assert.match(r.stdout, /NVLink in use: yes \(topology: 370\.8 GB\/s per GPU\)/);
    assert.match(r.stdout, /^.*default\.log:25:1: info No external NCCL net plugin was found.* \[nccl-log\/net-plugin-missing\]$/m);
    assert.match(r.stdout, /^.*default\.log:33:1: info NCCL could not read the link speed of interface eth0.* \[nccl-log\/socket-speed-default\]$/m);
    assert.match(r.stdout, /^1 file checked: 0 errors, 0 warnings, 4 notes$/m);
  });

  it('--summary prints only the summary', () => {
    const r = rvn('--summary', log('p2p-disabled-shm.log'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Transports \(directed rank pairs\): SHM 4/);
    assert.ok(!r.stdout.includes('[nccl-log/'));
  });

  it('--json prints version, then per log path, summary, findings {id, severity, line, message} and model', () => {
    const r = rvn('--json', log('default.log'), log('p2p-disabled-shm.log'));
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.deepEqual(out.logs.map((l: { path: string }) => l.path), [log('default.log'), log('p2p-disabled-shm.log')]);
    for (const l of out.logs) {
      assert.deepEqual(Object.keys(l), ['path', 'summary', 'findings', 'model']);
      assert.equal(l.model.schema, 1);
      assert.equal(l.summary.ncclVersion, '2.28.9');
      for (const f of l.findings) assert.deepEqual(Object.keys(f), ['id', 'severity', 'line', 'message']);
    }
    assert.deepEqual(out.logs[0].summary, {
      ncclVersion: '2.28.9', nRanks: 4, nNodes: 1, hosts: ['vm'], transports: ['P2P/CUMEM'], netPlugin: 'Socket', gdr: false, nvlinkMaxBw: 370.8,
      gpus: 4, nics: ['eth0'], rings: [{ order: [0, 1, 2, 3], channels: Array.from({ length: 24 }, (_, i) => i) }], warnings: 0,
    });
    assert.deepEqual(out.logs[0].findings.map((f: { id: string; line: number }) => `${f.line} ${f.id}`), [
      '25 nccl-log/net-plugin-missing', '26 nccl-log/mlx5-symbols-missing', '27 nccl-log/mlx5-symbols-missing', '33 nccl-log/socket-speed-default',
    ]);
    assert.equal(out.logs[0].model.hosts[0].topology.links.find((x: { type: string }) => x.type === 'NVL').bw, 370.8);
    const shm = out.logs[1].findings.find((f: { id: string }) => f.id === 'nccl-log/shm-instead-of-p2p');
    assert.ok(shm && shm.severity === 'warning' && shm.line === 727);
    assert.equal(out.logs[1].summary.transports.join(), 'SHM');
  });

  it('--json --summary leaves the model out', () => {
    const out = JSON.parse(rvn('--json', '--summary', log('default.log')).stdout);
    assert.deepEqual(Object.keys(out.logs[0]), ['path', 'summary', 'findings']);
  });

  it('the output of every corpus log validates against schemas/nccl-topology-summary.schema.json', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/nccl-topology-summary.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    const logs = ['default.log', 'p2p-disabled-shm.log', 'socket-only.log', 'two-hosts-socket.log', 'tree-ll128.log', 'net-ib-forced-error.log', 'bad-ifname-error.log', 'debug-version.log', 'debug-warn-only.log'].map(log);
    for (const args of [['--json'], ['--json', '--summary']]) {
      const r = rvn(...args, ...logs, join(repoRoot, 'test/fixtures/nccl/vllm-ray-2node-roce.log'), join(repoRoot, 'test/fixtures/nccl/pasted-fragments.txt'));
      const out = JSON.parse(r.stdout);
      assert.equal(out.logs.length, logs.length + 2);
      assert.ok(validate(out), JSON.stringify(validate.errors?.slice(0, 3)));
    }
    const broken = { version: 1, logs: [{ path: 'x', summary: { warnings: 0, gpus: 'four' }, findings: [{ id: 'nccl-log/timeout', severity: 'error', line: 0, message: 'm' }] }] };
    assert.equal(validate(broken), false);
    assert.deepEqual(validate.errors?.map((e) => e.instancePath).sort(), ['/logs/0/findings/0/line', '/logs/0/summary/gpus']);
  });

  it('--html FILE writes one self-contained page with a fresh nonce and prints the path', () => {
    const file = join(work, 'topology.html');
    const r = rvn('--html', file, log('default.log'), log('socket-only.log'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${file}\n`);
    const page = readFileSync(file, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{24})'/.exec(page)?.[1];
    assert.ok(nonce, 'a 18-byte base64 nonce in the CSP');
    assert.ok(page.includes(`<script nonce="${nonce}">`));
    assert.ok(page.includes('default.log') && page.includes('socket-only.log'));
    rvn('--html', file, log('default.log'));
    assert.notEqual(/script-src 'nonce-([^']+)'/.exec(readFileSync(file, 'utf8'))?.[1], nonce, 'a new nonce per page');
  });

  it('exits 1 when a log has an error-level finding', () => {
    const r = rvn(log('tree-ll128.log'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /tree-ll128\.log:\d+:1: error NCCL call failed with ncclInvalidUsage/);
  });

  it('--rule changes or drops a rule, so the same log can pass', () => {
    const r = rvn('--rule', 'nccl-log/nccl-error=warning', '--rule=nccl-log/init-incomplete=off', '--json', log('tree-ll128.log'));
    assert.equal(r.code, 0, r.stderr);
    const findings = JSON.parse(r.stdout).logs[0].findings;
    assert.ok(findings.some((f: { id: string; severity: string }) => f.id === 'nccl-log/nccl-error' && f.severity === 'warning'));
    assert.ok(!findings.some((f: { severity: string }) => f.severity === 'error'));
  });
});

describe('rvn topology usage and I/O errors: exit 2 with one line on stderr', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no log', [], /^rvn: topology needs at least one log file/],
    ['missing file', [join(work, 'nope.log')], /^rvn: cannot read .*nope\.log: no such file$/],
    ['a folder', [work], /^rvn: cannot read .*: is a folder/],
    ['unknown option', ['--frobnicate', 'x.log'], /^rvn: unknown option --frobnicate/],
    ['--json with --html', ['--json', '--html', join(work, 'a.html'), 'x.log'], /^rvn: --json and --html cannot be combined$/],
    ['--html without a file', ['--html'], /^rvn: --html needs a value$/],
    ['unknown rule', ['--rule', 'nccl-log/nope=off', 'x.log'], /^rvn: unknown NCCL log rule 'nccl-log\/nope'/],
    ['bad rule severity', ['--rule', 'nccl-log/warn=loud', 'x.log'], /^rvn: --rule takes RULE=off\|error\|warning\|info\|hint/],
    ['unwritable html', ['--html', join(work, 'no/such/dir/x.html'), join(repoRoot, 'test/fixtures/nccl/pasted-fragments.txt')], /^rvn: cannot write .*x\.html: ENOENT$/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = rvn(...args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr.trimEnd(), message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, 'exactly one line');
    });
  }
});

describe('rvn topology in-process', () => {
  it('never rejects: errors become exit code 2', async () => {
    const write = process.stderr.write;
    let err = '';
    process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
    try {
      assert.equal(await runTopology(['--bogus']), 2);
      assert.equal(await runTopology([join(work, 'missing.log')]), 2);
    } finally {
      process.stderr.write = write;
    }
    assert.match(err, /^rvn: unknown option --bogus/m);
  });

  it('parses options and applies --rule settings', () => {
    const o = parseTopologyArgs(['--json', '--summary', '--rule', 'nccl-log/warn=off', '--', '--odd-name.log']);
    assert.deepEqual([o.format, o.summaryOnly, [...o.rules], o.paths], ['json', true, [['nccl-log/warn', 'off']], ['--odd-name.log']]);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const findings = NCCL_LOG_RULES.map((r) => ({ rule: r.id, severity: r.severity, message: r.summary, range }));
    const out = applyRules(findings, new Map([['nccl-log/warn', 'off'], ['nccl-log/nccl-error', 'info']] as const));
    assert.equal(out.length, findings.length - 1);
    assert.equal(out.find((f) => f.rule === 'nccl-log/nccl-error')?.severity, 'info');
  });
});
