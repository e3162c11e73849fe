/**
 * Line shapes met in complete logs of whole runs (benchmark result folders, CI and training job
 * logs committed to repositories), as opposed to the issue excerpts of ncclLogFieldFormats. Every
 * excerpt here is written for this test in those line shapes; host names and addresses are made up.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ncclLogFindings } from '../../server/src/ncclLog/findings';
import { parseNcclLog } from '../../server/src/ncclLog/parser';
import { summarizeNcclLog } from '../../server/src/ncclLog/summary';

const analyse = (lines: string[]) => {
  const m = parseNcclLog(lines.join('\n') + '\n');
  const f = ncclLogFindings(m);
  return { m, f, s: summarizeNcclLog(m, f) };
};

describe('several processes writing to one unbuffered stream', () => {
  // Two nodes of one job whose names share a start (rk1n7a, rk1n7b); the job's output is not
  // line-buffered, so a line may begin with the start of another process's line.
  const a = (pid: number, tid: number, dev: number, msg: string) => `rk1n7a:${pid}:${tid} [${dev}] NCCL INFO ${msg}`;
  const b = (pid: number, tid: number, dev: number, msg: string) => `rk1n7b:${pid}:${tid} [${dev}] NCCL INFO ${msg}`;

  it('a glued first line (`rk1n7ark1n7b:PID`) and a line with only the tail of the host name are the real process', () => {
    const { m, s } = analyse([
      a(500, 500, 0, 'cudaDriverVersion 12040'),
      a(500, 500, 0, 'NCCL version 2.21.5+cuda12.4'),
      // b's first line, glued after the start of one of a's lines.
      `rk1n7ark1n7b:600:600 [0] NCCL INFO cudaDriverVersion 12040`,
      b(600, 600, 0, 'NCCL version 2.21.5+cuda12.4'),
      a(500, 510, 0, 'ncclCommInitRank comm 0x10 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0x99 - Init START'),
      b(600, 610, 0, 'ncclCommInitRank comm 0x20 rank 1 nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0x99 - Init START'),
      a(500, 510, 0, 'comm 0x10 rank 0 nRanks 2 nNodes 2 localRanks 1 localRank 0 MNNVL 0'),
      b(600, 610, 0, 'comm 0x20 rank 1 nRanks 2 nNodes 2 localRanks 1 localRank 0 MNNVL 0'),
      // Only the end of a's host name left at the start of the line.
      `7a:500:510 [0] NCCL INFO Channel 00/0 : 1[0] -> 0[0] [receive] via NET/IB/0/GDRDMA`,
      a(500, 510, 0, 'Channel 00/0 : 0[0] -> 1[0] [send] via NET/IB/0/GDRDMA'),
      b(600, 610, 0, 'Channel 00/0 : 0[0] -> 1[0] [receive] via NET/IB/0/GDRDMA'),
      b(600, 610, 0, 'Channel 00/0 : 1[0] -> 0[0] [send] via NET/IB/0/GDRDMA'),
      a(500, 510, 0, 'comm 0x10 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0x99 - Init COMPLETE'),
      b(600, 610, 0, 'comm 0x20 rank 1 nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0x99 - Init COMPLETE'),
    ]);
    assert.deepEqual(m.hosts.map((h) => h.name).sort(), ['rk1n7a', 'rk1n7b']);
    assert.equal(m.processes.length, 2);
    assert.equal(s.hosts, 2);
  });

  it('two real hosts whose names end alike (`gpu-n1`, `n1`) with one pid stay two hosts', () => {
    const { m } = analyse([
      'gpu-n1:25:25 [0] NCCL INFO NCCL version 2.21.5+cuda12.4',
      'n1:25:25 [0] NCCL INFO NCCL version 2.21.5+cuda12.4',
      'gpu-n1:25:25 [0] NCCL INFO cudaDriverVersion 12040',
      'n1:25:25 [0] NCCL INFO cudaDriverVersion 12040',
    ]);
    assert.deepEqual(m.hosts.map((h) => h.name).sort(), ['gpu-n1', 'n1']);
  });
});

describe('NVLS without a topology dump', () => {
  const h = (pid: number, dev: number, msg: string) => `hx-0:${pid}:${pid + 50} [${dev}] NCCL INFO ${msg}`;
  const log = (nvlsChannels: number) => [
    h(10, 0, 'ncclCommInitRank comm 0x1 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x42 - Init START'),
    h(11, 1, 'ncclCommInitRank comm 0x2 rank 1 nranks 2 cudaDev 1 nvmlDev 1 busId 2a000 commId 0x42 - Init START'),
    h(10, 0, 'Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM'),
    h(11, 1, 'Channel 00/0 : 1[1] -> 0[0] via P2P/CUMEM'),
    h(10, 0, `16 coll channels, 16 collnet channels, ${nvlsChannels} nvls channels, 16 p2p channels, 16 p2p channels per peer`),
    h(11, 1, `16 coll channels, 16 collnet channels, ${nvlsChannels} nvls channels, 16 p2p channels, 16 p2p channels per peer`),
    h(10, 0, 'ncclCommInitRank comm 0x1 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x42 - Init COMPLETE'),
    h(11, 1, 'ncclCommInitRank comm 0x2 rank 1 nranks 2 cudaDev 1 nvmlDev 1 busId 2a000 commId 0x42 - Init COMPLETE'),
  ];

  it('P2P between GPUs of one host in a communicator with NVLS channels is NVLink', () => {
    const { f, s } = analyse(log(16));
    assert.equal(s.nvls, true);
    assert.equal(s.nvlink.active, true);
    assert.equal(s.transports.NVLink, 2);
    assert.ok(!f.some((x) => x.rule === 'nccl-log/debug-subsys-incomplete'));
  });

  it('without NVLS channels the link stays unknown and GRAPH is asked for', () => {
    const { f, s } = analyse(log(0));
    assert.equal(s.nvlink.active, undefined);
    assert.ok(f.some((x) => x.rule === 'nccl-log/debug-subsys-incomplete'));
  });
});

describe('NCCL <= 2.17: the communicator is named only at Init COMPLETE', () => {
  const p = (pid: number, dev: number, msg: string) => `srv-3:${pid}:${pid + 40} [${dev}] NCCL INFO ${msg}`;

  it('lines printed before Init COMPLETE belong to the communicator it names', () => {
    const { m, s } = analyse([
      'NCCL version 2.16.5+cuda11.8',
      p(700, 0, 'Channel 00/02 :    0   1'),
      p(700, 0, 'Ring 00 : 1 -> 0 -> 1'),
      p(701, 1, 'Ring 00 : 0 -> 1 -> 0'),
      p(700, 0, 'Trees [0] 1/-1/-1->0->-1 [1] -1/-1/-1->0->1'),
      p(700, 0, 'Channel 00/0 : 0[3b000] -> 1[5e000] via P2P/IPC'),
      p(701, 1, 'Channel 00/0 : 1[5e000] -> 0[3b000] via P2P/IPC'),
      p(700, 0, 'Connected all rings'),
      p(700, 0, 'comm 0x5a1 rank 0 nranks 2 cudaDev 0 busId 3b000 commId 0x1234abcd - Init COMPLETE'),
      p(701, 1, 'comm 0x5b2 rank 1 nranks 2 cudaDev 1 busId 5e000 commId 0x1234abcd - Init COMPLETE'),
      // p2p connections made after init, by another thread: already attributed.
      p(700, 0, 'Channel 01/1 : 0[3b000] -> 1[5e000] via P2P/IPC'),
    ]);
    assert.equal(m.communicators.length, 1);
    const c = m.communicators[0];
    assert.equal(c.commId, '0x1234abcd');
    assert.deepEqual(c.connections.map((x) => [x.from, x.to, x.channels]), [[0, 1, [0, 1]], [1, 0, [0]]]);
    assert.deepEqual(c.rings.map((r) => r.order), [[0, 1]]);
    assert.equal(s.communicators, 1);
    assert.ok(s.pairs.every((x) => x.fromHost === 'srv-3' && x.toHost === 'srv-3'));
  });

  it('processes that never name a communicator (a paste of channel lines) share the catch-all one', () => {
    const { m } = analyse([
      p(700, 0, 'Channel 00/0 : 0[3b000] -> 1[5e000] via P2P/IPC'),
      p(701, 1, 'Channel 00/0 : 1[5e000] -> 0[3b000] via P2P/IPC'),
    ]);
    assert.deepEqual(m.communicators.map((c) => [c.id, c.connections.length]), [['unknown', 2]]);
  });
});
