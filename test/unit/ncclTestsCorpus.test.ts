/**
 * The real nccl-tests 2.19.6 runs on two H200s (../shared/corpus/nccl-tests-2.28.9-h200x2): every
 * row parses exactly, the header and footer are read, and the findings match what happened on the
 * machine (P2P disabled and socket-only runs are slow, the NVLink runs are not).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bandwidthSeries, formatNcclTestsSummary, ncclTestsFindings, parseNcclTests, parseNcclTestsFile, peakBusBandwidth, summarizeNcclTests, type NcclTestsModel } from '../../server/src/ncclTests/index';
import { sharedDir } from '../helpers';

const DIR = join(sharedDir, 'corpus', 'nccl-tests-2.28.9-h200x2');
const skip = !existsSync(DIR) && 'corpus not available';
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const parse = (name: string) => parseNcclTests(read(name));
const rules = (m: NcclTestsModel) => ncclTestsFindings(m).map((f) => f.rule);

/**
 * An independent reading of the result rows: every line that is not a comment or an NCCL line and
 * starts with a number, split on blanks. The parser must agree with it on every field.
 */
function plainRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => /^\s*\d/.test(l) && !l.includes(' NCCL '))
    .map((l) => l.trim().split(/\s+/));
}

function assertRowsExact(name: string): void {
  const text = read(name);
  const m = parseNcclTests(text);
  const expected = plainRows(text);
  const rows = m.runs.flatMap((r) => r.rows);
  assert.equal(rows.length, expected.length, `${name}: row count`);
  const wrong = (t: string) => (t === 'N/A' ? null : Number(t));
  rows.forEach((row, i) => {
    const t = expected[i];
    assert.deepEqual(
      [row.size, row.count, row.type, row.redop, row.root],
      [Number(t[0]), Number(t[1]), t[2], t[3], Number(t[4])],
      `${name} row ${i + 1}: leading columns`,
    );
    assert.deepEqual(
      [row.outOfPlace?.time, row.outOfPlace?.algbw, row.outOfPlace?.busbw, row.outOfPlace?.wrong],
      [Number(t[5]), Number(t[6]), Number(t[7]), wrong(t[8])],
      `${name} row ${i + 1}: out-of-place`,
    );
    assert.deepEqual(
      [row.inPlace?.time, row.inPlace?.algbw, row.inPlace?.busbw, row.inPlace?.wrong],
      [Number(t[9]), Number(t[10]), Number(t[11]), wrong(t[12])],
      `${name} row ${i + 1}: in-place`,
    );
  });
}

