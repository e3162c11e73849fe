/** `rvn bandwidth` and `rvn vllm-log` as a user runs them (the built CLI; `npm test` builds first). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasShared, repoRoot, sharedDir } from '../helpers';

const rvn = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'rvn'), ...args], { cwd: repoRoot, encoding: 'utf8' });
const corpus = join(sharedDir, 'corpus/nccl-tests-2.28.9-h200x2');

test('rvn bandwidth: text, JSON and an overlaid HTML chart; a P2P-disabled run is flagged', { skip: hasShared ? false : 'no corpus' }, () => {
  const good = join(corpus, 'all_reduce_perf.txt');
  const slow = join(corpus, 'all_reduce_perf.p2p-disabled.txt');
  const text = rvn('bandwidth', good, slow);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /peak bus bandwidth: 325\.62 GB\/s/);
  assert.match(text.stdout, /\[nccl-tests\/low-bandwidth\]/);
  const json = JSON.parse(rvn('bandwidth', '--json', slow).stdout);
  assert.equal(json.version, 1);
  assert.ok(json.files[0].findings.some((f: { rule: string }) => f.rule === 'nccl-tests/low-bandwidth'));
  const out = join(mkdtempSync(join(tmpdir(), 'rvn-bw-')), 'bw.html');
  assert.equal(rvn('bandwidth', '--html', out, good, slow).status, 0);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /default-src 'none'/);
  assert.match(html, /<svg[^>]*role="img"/);
  assert.doesNotMatch(html, /<script|\son\w+=/i);
});

test('rvn vllm-log: configuration summary and findings; exit 1 on an error-level finding', () => {
  const dir = join(repoRoot, 'test/fixtures/vllm-log');
  const logs = readdirSync(dir).map((f) => join(dir, f));
  const out = rvn('vllm-log', ...logs);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /vLLM version: 0\.\d+/);
  assert.equal(rvn('vllm-log', '--json', logs[0]).status === 2, false);
  const usage = rvn('vllm-log', '--html', 'x');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^rvn: .+\n$/);
});
