/**
 * nccl-tests output shapes seen in reports from other machines (written for this test in those
 * shapes; hosts and pids made up).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ncclTestsFindings, parseNcclTests } from '../../server/src/ncclTests/index';

const rules = (text: string) => ncclTestsFindings(parseNcclTests(text)).map((f) => f.rule);
const header = '# nThread 1 nGpus 1 minBytes 8 maxBytes 134217728 step: 2(factor) warmup iters: 5 iters: 20 validation: 1';

describe('nccl-tests/separate-processes', () => {
  it('rank 0 printed by processes on two hosts: nccl-tests built without MPI', () => {
    const text = [header, '#', '# Using devices', header, '#', '# Using devices',
      '#   Rank  0 Pid   1111 on     host-a device  0 [0x00] Tesla V100-SXM2-16GB',
      '#   Rank  0 Pid   2222 on     host-b device  0 [0x00] Tesla V100-SXM2-16GB'].join('\n');
    const f = ncclTestsFindings(parseNcclTests(text)).find((x) => x.rule === 'nccl-tests/separate-processes');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /not the network between the hosts/);
  });

  it('one process driving 8 GPUs (-g 8), or an MPI job with distinct ranks, is fine', () => {
    const single = [header.replace('nGpus 1', 'nGpus 8'), '# Using devices',
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((r) => `#  Rank  ${r} Group  0 Pid  3333 on      box-1 device  ${r} [0x1${r}] NVIDIA GeForce RTX 4090`)].join('\n');
    assert.ok(!rules(single).includes('nccl-tests/separate-processes'));
    const mpi = [header, '# Using devices',
      '#  Rank  0 Group  0 Pid  4444 on     host-a device  0 [0000:18:00] NVIDIA H100 80GB HBM3',
      '#  Rank  1 Group  0 Pid  5555 on     host-b device  0 [0000:18:00] NVIDIA H100 80GB HBM3'].join('\n');
    assert.ok(!rules(mpi).includes('nccl-tests/separate-processes'));
  });
});

describe('older and wrapped result tables', () => {
  it('NCCL 2.6-era rows without redop/root and with an `error` column (0e+00)', () => {
    const m = parseNcclTests([
      '       65536         16384   float    15.10    4.34    4.34  0e+00    14.90    4.40    4.40  0e+00',
      '      131072         32768   float    20.00    6.55    6.55  0e+00    19.80    6.62    6.62  0e+00',
      '# Avg bus bandwidth    : 5.1',
    ].join('\n'));
    assert.equal(m.runs[0].rows.length, 2);
    assert.equal(m.runs[0].rows[1].inPlace?.busbw, 6.62);
  });

  it('rows behind Open MPI --tag-output prefixes', () => {
    const m = parseNcclTests([
      '[1,0]<stdout>:#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong',
      '[1,0]<stdout>:     1048576        262144     float     sum      -1    30.00   34.95   61.17      0    29.50   35.54   62.20      0',
    ].join('\n'));
    assert.equal(m.runs[0].rows[0].outOfPlace?.busbw, 61.17);
  });
});