describe('nccl-tests corpus (2 x H200)', { skip }, () => {
  const files = ['all_reduce_perf.txt', 'all_reduce_perf.p2p-disabled.txt', 'all_reduce_perf.socket.txt', 'all_reduce_perf.nccl-info.txt', 'all_gather_perf.txt', 'reduce_scatter_perf.txt', 'sendrecv_perf.txt'];

  for (const name of files) it(`${name}: every row equals an independent split of the file`, () => assertRowsExact(name));

  it('row counts, one run per file, footers and test names', () => {
    const expected: Record<string, [string, number, number, number]> = {
      'all_reduce_perf.txt': ['all_reduce_perf', 28, 85.1732, 1073741824],
      'all_reduce_perf.p2p-disabled.txt': ['all_reduce_perf', 13, 9.20639, 268435456],
      'all_reduce_perf.socket.txt': ['all_reduce_perf', 12, 0.951295, 67108864],
      'all_reduce_perf.nccl-info.txt': ['all_reduce_perf', 4, 160.29, 67108864],
      'all_gather_perf.txt': ['all_gather_perf', 14, 63.0799, 536870912],
      'reduce_scatter_perf.txt': ['reduce_scatter_perf', 14, 61.7909, 536870912],
      'sendrecv_perf.txt': ['sendrecv_perf', 14, 81.9393, 536870912],
    };
    for (const [name, [test, rows, avg, maxBytes]] of Object.entries(expected)) {
      const m = parse(name);
      assert.equal(m.runs.length, 1, name);
      const run = m.runs[0];
      assert.equal(run.test, test, name);
      assert.equal(run.rows.length, rows, name);
      assert.equal(run.avgBusBandwidth?.value, avg, name);
      assert.equal(run.avgBusBandwidth?.check, undefined, name);
      assert.deepEqual({ count: run.outOfBounds?.count, ok: run.outOfBounds?.ok }, { count: 0, ok: true }, name);
      assert.equal(run.params?.maxBytes, maxBytes, name);
      assert.equal(run.concluded, true, name);
      assert.deepEqual(run.damagedRows, [], name);
      assert.equal(run.version?.tests, '2.19.6', name);
      assert.equal(run.version?.ncclLibrary, 22809, name);
    }
  });

  it('header: parameters and both ranks with host, pid, device, bus id and GPU', () => {
    const run = parse('all_reduce_perf.txt').runs[0];
    const { ref: _ref, ...params } = run.params!;
    assert.deepEqual(params, {
      nThread: 1, nGpus: 2, minBytes: 8, maxBytes: 1073741824, step: 2, stepKind: 'factor',
      warmupIters: 1, iters: 20, aggIters: 1, validation: 1, graph: 0, unalign: 0, extra: {},
    });
    assert.deepEqual(run.ranks.map(({ ref: _r, ...r }) => r), [
      { rank: 0, group: 0, pid: 1338, host: 'vm', device: 0, busId: '0000:00:06', gpu: 'NVIDIA H200' },
      { rank: 1, group: 0, pid: 1338, host: 'vm', device: 1, busId: '0000:00:07', gpu: 'NVIDIA H200' },
    ]);
    assert.equal(run.ranks[0].ref.line, 5);
    assert.deepEqual(run.columns?.names.slice(0, 9), ['size', 'count', 'type', 'redop', 'root', 'time', 'algbw', 'busbw', '#wrong']);
  });

  it('specific rows read from the files', () => {
    const ar = parse('all_reduce_perf.txt').runs[0];
    assert.deepEqual({ ...ar.rows[0], ref: undefined }, {
      size: 8, count: 2, type: 'float', redop: 'sum', root: -1, ref: undefined,
      outOfPlace: { time: 19.4, algbw: 0, busbw: 0, wrong: 0 },
      inPlace: { time: 18.24, algbw: 0, busbw: 0, wrong: 0 },
    });
    const last = ar.rows[27];
    assert.equal(last.size, 1073741824);
    assert.equal(last.count, 268435456);
    assert.deepEqual(last.outOfPlace, { time: 3326.89, algbw: 322.75, busbw: 322.75, wrong: 0 });
    assert.deepEqual(last.inPlace, { time: 3297.48, algbw: 325.62, busbw: 325.62, wrong: 0 });
    assert.equal(last.ref.line, 38);

    const socket = parse('all_reduce_perf.socket.txt').runs[0];
    assert.deepEqual(socket.rows[11].outOfPlace, { time: 11428.0, algbw: 2.94, busbw: 2.94, wrong: 0 });
    assert.deepEqual(socket.rows[11].inPlace, { time: 10130.8, algbw: 3.31, busbw: 3.31, wrong: 0 });

    const ag = parse('all_gather_perf.txt').runs[0];
    assert.equal(ag.rows[0].size, 0);
    assert.equal(ag.rows[0].redop, 'none');
    assert.deepEqual(ag.rows[13].inPlace, { time: 969.46, algbw: 553.78, busbw: 276.89, wrong: 0 });

    const rs = parse('reduce_scatter_perf.txt').runs[0];
    assert.deepEqual(rs.rows[9].outOfPlace, { time: 18.06, algbw: 116.1, busbw: 58.05, wrong: 0 });

    // sendrecv does not check in-place results: #wrong is N/A there.
    const sr = parse('sendrecv_perf.txt').runs[0];
    assert.ok(sr.rows.every((r) => r.outOfPlace?.wrong === 0 && r.inPlace?.wrong === null));
    assert.deepEqual(sr.rows[13].outOfPlace, { time: 1515.42, algbw: 354.27, busbw: 354.27, wrong: 0 });

    const p2p = parse('all_reduce_perf.p2p-disabled.txt').runs[0];
    assert.deepEqual(p2p.rows.map((r) => r.size), [8, 32, 128, 512, 2048, 8192, 32768, 131072, 524288, 2097152, 8388608, 33554432, 134217728]);
    assert.equal(peakBusBandwidth(p2p)?.busbw, 27.59);
  });

  it('interleaved NCCL_DEBUG=INFO lines are hints, not rows: P2P channels, the Socket network, NVLS off', () => {
    const m = parse('all_reduce_perf.nccl-info.txt');
    assert.equal(m.lines.nccl, 127);
    assert.equal(m.lines.rows, 4);
    const run = m.runs[0];
    assert.deepEqual(run.rows.map((r) => r.size), [1048576, 4194304, 16777216, 67108864]);
    assert.deepEqual(run.rows[3].outOfPlace, { time: 257.45, algbw: 260.67, busbw: 260.67, wrong: 0 });
    assert.deepEqual(run.nccl.transports.map((t) => [t.kind, t.via, t.count]), [['P2P', 'P2P/direct', 48]]);
    assert.equal(run.nccl.network?.name, 'Socket');
    assert.ok(run.nccl.ibNoDevice);
    assert.equal(run.nccl.version, '2.28.9+cuda13.0');
    assert.deepEqual(run.nccl.env.map((e) => `${e.name}=${e.value}`), ['NCCL_NVLS_ENABLE=0']);
    assert.equal(run.nccl.nNodes, 1);
    assert.deepEqual(run.nccl.hosts, ['vm']);
  });

  it('the P2P-disabled and socket-only runs get the low-bandwidth warning with the likely cause; NVLink runs do not', () => {
    const p2p = ncclTestsFindings(parse('all_reduce_perf.p2p-disabled.txt')).filter((f) => f.rule === 'nccl-tests/low-bandwidth');
    assert.equal(p2p.length, 1);
    assert.equal(p2p[0].severity, 'warning');
    assert.match(p2p[0].message, /27\.59 GB\/s at 128 MiB/);
    assert.match(p2p[0].message, /NVIDIA H200's NVLink 4/);
    assert.match(p2p[0].message, /host memory \(SHM\).*NCCL_P2P_DISABLE=1/);
    assert.equal(p2p[0].range.start.line, 23);

    const socket = ncclTestsFindings(parse('all_reduce_perf.socket.txt')).filter((f) => f.rule === 'nccl-tests/low-bandwidth');
    assert.equal(socket.length, 1);
    assert.match(socket[0].message, /3\.31 GB\/s/);
    assert.match(socket[0].message, /TCP sockets \(NET\/Socket\)/);

    for (const name of ['all_reduce_perf.txt', 'all_reduce_perf.nccl-info.txt', 'all_gather_perf.txt', 'reduce_scatter_perf.txt', 'sendrecv_perf.txt']) {
      assert.ok(!rules(parse(name)).includes('nccl-tests/low-bandwidth'), name);
    }
  });

  it('no corruption or failure findings on the clean runs', () => {
    for (const name of files) {
      const r = rules(parse(name));
      assert.ok(!r.includes('nccl-tests/data-corruption'), name);
      assert.ok(!r.includes('nccl-tests/test-failure'), name);
    }
  });

  it('plateau: the 64 MiB NCCL INFO run and sendrecv still rise; the 1 GiB all_reduce has flattened', () => {
    assert.deepEqual(rules(parse('all_reduce_perf.nccl-info.txt')), ['nccl-tests/plateau-not-reached']);
    assert.deepEqual(rules(parse('sendrecv_perf.txt')), ['nccl-tests/plateau-not-reached']);
    for (const name of ['all_reduce_perf.txt', 'all_gather_perf.txt', 'reduce_scatter_perf.txt']) assert.deepEqual(rules(parse(name)), [], name);
    const f = ncclTestsFindings(parse('all_reduce_perf.nccl-info.txt'))[0];
    assert.equal(f.severity, 'info');
    assert.match(f.message, /260\.67 GB\/s at 64 MiB, \+24% over 16 MiB/);
  });

  it('gpus.txt (nvidia-smi -L) is not nccl-tests output', () => {
    const m = parse('gpus.txt');
    assert.deepEqual(m.runs, []);
    assert.deepEqual(ncclTestsFindings(m), []);
  });

  it('chart series: out-of-place and in-place per file, sizes and bandwidths as in the rows', () => {
    const run = parse('all_reduce_perf.txt').runs[0];
    const series = bandwidthSeries(run, 'NVLink');
    assert.deepEqual(series.map((s) => [s.label, s.dashed, s.points.length]), [['NVLink out-of-place', false, 28], ['NVLink in-place', true, 28]]);
    assert.deepEqual(series[1].points[27], { bytes: 1073741824, busbw: 325.62 });
  });

  it('a summary per run: GPUs, peak and where, footer, transports', () => {
    assert.deepEqual(summarizeNcclTests(parse('all_reduce_perf.nccl-info.txt')), [{
      index: 0, test: 'all_reduce_perf', gpus: '2 x NVIDIA H200', hosts: ['vm'], rows: 4, minBytes: 1048576, maxBytes: 67108864,
      peakBusbw: 261.4, peakAtBytes: 67108864, peakPlacement: 'in-place', link: { name: 'NVLink 4', gbps: 450 },
      avgBusBandwidth: 160.29, outOfBounds: { count: 0, ok: true }, transports: ['P2P/direct'], failed: false,
    }]);
    assert.equal(formatNcclTestsSummary(summarizeNcclTests(parse('all_reduce_perf.socket.txt'))), [
      'all_reduce_perf on 2 x NVIDIA H200',
      '  peak bus bandwidth: 3.31 GB/s at 32 MiB in-place (NVLink 4 ~450 GB/s per direction)',
      '  sizes: 8 B .. 32 MiB in 12 rows',
      '  average bus bandwidth: 0.951295 GB/s',
      '  out of bounds values: 0 OK',
    ].join('\n'));
  });

  it('the streamed file reader gives the same model', async () => {
    for (const name of files) assert.deepEqual(await parseNcclTestsFile(join(DIR, name)), parse(name), name);
  });

  it('the model is plain JSON', () => {
    for (const name of files) {
      const m = parse(name);
      assert.deepEqual(JSON.parse(JSON.stringify(m)), m, name);
    }
  });
});
