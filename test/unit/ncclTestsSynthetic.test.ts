/**
 * nccl-tests output in the shapes the corpus does not cover, written after nccl-tests' format
 * strings: MPI and srun prefixes, several runs in one file, older releases (no Group, `0x` bus ids,
 * an `error` column), cputime/timestamp/per-iteration columns, corruption, multi-node TCP, failures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  bandwidthSeries,
  createNcclTestsParser,
  expectedLink,
  formatBytes,
  looksLikeNcclTests,
  ncclTestsFindings,
  parseNcclTests,
  type NcclTestsModel,
} from '../../server/src/ncclTests/index';
import { repoRoot } from '../helpers';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/nccl-tests', name), 'utf8');
const rules = (m: NcclTestsModel) => ncclTestsFindings(m).map((f) => `${f.range.start.line + 1} ${f.rule}`);

describe('Open MPI --tag-output, two nodes, corrupted results', () => {
  const m = parseNcclTests(fixture('mpi-corruption-2node-a100.txt'));
  const run = m.runs[0];

  it('peels [1,0]<stdout>: from every line and reads the run', () => {
    assert.deepEqual(m.launchers, ['1,0', '1,1']);
    assert.equal(m.runs.length, 1);
    assert.equal(run.test, 'all_reduce_perf');
    assert.equal(run.version?.tests, '2.17.1');
    assert.equal(run.params?.nGpus, 2);
    assert.equal(run.params?.unalign, undefined);
    assert.deepEqual(run.ranks.map((r) => `${r.rank}@${r.host}:${r.device} ${r.gpu}`), [
      '0@node-a:0 NVIDIA A100-SXM4-80GB', '1@node-a:1 NVIDIA A100-SXM4-80GB', '2@node-b:0 NVIDIA A100-SXM4-80GB', '3@node-b:1 NVIDIA A100-SXM4-80GB',
    ]);
    assert.equal(run.rows.length, 6);
    assert.equal(run.rows[5].outOfPlace?.time, 23871);
    // `%g` prints large counts in exponent form: 1.04858e+06.
    assert.equal(run.rows[3].outOfPlace?.wrong, 1048580);
    assert.equal(run.rows[4].inPlace?.wrong, 12);
    assert.deepEqual(run.wrongReports.map((w) => [w.rank, w.wrong]), [[2, 1048576]]);
    assert.deepEqual(run.outOfBounds && { count: run.outOfBounds.count, ok: run.outOfBounds.ok }, { count: 2, ok: false });
  });

  it('NCCL lines of both ranks: IB with GDRDMA between nodes, P2P inside, two nodes', () => {
    assert.deepEqual(run.nccl.transports.map((t) => `${t.kind} ${t.via} x${t.count}`), ['NET/IB NET/IB/0/GDRDMA x2', 'P2P P2P/CUMEM/read x2']);
    assert.equal(run.nccl.network?.name, 'IB');
    assert.equal(run.nccl.nNodes, 2);
    assert.deepEqual(run.nccl.hosts.sort(), ['node-a', 'node-b']);
    assert.equal(run.nccl.version, '2.27.3+cuda12.9');
  });

  it('one data-corruption error at the first bad row; RDMA speed is not low', () => {
    const f = ncclTestsFindings(m);
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1}:${x.range.start.character} ${x.rule} ${x.severity}`), ['26:18 nccl-tests/data-corruption error']);
    assert.match(f[0].message, /2 result row\(s\) report wrong elements \(1048592 in total, at 64 MiB, 256 MiB\)/);
    assert.match(f[0].message, /2 out-of-bounds value/);
  });
});

describe('srun --label, three runs in one file', () => {
  const m = parseNcclTests(fixture('srun-three-runs.txt'));

  it('splits the runs and keeps each one its own rows and footer', () => {
    assert.deepEqual(m.launchers, ['0']);
    assert.deepEqual(m.runs.map((r) => [r.test, r.rows.length, r.ranks.length, r.avgBusBandwidth?.value]), [
      ['all_reduce_perf', 5, 8, 417.457],
      ['broadcast_perf', 5, 8, 334.725],
      [undefined, 4, 4, 26.4583],
    ]);
    assert.deepEqual(m.runs.map((r) => r.index), [0, 1, 2]);
    assert.ok(m.runs[0].lastLine < m.runs[1].firstLine && m.runs[1].lastLine < m.runs[2].firstLine);
  });

  it('8 GiB messages, root 0 and N/A when validation is off', () => {
    const [ar, bc] = m.runs;
    assert.equal(ar.rows[4].size, 8589934592);
    assert.deepEqual(ar.rows[4].outOfPlace, { time: 31190, algbw: 275.4, busbw: 481.95, wrong: 0 });
    assert.equal(bc.params?.validation, 0);
    assert.ok(bc.rows.every((r) => r.root === 0 && r.redop === 'none' && r.outOfPlace?.wrong === null && r.inPlace?.wrong === null));
  });

  it('the old release: ranks without Group and 0x bus ids, an `error` column and no root', () => {
    const old = m.runs[2];
    assert.equal(old.version, undefined);
    assert.equal(old.params?.aggIters, undefined);
    assert.equal(old.params?.validation, 1);
    assert.deepEqual({ ...old.ranks[2], ref: undefined }, { rank: 2, pid: 22001, host: 'v100-node', device: 2, busId: '0x3d', gpu: 'Tesla V100-SXM2-32GB', ref: undefined });
    assert.deepEqual(old.columns?.names, ['size', 'count', 'type', 'redop', 'time', 'algbw', 'busbw', 'error', 'time', 'algbw', 'busbw', 'error']);
    const row = old.rows[3];
    assert.equal(row.root, undefined);
    assert.deepEqual(row.outOfPlace, { time: 2712.4, algbw: 49.48, busbw: 74.23, wrong: null, maxError: 0 });
    assert.equal(old.concluded, false);
  });

  it('NVLink H100 at 480 GB/s, V100 at 75 GB/s: nothing to report', () => {
    assert.deepEqual(rules(m), []);
  });
});

describe('two nodes over TCP', () => {
  const m = parseNcclTests(fixture('alltoall-socket-2node.txt'));
  it('low bandwidth across hosts, with NCCL_IB_DISABLE and the NET/Socket channel as cause', () => {
    const f = ncclTestsFindings(m);
    assert.deepEqual(f.map((x) => x.rule), ['nccl-tests/low-bandwidth']);
    assert.match(f[0].message, /0\.68 GB\/s at 64 MiB \(out-of-place\) across 2 hosts/);
    assert.match(f[0].message, /NCCL_IB_DISABLE=1 is set \(line 8\)/);
    assert.match(f[0].message, /NET\/Socket, i\.e\. TCP \(line 12\)/);
    assert.equal(m.runs[0].nccl.env[0].value, '1');
  });
});

describe('cputime, timestamps and per-iteration columns', () => {
  const m = parseNcclTests(fixture('cputime-timestamps-per-iteration-l40s.txt'));
  it('reads the extra columns by their header names', () => {
    const [rs, ag] = m.runs;
    assert.equal(rs.rows[2].timestamp, '2025-11-03 14:02:12');
    assert.deepEqual(rs.rows[2].inPlace, { time: 1540.3, algbw: 10.89, busbw: 8.17, wrong: 0 });
    assert.equal(rs.rows[0].type, 'bfloat16');
    assert.deepEqual(ag.rows[1].outOfPlace?.extra, { i_min: 441.45, i_max: 496.06, i_p99: 491.51, 'i_cv%': 2.31 });
    assert.equal(ag.rows[1].inPlace?.busbw, 6.91);
    assert.deepEqual(ag.notes.map((n) => n.text), ['Per-Iteration Report: CUDA event timing; i_* uses max over process rows']);
  });
  it('small messages on PCIe cards: not judged', () => assert.deepEqual(rules(m), []));
});

describe('failures', () => {
  it('Test NCCL failure lines and the NCCL WARN that explains them', () => {
    const m = parseNcclTests(fixture('test-failure-ib.txt'));
    const f = ncclTestsFindings(m);
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule} ${x.severity}`), ['9 nccl-tests/test-failure error']);
    assert.match(f[0].message, /^sendrecv_perf failed: worker-3: Test NCCL failure common\.cu:1290 'remote process exited/);
    assert.match(f[0].message, /and 1 more failure line/);
    assert.match(f[0].message, /NCCL warned: NET\/IB : Got completion from peer/);
    assert.equal(m.runs[0].nccl.warnLines, 1);
  });

  it('Test CUDA failure, timeout and the footer error line', () => {
    const m = parseNcclTests([
      '# Collective test starting: all_reduce_perf',
      'gpu-7: Test CUDA failure common.cu:892 \'an illegal memory access was encountered\'',
      'gpu-7: Test timeout (600s) common.cu:511',
      '# error: unhandled cuda error',
    ].join('\n'));
    assert.deepEqual(m.runs[0].failures.map((x) => x.text), [
      "gpu-7: Test CUDA failure common.cu:892 'an illegal memory access was encountered'",
      'gpu-7: Test timeout (600s) common.cu:511',
      'unhandled cuda error',
    ]);
    assert.deepEqual(rules(m), ['2 nccl-tests/test-failure']);
  });
});

describe('fragments and shapes', () => {
  it('rows pasted without any header (kubectl logs --timestamps) still parse', () => {
    const m = parseNcclTests([
      '2025-11-03T10:00:00.123456789Z    33554432       8388608     float     sum      -1   144.63  232.00  232.00       0   144.21  232.68  232.68       0',
      '2025-11-03T10:00:00.223456789Z   134217728      33554432     float     sum      -1   476.47  281.69  281.69       0   475.38  282.34  282.34       0',
    ].join('\n'));
    assert.equal(m.runs.length, 1);
    assert.deepEqual(m.runs[0].rows.map((r) => [r.size, r.redop, r.root, r.inPlace?.busbw]), [[33554432, 'sum', -1, 232.68], [134217728, 'sum', -1, 282.34]]);
    assert.equal(m.runs[0].rows[0].ref.start, 34);
  });

  it('old layouts without redop or root (sendrecv, broadcast of 2018) parse without a header', () => {
    const m = parseNcclTests([
      '     1048576        262144     float    41.20   25.45   25.45  0e+00    40.99   25.58   25.58  0e+00',
      '     1048576        262144     float       0    41.20   25.45   25.45  0e+00    40.99   25.58   25.58  0e+00',
    ].join('\n'));
    assert.deepEqual(m.runs[0].rows.map((r) => [r.redop, r.root, r.outOfPlace?.wrong, r.inPlace?.busbw]), [[undefined, undefined, 0, 25.58], [undefined, 0, 0, 25.58]]);
  });

  it('a row with only the in-place half (trace replay) under a two-group header', () => {
    const m = parseNcclTests([
      '#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong',
      '     1048576        262144     float     sum      -1                                    40.99   25.58   25.58       0',
    ].join('\n'));
    const row = m.runs[0].rows[0];
    assert.equal(row.outOfPlace, undefined);
    assert.deepEqual(row.inPlace, { time: 40.99, algbw: 25.58, busbw: 25.58, wrong: 0 });
  });

  it('a truncated row is counted as damaged, not read as half a measurement', () => {
    const m = parseNcclTests('# Collective test starting: all_reduce_perf\n    33554432       8388608     float     sum      -1   144.63  232.00  23');
    assert.deepEqual(m.runs[0].rows, []);
    assert.equal(m.runs[0].damagedRows.length, 1);
  });

  it('NCCL_TESTS_MIN_BW: an average reported FAILED is a low-bandwidth warning', () => {
    const m = parseNcclTests([
      '# Collective test starting: all_reduce_perf',
      '     1048576        262144     float     sum      -1    41.20   25.45   25.45       0    40.99   25.58   25.58       0',
      '# Out of bounds values : 0 OK',
      '# Avg bus bandwidth    : 25.515 FAILED',
    ].join('\n'));
    assert.equal(m.runs[0].avgBusBandwidth?.check, 'FAILED');
    assert.deepEqual(rules(m), ['4 nccl-tests/low-bandwidth']);
  });

  it('NCCL lines before the header belong to the run; P2P disabled by the environment is named as the cause', () => {
    const m = parseNcclTests([
      'node01:4242:4242 [0] NCCL INFO NCCL_P2P_DISABLE set by environment to 1',
      '# Collective test starting: all_reduce_perf',
      '#  Rank  0 Group  0 Pid   4242 on     node01 device  0 [0000:18:00] NVIDIA H100 80GB HBM3',
      '#  Rank  1 Group  0 Pid   4242 on     node01 device  1 [0000:2a:00] NVIDIA H100 80GB HBM3',
      'node01:4242:4250 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via SHM/direct/direct',
      '   134217728      33554432     float     sum      -1  4869.45   27.56   27.56       0  4863.99   27.59   27.59       0',
    ].join('\n'));
    const run = m.runs[0];
    assert.deepEqual(run.nccl.env.map((e) => e.name), ['NCCL_P2P_DISABLE']);
    const f = ncclTestsFindings(m);
    assert.deepEqual(f.map((x) => x.rule), ['nccl-tests/low-bandwidth']);
    assert.match(f[0].message, /Likely cause: NCCL_P2P_DISABLE=1 is set \(line 1\); channels go through host memory \(SHM\) instead of P2P \(line 5\)/);
  });

  it('unknown GPU, but NCCL shows NET/Socket inside one node: still reported', () => {
    const m = parseNcclTests([
      'box:1:1 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via NET/Socket/0',
      '   134217728      33554432     float     sum      -1  40000.0    3.36    3.36       0  40000.0    3.36    3.36       0',
    ].join('\n'));
    assert.deepEqual(ncclTestsFindings(m).map((x) => x.rule), ['nccl-tests/low-bandwidth']);
  });

  it('several datatypes in one run (-d all) make one series pair per datatype', () => {
    const m = parseNcclTests([
      '#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong',
      '     1048576        262144     float     sum      -1    41.20   25.45   25.45       0    40.99   25.58   25.58       0',
      '     1048576        524288      half     sum      -1    40.20   26.08   26.08       0    40.10   26.15   26.15       0',
    ].join('\n'));
    assert.deepEqual(bandwidthSeries(m.runs[0], 'x').map((s) => s.label), ['x [float sum -1] out-of-place', 'x [float sum -1] in-place', 'x [half sum -1] out-of-place', 'x [half sum -1] in-place']);
  });

  it('streaming: any chunking gives the same model as the whole text', () => {
    const text = fixture('mpi-corruption-2node-a100.txt').replace(/\n/g, '\r\n');
    const whole = parseNcclTests(text);
    for (const size of [1, 7, 64, 1000]) {
      const p = createNcclTestsParser();
      for (let i = 0; i < text.length; i += size) p.feed(text.slice(i, i + size));
      assert.deepEqual(p.end(), whole, `chunks of ${size}`);
    }
  });

  it('detection of nccl-tests output', () => {
    assert.ok(looksLikeNcclTests(fixture('srun-three-runs.txt')));
    assert.ok(looksLikeNcclTests('# Avg bus bandwidth    : 85.1732 '));
    assert.ok(!looksLikeNcclTests('node01:4242:4242 [0] NCCL INFO NCCL version 2.28.9+cuda13.0'));
  });

  it('GPU link table and byte formatting', () => {
    assert.equal(expectedLink('NVIDIA H200')?.gbps, 450);
    assert.equal(expectedLink('NVIDIA H100 PCIe')?.link, 'PCIe Gen5');
    assert.equal(expectedLink('NVIDIA A100-PCIE-40GB')?.link, 'PCIe Gen4');
    assert.equal(expectedLink('NVIDIA A100-SXM4-80GB')?.gbps, 300);
    assert.equal(expectedLink('NVIDIA B200')?.gbps, 900);
    assert.equal(expectedLink('NVIDIA GH200 480GB')?.nvlink, false);
    assert.equal(expectedLink('Some Future GPU'), undefined);
    assert.deepEqual([0, 8, 1024, 33554432, 8589934592, 1536].map(formatBytes), ['0 B', '8 B', '1 KiB', '32 MiB', '8 GiB', '1.5 KiB']);
  });
});
