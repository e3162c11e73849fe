/**
 * Line shapes seen in logs from other machines and NCCL versions than the corpus (pastes in issue
 * trackers: A100/V100/consumer PCIe boxes, AWS EFA, RoCE with the IBext plugin, NCCL 2.4 .. 2.27,
 * Ray/collector/table prefixes). Every excerpt here is written for this test in those line shapes;
 * host names and addresses are made up.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/protocol/findings';
import { ncclLogFindings } from '../../server/src/ncclLog/findings';
import { classifyLine, classifyMessage } from '../../server/src/ncclLog/lines';
import { parseNcclLog } from '../../server/src/ncclLog/parser';
import { formatNcclLogSummary, summarizeNcclLog } from '../../server/src/ncclLog/summary';

const analyse = (lines: string[]) => {
  const m = parseNcclLog(lines.join('\n') + '\n');
  const f = ncclLogFindings(m);
  return { m, f, s: summarizeNcclLog(m, f) };
};
const rules = (fs: Finding[]) => fs.map((f) => f.rule);

describe('prefixes NCCL prints or launchers add, beyond the corpus', () => {
  it('empty host name: `:pid:tid [dev] NCCL INFO` (gethostname gave nothing)', () => {
    const c = classifyLine(':4711:4711 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[0] [send] via NET/IB/2');
    assert.equal(c.prefix?.host, '');
    assert.equal(c.prefix?.pid, 4711);
    assert.equal(c.record.kind, 'transport');
  });

  it('a collector label with `>>` after a timestamp, and the WARN timestamp after it', () => {
    const info = classifyLine('2024-03-01 10:00:00.123456 gpu-7 >> :90:91 [2] NCCL INFO Connected all trees');
    assert.deepEqual([info.prefix?.host, info.prefix?.pid, info.launchers], ['', 90, ['2024-03-01 10:00:00.123456', 'gpu-7']]);
    const warn = classifyLine('2024-03-01 10:00:01.5 gpu-7 >> [2024-03-01 02:00:01] :90:92 [2] misc/socket.cc:480 NCCL WARN socketFinalizeAccept: wrong magic 1 != 2');
    assert.equal(warn.prefix?.level, 'WARN');
    assert.equal(warn.prefix?.file, 'misc/socket.cc');
  });

  it('a pasted log table: `  | <ISO time> | host:...` and a time glued to the host', () => {
    const a = classifyLine('  | 2024-05-01T08:00:00.100-07:00 | ip-10-1-2-3:40:40 [0] NCCL INFO cudaDriverVersion 12040');
    assert.deepEqual([a.prefix?.host, a.record.kind], ['ip-10-1-2-3', 'cudaDriver']);
    const b = classifyLine('  | 2024-05-01T08:00:00.100-07:00ip-10-1-2-3:40:40 [0] NCCL INFO Bootstrap : Using eth0:10.1.2.3<0>');
    assert.deepEqual([b.prefix?.host, b.record.kind], ['ip-10-1-2-3', 'bootstrap']);
    const v = classifyLine('  | 2024-05-01T08:00:00.100-07:00 | NCCL version 2.21.5+cuda12.4');
    assert.equal(v.banner, true);
  });

  it("Ray's ` [repeated 7x across cluster]` is not part of the NCCL message", () => {
    const c = classifyLine('(RayWorkerWrapper pid=77) w-0:77:77 [3] NCCL INFO comm 0x5a rank 3 nRanks 8 nNodes 2 localRanks 4 localRank 3 MNNVL 0 [repeated 7x across cluster]');
    assert.equal(c.record.kind, 'commSummary');
    const init = classifyLine('(RayWorkerWrapper pid=77) w-0:77:77 [3] NCCL INFO ncclCommInitRank comm 0x5a rank 3 nranks 8 cudaDev 3 nvmlDev 3 busId 4000 commId 0xabc - Init START [repeated 7x across cluster]');
    assert.equal(init.record.kind === 'commInit' && init.record.phase, 'START');
  });

  it('WARN from a net plugin whose location is a function, or a C++ signature with its return type', () => {
    const c = classifyLine('[2024-02-02 01:02:03] h1:5:9 [0] nccl_net_ofi_rdma_init:7000 NCCL WARN NET/OFI OFI fi_getinfo() call failed: No data available');
    assert.deepEqual([c.prefix?.level, c.prefix?.file, c.prefix?.srcLine], ['WARN', 'nccl_net_ofi_rdma_init', 7000]);
    const cpp = classifyLine('[2024-02-02 01:02:03] h1:5:9 [0] int nccl_net_ofi_create_plugin(nccl_net_ofi_plugin_t**):250 NCCL WARN NET/OFI aws-ofi-nccl initialization failed');
    assert.deepEqual([cpp.prefix?.level, cpp.prefix?.host, cpp.prefix?.srcLine], ['WARN', 'h1', 250]);
    assert.equal(cpp.message, 'NET/OFI aws-ofi-nccl initialization failed');
    const two = classifyLine('h1:5:9 [0] ncclResult_t nccl_net_ofi_init_v6(ncclDebugLogger_t):160 NCCL WARN NET/OFI Initializing plugin failed');
    assert.equal(two.prefix?.level, 'WARN');
  });
});

describe('pasted line shapes without the usual launcher', () => {
  it('an editor line number before NCCL lines is peeled, but never from other lines', () => {
    const c = classifyLine('452 tj1-gpu-3:400:400 [6] NCCL INFO NCCL_IB_DISABLE set by environment to 1.');
    assert.deepEqual([c.prefix?.host, c.record.kind], ['tj1-gpu-3', 'env']);
    assert.equal(classifyLine('455 NCCL version 2.4.8+cuda10.0').banner, true);
    // A result row or plain text keeps its leading number.
    const row = classifyLine('     1048576        262144     float     sum      -1    27.76   37.78   66.11       0');
    assert.equal(row.prefix, undefined);
    assert.equal(row.start, 0);
  });

  it('the banner after an ANSI reset and a blank', () => {
    const c = classifyLine('\x1b[0m NCCL version 2.7.8+cuda11.1');
    assert.equal(c.banner, true);
    assert.equal(c.record.kind === 'version' && c.record.version, '2.7.8');
  });

  it('`[dev] file:line NCCL WARN <incident>` with host:pid:tid cut off still names the incident', () => {
    const { f } = analyse([
      '[0] misc/socket.cc:70 NCCL WARN socketProgress: Connection closed by remote peer 10.9.8.7<40000>',
      '[0] NCCL INFO misc/socket.cc:80 -> 6',
    ]);
    const closed = f.find((x) => x.rule === 'nccl-log/connection-closed');
    assert.ok(closed);
    assert.match(closed.message, /"socketProgress: Connection closed/);
  });
});

describe('transport lines of older and newer NCCL versions', () => {
  it('NCCL <= 2.6 `Ring NN :` transport lines, with and without devices', () => {
    const p2p = classifyMessage('Ring 00 : 6[6] -> 2[2] via P2P/IPC');
    assert.deepEqual(p2p.kind === 'transport' && [p2p.from, p2p.fromDev, p2p.to, p2p.via], [6, '6', 2, 'P2P/IPC']);
    const net = classifyMessage('Ring 01 : 15 -> 16 [send] via NET/IB/0/GDRDMA');
    assert.deepEqual(net.kind === 'transport' && [net.from, net.fromDev, net.to, net.side, net.via], [15, '', 16, 'send', 'NET/IB/0/GDRDMA']);
    // The ring order line keeps its own record.
    assert.equal(classifyMessage('Ring 00 : 3 -> 0 -> 1').kind, 'ring');
  });

  it('NCCL 2.4-2.8 `via direct shared memory` is SHM, and counts as an SHM line', () => {
    const { s, f } = analyse([
      'old:1:1 [0] NCCL INFO Ring 00 : 0[0] -> 1[1] via direct shared memory',
      'old:1:1 [0] NCCL INFO Channel 00 : 3[3000] -> 0[1000] [receive] via NET/IB/0/GDRDMA',
    ]);
    assert.deepEqual(s.transports, { SHM: 1, 'NET/IB': 1 });
    assert.ok(!f.some((x) => x.rule === 'nccl-log/debug-subsys-incomplete' && x.message.startsWith('Only NET')));
  });

  it('`NCCL INFO ...` lines pasted without host:pid:tid are read as fragments', () => {
    const c = classifyLine('NCCL INFO Channel 01 : 9[101d0] -> 0[101c0] [receive] via NET/Libfabric/0/GDRDMA');
    assert.equal(c.bare, true);
    assert.equal(c.record.kind === 'transport' && c.record.via, 'NET/Libfabric/0/GDRDMA');
    assert.equal(c.message.startsWith('Channel 01'), true);
    assert.equal(classifyLine('NCCL INFO threadThresholds 8/8/64').record.kind, 'text');
  });

  it('2.19-2.20 ` comm 0x... nRanks N` after the via, and a wrapped paste glued after blanks', () => {
    const a = classifyMessage('Channel 00/0 : 4[1b000] -> 5[1c000] via P2P/IPC comm 0x55d0aa nRanks 16');
    assert.equal(a.kind === 'transport' && a.via, 'P2P/IPC');
    const b = classifyMessage('Channel 02/0 : 1[0] -> 0[0] via P2P/IPC          (Worker pid=9) h:9:9 [1] NCCL INFO Channel 03/0 : 1[0] -> 0[0] via P2P/IPC');
    assert.equal(b.kind === 'transport' && b.via, 'P2P/IPC');
    // Spaces inside a via stay.
    const c = classifyMessage('Channel 01 : 0[6000] -> 1[7000] via P2P/direct pointer/read');
    assert.equal(c.kind === 'transport' && c.via, 'P2P/direct pointer/read');
  });

  it('NCCL <= 2.11 topology header `maxWidth ... totalWidth` opens the tree like `maxBw ... totalBw`', () => {
    const h = (msg: string) => `a100-n1:80:81 [0] NCCL INFO ${msg}`;
    const { m } = analyse([
      h('=== System : maxWidth 240.0 totalWidth 240.0 ==='),
      h('CPU/0 (1/2/-1)'),
      h('+ PCI[24.0] - PCI/3000'),
      h('              + PCI[24.0] - GPU/7000 (0)'),
      h('                            + NVL[240.0] - NVS/0'),
    ]);
    const t = m.hosts[0].topology;
    assert.ok(t);
    assert.deepEqual(t.links.map((l) => [l.from, l.to, l.type]), [['CPU/0', 'PCI/3000', 'PCI'], ['PCI/3000', 'GPU/7000', 'PCI'], ['GPU/7000', 'NVS/0', 'NVL']]);
  });

  it('IBext / IBext_v8 / IBext_v10 are NET/IB (RDMA), with GDR', () => {
    const { s, f } = analyse([
      'ra:10:10 [0] NCCL INFO Channel 00/0 : 3[3] -> 4[0] [receive] via NET/IBext_v8/0/GDRDMA',
      'ra:10:10 [0] NCCL INFO Channel 01/0 : 4[0] -> 5[1] via P2P/CUMEM',
    ]);
    assert.equal(s.transports['NET/IB'], 1);
    assert.equal(s.rdma.active, true);
    assert.equal(s.rdma.gdr, true);
    assert.ok(!rules(f).includes('nccl-log/gdr-disabled'));
  });
});

describe('summary and findings on partial pastes', () => {
  it('NET lines between ranks of unknown hosts mean multi-node: no "not needed: single node"', () => {
    const { s } = analyse([
      'w-1:20:21 [2] NCCL INFO Channel 00/0 : 3[3] -> 10[2] [receive] via NET/IB/1/GDRDMA',
      'w-0:30:31 [0] NCCL INFO Channel 00/0 : 0[0] -> 7[7] via P2P/CUMEM/read',
    ]);
    assert.equal(s.rdma.needed, true);
    assert.ok(!formatNcclLogSummary(s).some((l) => l.includes('not needed')));
  });

  it('channel counts printed before a communicator is identified do not count as a communicator', () => {
    const { s } = analyse([
      'n1:7:8 [1] NCCL INFO 8 coll channels, 0 collnet channels, 0 nvls channels, 8 p2p channels, 2 p2p channels per peer',
      'n1:7:8 [1] NCCL INFO comm 0x5a rank 1 nranks 2 cudaDev 1 nvmlDev 1 busId 38000 commId 0xf0 - Init COMPLETE',
      'n1:6:9 [0] NCCL INFO comm 0x5b rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0xf0 - Init COMPLETE',
    ]);
    assert.equal(s.communicators, 1);
    assert.equal(s.ranks, 2);
  });

  it('a paste with channel lines but no rank line says the ranks were not logged, not "0 rank(s)"', () => {
    const { s } = analyse(['h:1:2 [0] NCCL INFO Channel 01 : 2[c7000] -> 0[87000] [receive] via NET/IB/5/GDRDMA']);
    const text = formatNcclLogSummary(s).join('\n');
    assert.match(text, /ranks not logged in/);
    assert.doesNotMatch(text, /\b0 rank/);
  });

  it('a paste that shows no version, rank or channel has status "unknown", not "ok"', () => {
    assert.equal(analyse(['h:1:1 [0] NCCL INFO Bootstrap: Using eth0:10.0.0.1<0>']).s.status, 'unknown');
    assert.equal(analyse(['h:1:1 [0] NCCL INFO Bootstrap: Using eth0:10.0.0.1<0>', 'h:1:1 [0] NCCL INFO NCCL version 2.21.5+cuda12.4']).s.status, 'ok');
  });

  it('only NET lines say nothing about NVLink', () => {
    const { s } = analyse(['h:1:2 [0] NCCL INFO Channel 01 : 2[c7000] -> 0[87000] [receive] via NET/IB/5/GDRDMA']);
    assert.equal(s.nvlink.active, undefined);
  });

  it('a single-node NVLink run keeps "not needed" and has no TCP finding', () => {
    const { s, f } = analyse([
      'box:1:1 [0] NCCL INFO comm 0x1 rank 0 nRanks 2 nNodes 1 localRanks 2 localRank 0 MNNVL 0',
      'box:2:2 [1] NCCL INFO comm 0x2 rank 1 nRanks 2 nNodes 1 localRanks 2 localRank 1 MNNVL 0',
      'box:1:1 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM',
      'box:1:1 [0] NCCL INFO Using network Socket',
    ]);
    assert.equal(s.rdma.needed, false);
    assert.ok(formatNcclLogSummary(s).some((l) => l.includes('(not needed: single node)')));
    assert.ok(!rules(f).includes('nccl-log/tcp-fallback'));
  });

  it('inter-node NET/IB without GDRDMA in a paste without INIT lines -> gdr-disabled, each pair once', () => {
    const { f } = analyse([
      ':9:9 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[0] [send] via NET/IB/4',
      ':9:9 [0] NCCL INFO Channel 01/0 : 0[0] -> 1[0] [send] via NET/IB/5',
    ]);
    const gdr = f.find((x) => x.rule === 'nccl-log/gdr-disabled');
    assert.ok(gdr);
    assert.match(gdr.message, /rank 0 -> rank 1\. /);
  });

  it('a net plugin (EFA) transport leaves "RDMA (NET/IB) in use" unknown, not no', () => {
    const { s } = analyse(['[1,7]<stdout>:ip-a:5:6 [7] NCCL INFO Ring 00 : 7 -> 8 [send] via NET/AWS Libfabric/0']);
    assert.equal(s.transports.NET, 1);
    assert.equal(s.rdma.active, undefined);
  });

  it('the NCCL <= 2.8 libibverbs probe WARN is info on a single node, a warning when traffic leaves the node', () => {
    const warnLine = 'v100-1:10:10 [0] misc/ibvwrap.cc:63 NCCL WARN Failed to open libibverbs.so[.1]';
    const local = analyse([warnLine, 'v100-1:10:11 [0] NCCL INFO Channel 00 : 0[1a000] -> 1[1b000] via P2P/IPC']);
    assert.equal(local.f.find((x) => x.rule === 'nccl-log/warn')?.severity, 'info');
    const remote = analyse([warnLine, 'v100-1:10:11 [0] NCCL INFO Channel 00 : 1[1a000] -> 0[1a000] [receive] via NET/Socket/0']);
    assert.equal(remote.f.find((x) => x.rule === 'nccl-log/warn')?.severity, 'warning');
  });

  it('TCP fallback after an external net plugin failed to initialise names the plugin', () => {
    const h = (msg: string) => `efa-0:5:6 [0] NCCL INFO ${msg}`;
    const { f } = analyse([
      h('NET/Plugin: Loaded net plugin Libfabric (v10)'),
      '[2024-01-01 00:00:00] efa-0:5:6 [0] int nccl_net_ofi_create_plugin(nccl_net_ofi_plugin_t**):300 NCCL WARN NET/OFI aws-ofi-nccl initialization failed',
      h('NET/Socket : Using [0]eth0:10.9.9.9<0>'),
      h('Using network Socket'),
      h('ncclCommInitRankConfig comm 0x11 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0x77 - Init START'),
      h('comm 0x11 rank 0 nRanks 2 nNodes 2 localRanks 1 localRank 0 MNNVL 0'),
      h('Channel 00/0 : 1[0] -> 0[0] [receive] via NET/Socket/0'),
      h('Channel 00/0 : 0[0] -> 1[0] [send] via NET/Socket/0'),
      h('ncclCommInitRankConfig comm 0x11 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0x77 - Init COMPLETE'),
    ]);
    const tcp = f.find((x) => x.rule === 'nccl-log/tcp-fallback');
    assert.ok(tcp);
    assert.match(tcp.message, /external net plugin Libfabric was loaded \(line 1\)/);
    assert.ok(rules(f).includes('nccl-log/warn'), 'the plugin WARN is read as a WARN line');
  });
});
