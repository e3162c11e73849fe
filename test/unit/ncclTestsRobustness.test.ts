/**
 * Damaged and hostile input for the nccl-tests and vLLM log readers: truncated lines, binary junk,
 * a 2 MB line, deep nesting, long files. Nothing throws, nothing takes long, and intact parts are
 * still read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { bandwidthSeries, ncclTestsFindings, parseNcclTests, parseNcclTestsFile } from '../../server/src/ncclTests/index';
import { renderBandwidthChartSvg } from '../../server/src/report/bandwidthChart';
import { parseVllmLog, parseVllmLogFile, summarizeVllmLog, vllmLogFindings } from '../../server/src/vllmLog/index';
import { repoRoot } from '../helpers';

const NCCL_TESTS = path.join(repoRoot, 'test/fixtures/nccl-tests/srun-three-runs.txt');
const VLLM = path.join(repoRoot, 'test/fixtures/vllm-log/seed-v0.18-pixtral-tp2.log');
const tmp = mkdtempSync(path.join(tmpdir(), 'rvn-logs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function everything(text: string): void {
  const nt = parseNcclTests(text);
  ncclTestsFindings(nt);
  for (const run of nt.runs) renderBandwidthChartSvg(bandwidthSeries(run));
  JSON.stringify(nt);
  const vl = parseVllmLog(text);
  vllmLogFindings(vl);
  summarizeVllmLog(vl);
  JSON.stringify(vl);
}

describe('damaged input', () => {
  it('truncated lines: never throws, complete rows survive, cut rows are damaged rows', () => {
    const rnd = prng(1);
    const lines = readFileSync(NCCL_TESTS, 'utf8').split('\n');
    const damaged = lines.map((l, i) => (i % 4 === 1 ? l.slice(0, Math.floor(rnd() * l.length)) : l)).join('\n');
    const m = parseNcclTests(damaged);
    const rows = m.runs.flatMap((r) => r.rows);
    assert.ok(rows.length > 0 && rows.length <= 14);
    for (const row of rows) assert.ok(row.outOfPlace && row.inPlace && Number.isFinite(row.outOfPlace.busbw));
    everything(damaged);
    const vl = readFileSync(VLLM, 'utf8').split('\n').map((l, i) => (i % 3 === 0 ? l.slice(0, Math.floor(rnd() * l.length)) : l)).join('\n');
    everything(vl);
  });

  it('a file cut in the middle of the engine config line still yields what was printed before the cut', () => {
    const text = readFileSync(VLLM, 'utf8');
    const cut = text.slice(0, text.indexOf("'cudagraph_capture_sizes'") + 40);
    const m = parseVllmLog(cut);
    assert.equal(m.engine?.maxSeqLen, 1048576);
    assert.equal(m.engine?.compilation?.mode, 3);
    assert.equal(m.engine?.compilation?.cudagraphCaptureSizes, undefined);
    everything(cut);
  });

  it('binary junk (random bytes, control characters, invalid UTF-8) is just text', () => {
    const rnd = prng(2);
    const bytes = Buffer.alloc(256 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rnd() * 256);
    const text = bytes.toString('utf8');
    const { ms } = timed(() => everything(text));
    assert.ok(ms < 2000, `${ms} ms`);
    assert.deepEqual(parseNcclTests(text).runs.flatMap((r) => r.rows), []);
    assert.deepEqual(vllmLogFindings(parseVllmLog(text)), []);
  });

  it('2 MB lines of many shapes: linear time, nothing invented', () => {
    const big = 2 * 1024 * 1024;
    const shapes = [
      'x'.repeat(big),
      ' '.repeat(big),
      '# ' + '#'.repeat(big),
      '1 '.repeat(big / 2),
      '   33554432  8388608  float  sum  -1' + '  1.0'.repeat(big / 5),
      'INFO 01-02 03:04:05 [core.py:1] non-default args: {' + "'a': [".repeat(big / 6),
      'INFO 01-02 03:04:05 [core.py:1] Initializing a V1 LLM engine (v0.1) with config: ' + 'a=1, '.repeat(big / 5),
      '('.repeat(big),
      '(x pid=1) '.repeat(big / 10),
      'ERROR 01-02 03:04:05 [core.py:1] ' + 'NCCL error '.repeat(big / 11),
      '\x1b[31m'.repeat(big / 5),
    ];
    for (const line of shapes) {
      const { ms } = timed(() => everything(`${line}\n# Avg bus bandwidth    : 1.5 \n`));
      assert.ok(ms < 1500, `${line.slice(0, 30)}...: ${ms} ms`);
    }
  });

  it('deep nesting in a Python repr is refused, not recursed into', () => {
    const text = `INFO 01-02 03:04:05 [utils.py:233] non-default args: {'a': ${'['.repeat(50000)}}`;
    const m = parseVllmLog(text);
    assert.equal(m.nonDefaultArgs, undefined);
  });

  it('a long nccl-tests file (100,000 rows over 500 runs) parses quickly; runs are capped at 1,000', () => {
    const row = '    33554432       8388608     float     sum      -1   144.63  232.00  232.00       0   144.21  232.68  232.68       0';
    const run = ['# Collective test starting: all_reduce_perf', ...Array.from({ length: 200 }, () => row), '# Out of bounds values : 0 OK', '# Collective test concluded: all_reduce_perf'].join('\n');
    const text = Array.from({ length: 500 }, () => run).join('\n');
    const { value, ms } = timed(() => parseNcclTests(text));
    assert.equal(value.runs.length, 500);
    assert.equal(value.lines.rows, 100000);
    assert.ok(ms < 3000, `${ms} ms`);
    ncclTestsFindings(value);
    const many = parseNcclTests(Array.from({ length: 1500 }, () => '# Collective test starting: x\n' + row).join('\n'));
    assert.equal(many.runs.length, 1000);
  });

  it('a long vLLM log (200,000 lines) parses quickly and keeps bounded lists', () => {
    const line = '(EngineCore_DP0 pid=211) INFO 03-20 10:02:55 [kv_cache_utils.py:1087] GPU KV cache size: 1,319,632 tokens\n(APIServer pid=1) ERROR 03-20 10:02:55 [x.py:1] ValueError: boom';
    const text = Array.from({ length: 100000 }, (_, i) => `${line} ${i}`).join('\n');
    const { value, ms } = timed(() => parseVllmLog(text));
    assert.ok(ms < 5000, `${ms} ms`);
    assert.ok(value.kvCache.gpuTokens.length <= 256);
    assert.ok(value.errors.length <= 200);
    assert.equal(value.lines.total, 200000);
  });

  it('files with BOM, CRLF, NUL padding and no final newline, streamed from disk', async () => {
    const nt = readFileSync(NCCL_TESTS, 'utf8');
    const file = path.join(tmp, 'nt.txt');
    writeFileSync(file, '\ufeff' + nt.replace(/\n/g, '\r\n').trimEnd());
    const fromDisk = await parseNcclTestsFile(file);
    assert.deepEqual(fromDisk.runs.map((r) => r.rows.length), [5, 5, 4]);
    const vl = readFileSync(VLLM, 'utf8');
    const vfile = path.join(tmp, 'vl.log');
    writeFileSync(vfile, '\0\0\0' + vl.replace(/\n/g, '\r\n'));
    const m = await parseVllmLogFile(vfile);
    assert.equal(m.engine?.maxSeqLen, 1048576);
    assert.equal(m.version?.value, '0.18.0');
  });
});
